"""GET /health: database, broker and mail server reachability."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Request, get
from litestar.response import Response
from sqlalchemy import text

from w2.platform.auth import public
from w2.platform.i18n import t


async def _check_db(request: Request[Any, Any, Any]) -> bool:
    try:
        async with request.app.state.sessionmaker() as s:
            await asyncio.wait_for(s.execute(text("SELECT 1")), timeout=3)
        return True
    except Exception:  # noqa: BLE001 - any failure means "down"
        return False


def _check_broker_sync(url: str) -> bool:
    try:
        if url.startswith("sqla+"):
            # kombu's SQL transport connects lazily, so ask the database itself.
            from sqlalchemy import create_engine

            engine = create_engine(url.removeprefix("sqla+"))
            try:
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
            finally:
                engine.dispose()
            return True
        from kombu.connection import Connection

        with Connection(url, connect_timeout=2) as conn:  # type: ignore[no-untyped-call]  # kombu ships no types
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001 - any failure means "down"
        return False


async def _check_smtp(smtp_url: str) -> bool:
    from urllib.parse import urlparse

    url = urlparse(smtp_url)
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(url.hostname, url.port or 25), timeout=2)
        writer.close()
        return True
    except Exception:  # noqa: BLE001
        return False


@get("/health", guards=[public], tags=["operations"], include_in_schema=True)
async def health(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    """Reachability of the database, the broker and the mail server; 503 names what is down."""
    st = request.app.state.settings
    db_ok, broker_ok, smtp_ok = await asyncio.gather(
        _check_db(request), asyncio.to_thread(_check_broker_sync, st.broker_url), _check_smtp(st.smtp_url)
    )
    parts = {"database": db_ok, "broker": broker_ok, "smtp": smtp_ok}
    body: dict[str, Any] = {k: ("ok" if v else "down") for k, v in parts.items()}
    down = [k for k, v in parts.items() if not v]
    if not down:
        return Response({"status": "ok", **body}, status_code=200)
    messages = {"database": t("health.database_down"), "broker": t("health.broker_down"),
                "smtp": t("health.smtp_down")}
    problem = {
        "type": "https://w2.invalid/problems/dependency-down",
        "title": "Service Unavailable",
        "status": 503,
        "detail": " ".join(messages[k] for k in down),
        "down": down,
        **body,
    }
    return Response(problem, status_code=503, media_type="application/problem+json")

"""Async engine and session factory, with per-transaction settings for row-level security."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool


class W2Session(Session):
    """Sync session class whose transactions carry `session.info["rls"]` as local settings."""


@event.listens_for(W2Session, "after_begin")
def _apply_rls_settings(session: Session, transaction: Any, connection: Any) -> None:
    # Transaction-local (is_local=true) so a pooled connection never leaks one caller's scope.
    if connection.dialect.name != "postgresql":
        return
    scope = session.info.get("rls") or {}
    if not scope:
        return
    # One round trip for the whole scope, not one per setting.
    calls = ", ".join(f"set_config(:k{i}, :v{i}, true)" for i in range(len(scope)))
    params: dict[str, str] = {}
    for i, (key, value) in enumerate(scope.items()):
        params[f"k{i}"], params[f"v{i}"] = f"w2.{key}", str(value)
    connection.execute(text(f"SELECT {calls}"), params)


def make_engine(url: str, *, pooled: bool = True) -> AsyncEngine:
    """Create an engine; SQLite gets foreign keys switched on."""
    kwargs: dict[str, Any] = {}
    if not pooled:
        kwargs["poolclass"] = NullPool
    elif url.startswith("postgresql"):
        # No ping per check-out (a round trip per request): connections are recycled after a while,
        # and a request's first statement retries once on a dead one (platform/db/first_trip.py).
        kwargs.update(pool_pre_ping=False, pool_recycle=300, pool_size=10, max_overflow=10)
    engine = create_async_engine(url, **kwargs)
    if url.startswith("sqlite"):

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=10000")
            cur.close()

    return engine


def make_sessionmaker(engine: AsyncEngine, rls: dict[str, Any] | None = None) -> async_sessionmaker[AsyncSession]:
    """Session factory used by the web app, tasks and CLI; `rls` is the default scope of its sessions."""
    kwargs: dict[str, Any] = {"info": {"rls": dict(rls)}} if rls else {}
    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=W2Session, **kwargs)

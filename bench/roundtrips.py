"""Database round trips per API request: a noise-free figure that explains most of the endpoint overhead.

Run: `uv run python bench/roundtrips.py` on a database filled by `w2 seed-scale`. The app runs
in-process (Litestar's test client, no server); SQLAlchemy events count statements, transactions and pool check-outs
(each check-out pings the server while `pool_pre_ping` is on). Prints one figure per line and a summary.
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
from collections import Counter
from typing import Any

import asyncpg
from _common import app_database_url, database_url, figure, pg_dsn, pick_subject, token_for
from sqlalchemy import event


async def run() -> None:
    logging.disable(logging.INFO)
    os.environ["W2_DATABASE_URL"] = app_database_url()
    os.environ["W2_MIGRATION_DATABASE_URL"] = database_url()
    storage = tempfile.mkdtemp(prefix="w2-bench-")
    os.environ["W2_STORAGE_DIR"] = storage
    for sub in ("sessions", "signin"):
        os.makedirs(os.path.join(storage, "stores", sub), exist_ok=True)
    conn = await asyncpg.connect(pg_dsn())
    subject = await pick_subject(conn)
    await conn.close()
    token = await token_for(subject.email)
    from w2.platform.boot.app import create_app
    from w2.platform.settings import get_settings

    get_settings.cache_clear()
    app = create_app()
    engine = app.state.engine.sync_engine
    counts: Counter[str] = Counter()
    pre_ping = bool(getattr(engine.pool, "_pre_ping", False))

    event.listen(engine, "before_cursor_execute",
                 lambda c, cur, st, p, ctx, many: counts.update(
                     ["set_config" if "set_config" in st else st.split(None, 1)[0].lower()]))
    event.listen(engine, "begin", lambda c: counts.update(["begin"]))
    event.listen(engine, "commit", lambda c: counts.update(["commit"]))
    event.listen(engine, "rollback", lambda c: counts.update(["rollback"]))
    event.listen(engine.pool, "checkout", lambda *a: counts.update(["checkout"]))
    paths = {"partner_list": "/api/v1/agreements?owner=my_agency",
             "workspace_agreements": f"/api/v1/workspaces/{subject.workspace_id}/agreements",
             "me": "/api/v1/me"}
    summary = []
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app=app, base_url="http://bench.local") as client:
        headers = {"Authorization": f"Bearer {token}"}
        for name, path in paths.items():
            r = await client.get(path, headers=headers)  # warm caches
            if r.status_code != 200:
                print(f"# {path} answered {r.status_code}; skipped")
                continue
            counts.clear()
            n = 20
            for _ in range(n):
                await client.get(path, headers=headers)
            per: dict[str, float] = {k: v / n for k, v in sorted(counts.items())}
            pings = per.get("checkout", 0) if pre_ping else 0
            total = sum(v for k, v in per.items() if k != "checkout") + pings
            for k, v in per.items():
                figure(f"{name}_{k}_per_request", v, "count")
            figure(f"{name}_round_trips_per_request", total, "count")
            summary.append(f"{name} {total:.0f}")
    print(f"SUMMARY roundtrips (pre_ping={'on' if pre_ping else 'off'}): " + ", ".join(summary)
          + " database round trips per request (the raw SQL of each needs 2-3)")


def main() -> Any:
    asyncio.run(run())


if __name__ == "__main__":
    main()

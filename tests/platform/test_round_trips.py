"""Database round trips per authenticated API request are counted (not timed): at most 5 for a list."""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from typing import Any

import asyncpg
from sqlalchemy import event

from tests.conftest import _dsn
from tests.consent.helpers import add_agreement, grant, make_case


@contextmanager
def counting(app: Any):
    """Count what reaches the server: BEGIN, each statement, COMMIT/ROLLBACK (the pool does not ping)."""
    engine = app.state.engine.sync_engine
    counts: Counter[str] = Counter()
    listeners = [
        (engine, "before_cursor_execute", lambda c, cur, st, p, ctx, many: counts.update(["statement"])),
        (engine, "begin", lambda c: counts.update(["begin"])),
        (engine, "commit", lambda c: counts.update(["commit"])),
        (engine, "rollback", lambda c: counts.update(["rollback"])),
    ]
    for target, name, fn in listeners:
        event.listen(target, name, fn)
    try:
        yield counts
    finally:
        for target, name, fn in listeners:
            event.remove(target, name, fn)


async def test_list_gets_take_at_most_five_round_trips(client, factory, app):
    assert app.state.engine.sync_engine.pool._pre_ping is False
    case = await make_case(client, factory, partners=1)
    p = case.partners[0]
    await grant(client, case, case.coord.agency_id, ["housing", "health"])
    await grant(client, case, p.agency_id, ["housing", "health"])
    for domain in ("housing", "health", "housing"):
        a = await add_agreement(client, case, domain, p.agency_id)
        r = await client.patch(f"/api/v1/agreements/{a['id']}", json={"note": "gebeld"}, headers=p.headers)
        assert r.status_code == 200
    paths = {"/api/v1/agreements?owner=my_agency": 5, f"/api/v1/workspaces/{case.wid}/agreements": 5,
             "/api/v1/me": 5}
    for path, budget in paths.items():
        await client.get(path, headers=p.headers)  # statement caches warm, as in production
        with counting(app) as counts:
            r = await client.get(path, headers=p.headers)
        assert r.status_code == 200, r.text
        trips = sum(counts.values())
        assert trips <= budget, (path, dict(counts))
    body = (await client.get("/api/v1/agreements?owner=my_agency", headers=p.headers)).json()
    assert body["total"] == 3 and all(len(i["notes"]) == 1 for i in body["items"])


async def test_a_dead_pooled_connection_is_retried_not_served_as_an_error(client, factory, database_url):
    from litestar.testing import AsyncTestClient

    from w2.platform.boot.app import create_app

    case = await make_case(client, factory, partners=0)
    admin = await asyncpg.connect(_dsn(database_url))
    try:
        since = await admin.fetchval("SELECT clock_timestamp()")
        app = create_app()  # its own pool, so cutting its connection touches nobody else
        async with AsyncTestClient(app=app, base_url="http://testserver.local") as own:
            r = await own.get("/api/v1/me", headers=case.coord.headers)
            assert r.status_code == 200
            # Cut the connection it opened, as a database restart or a proxy's idle timeout would.
            killed = await admin.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() "
                "AND usename <> current_user AND backend_start >= $1 AND state = 'idle'", since)
            assert killed >= 1
            with counting(app) as counts:
                r = await own.get("/api/v1/me", headers=case.coord.headers)
            assert r.status_code == 200, r.text
            assert counts["begin"] == 2  # the dead connection was met, and the request began again
    finally:
        await admin.close()

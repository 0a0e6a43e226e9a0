"""The partner list's one statement reads the agency's agreements once and checks consent once (plan counts)."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
from sqlalchemy import event

from tests.conftest import _dsn
from tests.consent.helpers import add_agreement, grant, make_case, revoke


def _scans(plan: dict[str, Any], table: str) -> int:
    """How many plan nodes read `table`."""
    own = 1 if plan.get("Relation Name") == table else 0
    return own + sum(_scans(p, table) for p in plan.get("Plans", []))


async def test_first_page_scans_agreements_and_consent_once(client, factory, app, settings_env):
    case = await make_case(client, factory, partners=1)
    p = case.partners[0]
    await grant(client, case, case.coord.agency_id, ["housing", "health", "finances"])
    await grant(client, case, p.agency_id, ["housing", "health"])
    money = await grant(client, case, p.agency_id, ["finances"])
    for domain in ("housing", "health", "finances"):
        await add_agreement(client, case, domain, p.agency_id)
    await revoke(client, case, money["id"])
    seen: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        if "FROM agreement" in statement and "count(" in statement:
            seen.append((statement, params))

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", grab)
    try:
        r = await client.get("/api/v1/agreements?owner=my_agency", headers=p.headers)
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    assert r.status_code == 200 and r.json()["total"] == 2  # finances was withdrawn
    assert len(seen) == 1, [s for s, _ in seen]
    statement, params = seen[0]
    conn = await asyncpg.connect(_dsn(settings_env["W2_MIGRATION_DATABASE_URL"]))
    try:
        plan = json.loads(await conn.fetchval("EXPLAIN (FORMAT JSON) " + statement, *params))[0]["Plan"]
    finally:
        await conn.close()
    # The count is a window over the page's own scan: one read of the agency's agreements and one
    # consent probe per request (the owner's view, without row-level security's own second probe).
    assert _scans(plan, "agreement") == 1
    assert _scans(plan, "consent_access") == 1

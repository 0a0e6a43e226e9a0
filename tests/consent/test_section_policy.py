"""Integrated report sections under row-level security: the inlined rules, no rule function per row."""

from __future__ import annotations

import uuid

import asyncpg
from sqlalchemy import text

from tests.conftest import _dsn
from tests.consent.helpers import grant, make_case
from tests.consent.test_rls import _enter, _raw, app_engine, staff_scope  # noqa: F401  (app_engine is a fixture)

SECTIONS = ("identity", "housing", "health")


async def _add_report(app_engine, wid: str) -> None:  # noqa: F811
    """A report with an identity, a housing and a health section, written as the system."""
    report = uuid.uuid4()
    async with app_engine.connect() as conn, conn.begin():
        await _enter(app_engine, conn, {"actor_kind": "system"})
        await conn.execute(text("INSERT INTO integrated_report (id, workspace_id, evaluation_month, created_at) "
                                "VALUES (:r, :ws, '2026-11', now())"), {"r": report, "ws": wid})
        for pos, domain in enumerate(SECTIONS):
            await conn.execute(text(
                "INSERT INTO integrated_report_section (id, report_id, workspace_id, position, key, life_domain, "
                "text, prefilled, created_at) VALUES (:i, :r, :ws, :p, :k, :d, 'x', false, now())"),
                {"i": uuid.uuid4(), "r": report, "ws": wid, "p": pos, "k": domain, "d": domain})


async def test_sections_follow_identity_and_consent(client, factory, app_engine):  # noqa: F811
    case = await make_case(client, factory, partners=2)
    p, q = case.partners
    outsider = await factory.person(roles=("worker",))
    await grant(client, case, p.agency_id, ["housing"])
    await _add_report(app_engine, case.wid)
    sql = "SELECT life_domain FROM integrated_report_section WHERE workspace_id = :ws"

    async def seen(scope):
        return {r[0] for r in await _raw(app_engine, sql, scope, ws=case.wid)}

    assert await seen(staff_scope(p)) == {"identity", "housing"}
    assert await seen(staff_scope(q)) == {"identity"}  # a member without consent: identity only
    assert await seen(staff_scope(outsider)) == set()  # not a member: nothing
    assert await seen({"actor_kind": "jobseeker", "workspace_id": case.wid, "agency_id": "",
                       "platform_admin": "0"}) == set(SECTIONS)
    assert await seen({"actor_kind": "jobseeker", "workspace_id": str(uuid.uuid4()), "agency_id": "",
                       "platform_admin": "0"}) == set()
    assert await seen(None) == set()


async def test_no_policy_calls_a_rule_function(settings_env):
    """Every w2 policy, hand-written combinations included, is the inlined rule: no function per row."""
    conn = await asyncpg.connect(_dsn(settings_env["W2_MIGRATION_DATABASE_URL"]))
    try:
        rows = await conn.fetch("SELECT tablename, qual, with_check FROM pg_policies WHERE schemaname = 'public'")
    finally:
        await conn.close()
    assert "integrated_report_section" in {r["tablename"] for r in rows}
    slow = [r["tablename"] for r in rows
            if any(f in (r["qual"] or "") + (r["with_check"] or "") for f in ("w2_can_read_domain(", "w2_workspace_visible("))]
    assert slow == [], f"policies calling a rule function per row: {slow}"

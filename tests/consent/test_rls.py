"""Defence in depth on PostgreSQL: row-level security, a non-owner app role, an append-only log."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from tests.consent.helpers import add_agreement, grant, make_case, revoke
from w2.platform.db.engine import make_engine
from w2.platform.db.scope import ENTER_SQL, enter_params, fetch_key


@pytest.fixture
async def app_engine(settings_env):
    """An engine connecting exactly as the app does (the non-owner role)."""
    engine = make_engine(settings_env["W2_DATABASE_URL"], pooled=False)
    yield engine
    await engine.dispose()


async def _raw(engine, sql: str, scope: dict[str, str] | None = None, **params) -> list:
    """Run SQL that skips the policy module, under the given scope (entered the one way that counts)."""
    async with engine.connect() as conn, conn.begin():
        await _enter(engine, conn, scope)
        return list((await conn.execute(text(sql), params)).all())


async def _enter(engine, conn, scope: dict[str, str] | None) -> None:
    if scope:
        await conn.execute(text(ENTER_SQL), enter_params(await fetch_key(engine.url), scope))


def staff_scope(person, admin: bool = False) -> dict[str, str]:
    return {"actor_kind": "staff", "agency_id": str(person.agency_id), "workspace_id": "",
            "platform_admin": "1" if admin else "0"}


async def test_app_role_neither_owns_nor_bypasses(app_engine):
    row = (await _raw(app_engine, "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles "
                                  "WHERE rolname = current_user"))[0]
    assert row.rolsuper is False and row.rolbypassrls is False
    owned = await _raw(app_engine, "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tableowner = current_user")
    assert owned == []
    forced = await _raw(app_engine, "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity "
                                    "AND relname IN ('agreement', 'agreement_note')")
    assert {r.relname for r in forced} == {"agreement", "agreement_note"}


async def test_raw_query_without_policy_returns_only_consented_rows(client, factory, app_engine):
    case = await make_case(client, factory, partners=2)
    p, q = case.partners
    await grant(client, case, case.coord.agency_id, ["housing", "health"])
    cp = await grant(client, case, p.agency_id, ["housing"])
    a = await add_agreement(client, case, "housing", p.agency_id)
    b = await add_agreement(client, case, "health", case.coord.agency_id)
    r = await client.patch(f"/api/v1/agreements/{a['id']}", json={"note": "vertrouwelijk"}, headers=p.headers)
    assert r.status_code == 200
    ws = case.wid
    sql = "SELECT id::text FROM agreement WHERE workspace_id = :ws"
    notes = "SELECT n.id FROM agreement_note n JOIN agreement a ON a.id = n.agreement_id WHERE a.workspace_id = :ws"

    assert await _raw(app_engine, sql, None, ws=ws) == []  # no scope at all: nothing
    assert {r[0] for r in await _raw(app_engine, sql, staff_scope(p), ws=ws)} == {a["id"]}
    assert await _raw(app_engine, sql, staff_scope(q), ws=ws) == []
    assert await _raw(app_engine, "SELECT count(*) FROM agreement_note WHERE agreement_id = :a",
                      staff_scope(q), a=a["id"]) == [(0,)]
    assert len(await _raw(app_engine, notes, staff_scope(p), ws=ws)) == 1
    assert {r[0] for r in await _raw(app_engine, sql, staff_scope(case.coord), ws=ws)} == {a["id"], b["id"]}
    assert await _raw(app_engine, sql, staff_scope(case.coord, admin=True), ws=ws) == []
    js = {"actor_kind": "jobseeker", "workspace_id": ws, "agency_id": "", "platform_admin": "0"}
    assert len(await _raw(app_engine, sql, js, ws=ws)) == 2
    other_js = dict(js, workspace_id=str(uuid.uuid4()))
    assert await _raw(app_engine, sql, other_js, ws=ws) == []
    assert len(await _raw(app_engine, sql, {"actor_kind": "system"}, ws=ws)) == 2
    assert await _raw(app_engine, sql, {"actor_kind": "anonymous"}, ws=ws) == []

    await revoke(client, case, cp["id"])  # bites in the database too
    assert await _raw(app_engine, sql, staff_scope(p), ws=ws) == []
    assert await _raw(app_engine, notes, staff_scope(p), ws=ws) == []


async def test_raw_insert_and_update_outside_consent_refused(client, factory, app_engine):
    case = await make_case(client, factory, partners=1)
    p = case.partners[0]
    await grant(client, case, case.coord.agency_id, ["finances"])
    a = await add_agreement(client, case, "finances", case.coord.agency_id)
    insert = ("INSERT INTO agreement (id, workspace_id, life_domain, description, owner_kind, status, updated_at, "
              "created_at) VALUES (:id, :ws, 'finances', 'x', 'jobseeker', 'open', now(), now())")
    with pytest.raises(ProgrammingError, match="row-level security"):
        await _raw(app_engine, insert, staff_scope(p), id=str(uuid.uuid4()), ws=case.wid)
    async with app_engine.connect() as conn, conn.begin():
        await _enter(app_engine, conn, staff_scope(p))
        res = await conn.execute(text("UPDATE agreement SET description = 'x' WHERE id = :id"), {"id": a["id"]})
        assert res.rowcount == 0
        res = await conn.execute(text("DELETE FROM agreement WHERE id = :id"), {"id": a["id"]})
        assert res.rowcount == 0


@pytest.mark.parametrize("stmt", ["UPDATE access_log SET outcome = 'allowed'", "DELETE FROM access_log",
                                  "TRUNCATE access_log", "UPDATE consent SET purpose = 'x'",
                                  "DELETE FROM consent_revocation"])
async def test_evidence_tables_refuse_changes_for_app_and_owner(client, factory, app_engine, sessionmaker, stmt):
    case = await make_case(client, factory, partners=0)
    c = await grant(client, case, case.coord.agency_id, ["housing"])
    await revoke(client, case, c["id"])
    with pytest.raises((ProgrammingError, DBAPIError), match="permission denied|append-only"):
        await _raw(app_engine, stmt, {"actor_kind": "system"})
    # Even the owner (here a superuser, which bypasses privileges) is stopped by the trigger.
    async with sessionmaker() as s:
        with pytest.raises(DBAPIError, match="append-only"):
            await s.execute(text(stmt))
    async with sessionmaker() as s:
        assert (await s.execute(text("SELECT count(*) FROM access_log"))).scalar_one() > 0


def test_ensure_app_role_is_idempotent_and_tolerates_races(database_url):
    import asyncio

    from w2.platform.db.roles import ensure_app_role

    name = f"w2_race_{uuid.uuid4().hex[:8]}"
    from sqlalchemy.engine import make_url

    app_url = make_url(database_url).set(username=name).render_as_string(hide_password=False)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            ensure_app_role(database_url, app_url)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    try:
        assert errors == []
        assert ensure_app_role(database_url, app_url) is True
        assert ensure_app_role(database_url, database_url) is False  # same user: nothing to do
        assert ensure_app_role("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db") is False
    finally:
        async def drop() -> None:
            engine = make_engine(database_url, pooled=False)
            async with engine.begin() as conn:
                await conn.execute(text(f'DROP OWNED BY "{name}"'))
                await conn.execute(text(f'DROP ROLE "{name}"'))
            await engine.dispose()

        asyncio.run(drop())

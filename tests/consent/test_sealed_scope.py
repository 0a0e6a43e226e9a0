"""Issue 13 item 8: SQL running as the app role cannot forge its row-level-security scope."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from tests.consent.helpers import add_agreement, grant, make_case
from w2.platform.db.engine import make_engine
from w2.platform.db.scope import ENTER_SQL, enter_params, fetch_key


@pytest.fixture
async def app_engine(settings_env):
    engine = make_engine(settings_env["W2_DATABASE_URL"], pooled=False)
    yield engine
    await engine.dispose()


async def _case(client, factory):
    case = await make_case(client, factory, partners=1)
    await grant(client, case, case.coord.agency_id, ["housing", "health"])
    await add_agreement(client, case, "housing", case.coord.agency_id)
    await add_agreement(client, case, "health", case.coord.agency_id)
    return case


SQL = "SELECT count(*) FROM agreement WHERE workspace_id = CAST(:ws AS uuid)"


async def test_set_config_system_reads_nothing(client, factory, app_engine):
    case = await _case(client, factory)
    async with app_engine.connect() as conn, conn.begin():
        await conn.execute(text("SELECT set_config('w2.actor_kind', 'system', true)"))
        assert (await conn.execute(text(SQL), {"ws": case.wid})).scalar_one() == 0
    # Also after a legitimate scope of another agency: changing a sealed setting voids the scope.
    key = await fetch_key(app_engine.url)
    partner = case.partners[0]
    async with app_engine.connect() as conn, conn.begin():
        await conn.execute(text(ENTER_SQL), enter_params(key, {"actor_kind": "staff", "agency_id": partner.agency_id}))
        assert (await conn.execute(text(SQL), {"ws": case.wid})).scalar_one() == 0
        await conn.execute(text("SELECT set_config('w2.actor_kind', 'system', true)"))
        assert (await conn.execute(text(SQL), {"ws": case.wid})).scalar_one() == 0
        await conn.execute(text("SELECT set_config('w2.agency_id', :a, true)"), {"a": str(case.coord.agency_id)})
        await conn.execute(text("SELECT set_config('w2.actor_kind', 'staff', true)"))
        assert (await conn.execute(text(SQL), {"ws": case.wid})).scalar_one() == 0
    # The legitimate way still works: the coordinator's agency reads its two agreements.
    async with app_engine.connect() as conn, conn.begin():
        await conn.execute(text(ENTER_SQL), enter_params(key, {"actor_kind": "staff",
                                                              "agency_id": case.coord.agency_id}))
        assert (await conn.execute(text(SQL), {"ws": case.wid})).scalar_one() == 2


async def test_forged_proof_and_the_key_are_out_of_reach(client, factory, app_engine):
    case = await _case(client, factory)
    stolen = None
    async with app_engine.connect() as conn:
        with pytest.raises((ProgrammingError, DBAPIError), match="proof does not match"):
            async with conn.begin():
                await conn.execute(text(ENTER_SQL), {"kind": "system", "agency": "", "ws": "", "admin": "0",
                                                     "proof": "0" * 64})
    for stmt in ("SELECT key FROM w2_private.scope_key", "SELECT w2_private.mac('system|||0')"):
        async with app_engine.connect() as conn:
            with pytest.raises((ProgrammingError, DBAPIError), match="permission denied"):
                async with conn.begin():
                    stolen = (await conn.execute(text(stmt))).scalar_one()
    assert stolen is None
    # A seal copied from one transaction is worthless in the next.
    key = await fetch_key(app_engine.url)
    async with app_engine.connect() as conn:
        async with conn.begin():
            await conn.execute(text(ENTER_SQL), enter_params(key, {"actor_kind": "system"}))
            seal = (await conn.execute(text("SELECT current_setting('w2.seal')"))).scalar_one()
            assert (await conn.execute(text(SQL), {"ws": case.wid})).scalar_one() == 2
        async with conn.begin():
            await conn.execute(text("SELECT set_config('w2.actor_kind', 'system', true), "
                                    "set_config('w2.agency_id', '', true), set_config('w2.workspace_id', '', true), "
                                    "set_config('w2.platform_admin', '0', true), set_config('w2.seal', :s, true)"),
                               {"s": seal})
            assert (await conn.execute(text(SQL), {"ws": case.wid})).scalar_one() == 0


async def test_app_role_cannot_redefine_the_scope_functions(app_engine):
    for stmt in ("CREATE OR REPLACE FUNCTION w2_scope_sealed() RETURNS boolean LANGUAGE sql AS $$ SELECT true $$",
                 "CREATE OR REPLACE FUNCTION w2_actor_kind() RETURNS text LANGUAGE sql AS $$ SELECT 'system' $$",
                 "CREATE FUNCTION pg_temp.w2_scope_sealed() RETURNS boolean LANGUAGE sql AS $$ SELECT true $$"):
        async with app_engine.connect() as conn:
            try:
                async with conn.begin():
                    await conn.execute(text(stmt))
                    kind = (await conn.execute(text("SELECT w2_actor_kind()"))).scalar_one()
            except (ProgrammingError, DBAPIError) as exc:
                assert "must be owner" in str(exc) or "permission denied" in str(exc)
            else:
                assert kind is None  # a temp function does not shadow the policy's own (search_path)

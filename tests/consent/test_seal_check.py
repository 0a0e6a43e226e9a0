"""The row-level-security accessors check the seal with one function call each (counted, not timed)."""

from __future__ import annotations

import uuid

import asyncpg

from tests.conftest import _dsn
from w2.platform.db.scope import enter_params, fetch_key


async def test_an_accessor_checks_the_seal_without_a_nested_mac_call(settings_env):
    from sqlalchemy.engine import make_url

    key = await fetch_key(make_url(settings_env["W2_DATABASE_URL"]))
    agency = uuid.uuid4()
    p = enter_params(key, {"actor_kind": "staff", "agency_id": agency})
    conn = await asyncpg.connect(_dsn(settings_env["W2_MIGRATION_DATABASE_URL"]))
    try:
        async with conn.transaction():
            await conn.execute("SET LOCAL track_functions = 'all'")
            await conn.fetchval("SELECT w2_enter($1, $2, $3, $4, $5)", p["kind"], p["agency"], p["ws"], p["admin"],
                                p["proof"])
            # The seal holds: the accessors read the scope that was entered.
            assert await conn.fetchval("SELECT w2_actor_kind()") == "staff"
            assert await conn.fetchval("SELECT w2_actor_agency()") == agency
            calls = dict(await conn.fetch("SELECT funcname, calls FROM pg_stat_xact_user_functions"))
        assert calls.get("w2_scope_sealed") == 2
        # Entering checks the proof and makes the seal (two MACs); checking the seal calls no second function.
        assert calls.get("mac") == 2
    finally:
        await conn.close()

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


async def test_the_seal_check_keeps_its_plan_per_connection(settings_env):
    # A SECURITY DEFINER function in SQL is planned again in every query that calls it (each accessor
    # once per query); PL/pgSQL keeps its plans for the connection's life (perf_0009_seal_plpgsql).
    conn = await asyncpg.connect(_dsn(settings_env["W2_MIGRATION_DATABASE_URL"]))
    try:
        langs = dict(await conn.fetch(
            "SELECT p.proname, l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang "
            "WHERE p.proname IN ('w2_scope_sealed', 'mac')"))
    finally:
        await conn.close()
    assert langs == {"w2_scope_sealed": "plpgsql", "mac": "plpgsql"}

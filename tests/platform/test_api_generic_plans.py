"""A bearer-token request asks for generic plans, for its own transaction only (perf_0010_api_generic_plans)."""

from __future__ import annotations

import asyncpg

from tests.conftest import _dsn
from w2.platform.auth import token_digest


async def test_entering_a_token_asks_for_generic_plans_until_the_transaction_ends(factory, settings_env):
    person = await factory.person()
    conn = await asyncpg.connect(_dsn(settings_env["W2_DATABASE_URL"]))  # the app role, as a request runs
    try:
        before = await conn.fetchval("SHOW plan_cache_mode")
        async with conn.transaction():
            assert await conn.fetchval("SELECT w2_enter_token($1)", token_digest(person.token)) == person.user_id
            # The list statements under row-level security are planned once per connection, not per request.
            assert await conn.fetchval("SHOW plan_cache_mode") == "force_generic_plan"
        # Transaction-local, like the scope: the next transaction on this (pooled) connection starts as before.
        assert await conn.fetchval("SHOW plan_cache_mode") == before != "force_generic_plan"
        async with conn.transaction():
            assert await conn.fetchval("SELECT w2_enter_token($1)", token_digest("not-a-token")) is None
            assert await conn.fetchval("SHOW plan_cache_mode") == before
    finally:
        await conn.close()

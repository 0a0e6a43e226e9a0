"""Migration instr_0001: scores of the inner themes filed as `other` move to `inner`; nothing else moves."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
from alembic import command

from tests.conftest import PG_BASE, RUN_ID, _dsn
from w2.platform.db.migrate import alembic_config

ROWS = [("self_confidence", "inside", "other"), ("feeling_well", "inside", "other"),
        ("free", "free", "other"), ("income", "outside", "finances")]


async def _sql(dbname: str, *statements: str) -> list[tuple[str, str]]:
    conn = await asyncpg.connect(_dsn(PG_BASE, dbname))
    try:
        for stmt in statements:
            await conn.execute(stmt)
        return [(r["theme"], r["life_domain"]) for r in await conn.fetch(
            "SELECT theme, life_domain FROM score_entry ORDER BY theme")]
    finally:
        await conn.close()


def test_inner_themes_move_to_their_own_domain() -> None:
    name = f"w2_test_{RUN_ID}_inner"

    async def admin(stmt: str) -> None:
        conn = await asyncpg.connect(_dsn(PG_BASE))
        await conn.execute(stmt)
        await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        cfg = alembic_config(PG_BASE.rsplit("/", 1)[0] + "/" + name)
        # Only what this migration builds on, so no later branch's downgrade is in the way.
        command.upgrade(cfg, "0002_reports")
        sheet = uuid.uuid4()
        inserts = [
            # No workspace rows exist in this bare database: skip the foreign keys for the fixture rows.
            "SET session_replication_role = replica",
            *(f"INSERT INTO score_entry (id, sheet_id, workspace_id, filled_by, taken_on, theme, theme_group, "
              f"life_domain, score_now, recorded_by_jobseeker, created_at) VALUES ('{uuid.uuid4()}', '{sheet}', "
              f"'{uuid.uuid4()}', 'jobseeker', '2026-01-05', '{theme}', '{group}', '{domain}', 5, true, now())"
              for theme, group, domain in ROWS),
        ]
        before = asyncio.run(_sql(name, *inserts))
        assert dict(before)["self_confidence"] == "other"
        command.upgrade(cfg, "instr_0001")
        after = dict(asyncio.run(_sql(name)))
        assert after == {"self_confidence": "inner", "feeling_well": "inner", "free": "other", "income": "finances"}
        command.downgrade(cfg, "0002_reports")
        assert dict(asyncio.run(_sql(name))) == dict(before)
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

"""The migration guards switch on row-level security and append-only triggers, and switch them off again."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from w2.platform.migrations import guards

SUFFIX = uuid.uuid4().hex[:8]
NOTES, LOG = f"guard_notes_{SUFFIX}", f"guard_log_{SUFFIX}"


def _migrate(conn: Any, up: bool) -> None:
    with Operations.context(MigrationContext.configure(conn)):
        from alembic import op

        if up:
            op.create_table(NOTES, sa.Column("id", sa.Integer, primary_key=True),
                            sa.Column("workspace_id", sa.Uuid, nullable=False),
                            sa.Column("life_domain", sa.String(30), nullable=False))
            op.create_table(LOG, sa.Column("id", sa.Integer, primary_key=True), sa.Column("what", sa.Text))
            guards.case_content(NOTES)
            guards.append_only(LOG)
        else:
            guards.drop_rls(NOTES)
            guards.drop_append_only(LOG)


async def _state(conn: Any) -> tuple[bool, bool, int, int]:
    row = (await conn.execute(sa.text(
        "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = :t"), {"t": NOTES})).one()
    policies = await conn.scalar(sa.text("SELECT count(*) FROM pg_policies WHERE tablename = :t"), {"t": NOTES})
    triggers = await conn.scalar(sa.text(
        "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE c.relname = :t AND NOT t.tgisinternal"), {"t": LOG})
    return row[0], row[1], policies, triggers


async def test_guards_on_and_off(database_url: str) -> None:
    engine = create_async_engine(database_url, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_migrate, True)
            assert await _state(conn) == (True, True, 1, 2)
            await conn.execute(sa.text(f"INSERT INTO {LOG} (id, what) VALUES (1, 'evidence')"))
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            async with engine.begin() as conn:
                await conn.execute(sa.text(f"UPDATE {LOG} SET what = 'changed'"))
        async with engine.begin() as conn:
            await conn.run_sync(_migrate, False)
            assert await _state(conn) == (False, False, 0, 0)
            await conn.execute(sa.text(f"UPDATE {LOG} SET what = 'changed'"))
    finally:
        async with engine.begin() as conn:
            await conn.execute(sa.text(f"DROP TABLE IF EXISTS {NOTES}, {LOG}"))
        await engine.dispose()

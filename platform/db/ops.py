"""Small statements that differ per dialect, written once."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import CursorResult, Select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

S = TypeVar("S", bound=Select[Any])


def dialect_name(session: AsyncSession) -> str:
    """`postgresql` or `sqlite`: the database this session talks to."""
    return session.get_bind().dialect.name


def skip_locked(stmt: S, session: AsyncSession) -> S:
    """FOR UPDATE SKIP LOCKED on PostgreSQL (work claimed by one process at a time); as is on SQLite."""
    return stmt.with_for_update(skip_locked=True) if dialect_name(session) == "postgresql" else stmt


async def insert_ignore(session: AsyncSession, model: Any, values: dict[str, Any], keys: list[str]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING on PostgreSQL and SQLite; True when the row is new."""
    insert = postgresql.insert if dialect_name(session) == "postgresql" else sqlite.insert
    res = await session.execute(insert(model).values(**values).on_conflict_do_nothing(index_elements=keys))
    assert isinstance(res, CursorResult)  # an INSERT's result has a row count
    return bool(res.rowcount)

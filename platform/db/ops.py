"""Small statements that differ per dialect, written once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def dialect_name(session: AsyncSession) -> str:
    """`postgresql` or `sqlite`: the database this session talks to."""
    return session.get_bind().dialect.name


async def insert_ignore(session: AsyncSession, model: Any, values: dict[str, Any], keys: list[str]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING on PostgreSQL and SQLite; True when the row is new."""
    insert = postgresql.insert if dialect_name(session) == "postgresql" else sqlite.insert
    res = await session.execute(insert(model).values(**values).on_conflict_do_nothing(index_elements=keys))
    assert isinstance(res, CursorResult)  # an INSERT's result has a row count
    return bool(res.rowcount)

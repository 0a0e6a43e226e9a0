"""The first statement of a request: a retry when the pooled connection turned out to be dead.

The pool does not ping on check-out (`pool_pre_ping` costs a round trip per request); it recycles
connections after `pool_recycle` seconds instead, and a request whose first statement meets a dead
connection (database restarted, idle connection cut by a proxy) retries once on a fresh one.
Nothing has been written at that point, so the retry is safe.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


async def first_statement(session: AsyncSession, fn: Callable[[], Awaitable[T]]) -> T:
    """Run the session's first statement; once more on a fresh connection if the first was dead."""
    try:
        return await fn()
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
        await session.rollback()
        return await fn()

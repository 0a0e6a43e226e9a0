"""One transaction as the system, for the CLI and the demo (outside any request or task)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from w2.platform.db.engine import make_engine, make_sessionmaker
from w2.platform.db.scope import SYSTEM_SCOPE
from w2.platform.settings import get_settings


async def with_system_session(fn: Callable[[Any], Any]) -> Any:
    """Run `fn(session)` in one committed transaction on the owner connection, scoped as the system."""
    engine = make_engine(get_settings().migration_database_url, pooled=False)
    try:
        async with make_sessionmaker(engine, rls=SYSTEM_SCOPE)() as session:
            session.info["kick_relay"] = False
            async with session.begin():
                return await fn(session)
    finally:
        await engine.dispose()

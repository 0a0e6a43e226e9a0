"""Async database access from Celery tasks and the CLI: one loop and engine per process."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from w2.platform.db.engine import make_engine, make_sessionmaker
from w2.platform.db.scope import SYSTEM_SCOPE
from w2.platform.settings import get_settings

T = TypeVar("T")
_state: dict[str, Any] = {}


def _ensure() -> tuple[asyncio.AbstractEventLoop, async_sessionmaker[AsyncSession]]:
    # After a fork (or in another thread) the loop and pool belong to someone else: start fresh.
    owner = (os.getpid(), threading.get_ident())
    if _state.get("pid") != owner:
        _state.clear()
        loop = asyncio.new_event_loop()
        engine = make_engine(get_settings().database_url, pgbouncer=get_settings().database_pgbouncer)
        _state.update(pid=owner, loop=loop, engine=engine, sessionmaker=make_sessionmaker(engine, rls=SYSTEM_SCOPE))
    return _state["loop"], _state["sessionmaker"]


def run(fn: Callable[[async_sessionmaker[AsyncSession]], Awaitable[T]]) -> T:
    """Run `fn(sessionmaker)` on this process's loop."""
    loop, sm = _ensure()
    return loop.run_until_complete(fn(sm))


def engine() -> AsyncEngine:
    """This process's engine."""
    _ensure()
    eng: AsyncEngine = _state["engine"]
    return eng


def reset() -> None:
    """Dispose the engine and forget the loop (tests, settings change)."""
    if _state.get("pid") == (os.getpid(), threading.get_ident()):
        loop, eng = _state["loop"], _state["engine"]
        loop.run_until_complete(eng.dispose())
        loop.close()
    _state.clear()

"""Async engine and session factory, with per-transaction settings for row-level security."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool


class W2Session(Session):
    """Sync session class whose transactions carry `session.info["rls"]` as local settings."""


@event.listens_for(W2Session, "after_begin")
def _apply_rls_settings(session: Session, transaction: Any, connection: Any) -> None:
    # Transaction-local (is_local=true) so a pooled connection never leaks one caller's scope.
    if connection.dialect.name != "postgresql":
        return
    scope = session.info.get("rls") or {}
    if not scope:
        return
    # One round trip, through the function that checks the proof and seals the scope (platform/db/scope.py).
    from sqlalchemy.util import await_only

    from w2.platform.db.scope import ENTER_SQL, enter_params, fetch_key

    key = await_only(fetch_key(connection.engine.url))
    connection.execute(text(ENTER_SQL), enter_params(key, scope))


def make_engine(url: str, *, pooled: bool = True, pgbouncer: bool = False) -> AsyncEngine:
    """Create an engine; SQLite gets foreign keys switched on; `pgbouncer` for transaction pooling."""
    kwargs: dict[str, Any] = {}
    if pgbouncer and url.startswith("postgresql"):
        # Transaction pooling hands each transaction any server connection: prepared statements must not
        # outlive their transaction, so no statement caches and a fresh name per statement.
        kwargs["connect_args"] = {"statement_cache_size": 0, "prepared_statement_cache_size": 0,
                                  "prepared_statement_name_func": lambda: f"__w2_{uuid.uuid4().hex}__"}
    if not pooled:
        kwargs["poolclass"] = NullPool
    elif url.startswith("postgresql"):
        # No ping per check-out (a round trip per request): connections are recycled after a while,
        # and a request's first statement retries once on a dead one (platform/db/first_trip.py).
        kwargs.update(pool_pre_ping=False, pool_recycle=300, pool_size=10, max_overflow=10)
    engine = create_async_engine(url, **kwargs)
    if url.startswith("sqlite"):

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=10000")
            cur.close()

    return engine


def make_sessionmaker(engine: AsyncEngine, rls: dict[str, Any] | None = None) -> async_sessionmaker[AsyncSession]:
    """Session factory used by the web app, tasks and CLI; `rls` is the default scope of its sessions."""
    kwargs: dict[str, Any] = {"info": {"rls": dict(rls)}} if rls else {}
    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=W2Session, **kwargs)

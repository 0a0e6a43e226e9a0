"""Alembic environment: async engines, batch mode on SQLite."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection, pool
from sqlalchemy.ext.asyncio import create_async_engine

from w2.platform.boot.models import metadata

config = context.config


def do_run_migrations(connection: Connection) -> None:
    """Configure the context on a live connection and run."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    """Open an engine for the configured URL and migrate."""
    url = config.get_main_option("sqlalchemy.url")
    assert url, "alembic needs sqlalchemy.url (platform/db/migrate.py sets it)"
    engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as conn:
        await conn.run_sync(do_run_migrations)
    await engine.dispose()


conn = config.attributes.get("connection")
if conn is not None:
    do_run_migrations(conn)
else:
    asyncio.run(run_async_migrations())

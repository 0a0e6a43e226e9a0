"""`w2 seed-scale`: pick the fast path for the database and report what was written."""

from __future__ import annotations

import secrets
import sys
from collections import Counter
from typing import Any

from w2.platform.boot.scale.load import asyncpg_dsn, seed_postgres, seed_sqlalchemy


def extra_tables() -> list[Any]:
    """Generators for other domains' tables that exist in this build (round tables)."""
    from w2.platform.boot.scale import meetings

    extra = meetings.extra()
    if extra is None:
        print("seed-scale: geen vergadertabellen gevonden; overleggen overgeslagen", file=sys.stderr)
        return []
    return [extra]


async def seed(url: str, *, jobseekers: int, agencies: int, seed: int = 1, chunk: int | None = None,
               keep_indexes: bool = False, show_progress: bool = True, tag: str | None = None) -> Counter[str]:
    """Fill the database at `url`; COPY on PostgreSQL, batched inserts elsewhere."""
    tag = tag or secrets.token_hex(3)
    extras = extra_tables()
    if url.startswith("postgresql"):
        return await seed_postgres(asyncpg_dsn(url), jobseekers=jobseekers, agencies=agencies, seed=seed,
                                   chunk=chunk or 2000, tag=tag, keep_indexes=keep_indexes,
                                   show_progress=show_progress, extra_tables=extras)
    return await seed_sqlalchemy(url, jobseekers=jobseekers, agencies=agencies, seed=seed, chunk=chunk or 500,
                                 tag=tag, show_progress=show_progress, extra_tables=extras)

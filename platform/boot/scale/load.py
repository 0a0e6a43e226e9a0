"""Write generated rows: COPY on PostgreSQL (indexes rebuilt once at the end), batched inserts on SQLite."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any, Protocol

from w2.platform.boot.scale.progress import Progress
from w2.platform.boot.scale.rows import COLUMNS, CONTENT_TABLES, RegionGenerator


class ExtraTables(Protocol):
    """Rows for tables of another domain, derived from a generated batch (e.g. round tables)."""

    columns: dict[str, tuple[str, ...]]

    def rows(self, gen: RegionGenerator, batch: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]: ...


class Writer(Protocol):
    """Where rows go."""

    async def existing_agency_names(self) -> set[str]: ...
    async def write(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None: ...


class PostgresWriter:
    """COPY (binary) through asyncpg, in the caller's transaction."""

    def __init__(self, conn: Any) -> None:
        from sqlalchemy import JSON

        from w2.platform.boot.models import metadata

        self.conn = conn
        # JSON columns travel as text through COPY.
        self.json = {(t.name, c.name) for t in metadata.tables.values() for c in t.columns
                     if isinstance(c.type, JSON)}

    async def existing_agency_names(self) -> set[str]:
        """Names already taken (agency names are unique)."""
        return {r[0] for r in await self.conn.fetch("SELECT name FROM agency")}

    async def write(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        """COPY rows into the table; JSON columns travel as text."""
        if not rows:
            return
        json_idx = [i for i, c in enumerate(columns) if (table, c) in self.json]
        if json_idx:
            rows = [tuple(json.dumps(v) if i in json_idx else v for i, v in enumerate(r)) for r in rows]
        await self.conn.copy_records_to_table(table, records=rows, columns=list(columns))

    async def drop_secondary(self, tables: Sequence[str]) -> list[str]:
        """Drop foreign keys and non-constraint indexes of `tables`; returns the DDL that restores them."""
        fks = await self.conn.fetch(
            """SELECT c.conrelid::regclass::text AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def
               FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY($1::text[])""",
            list(tables))
        idx = await self.conn.fetch(
            """SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
               FROM pg_index i
               WHERE i.indrelid::regclass::text = ANY($1::text[])
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
            list(tables))
        # A partitioned table's index reads "ON ONLY parent": restored like that it stays INVALID with no
        # index on the partitions (DROP INDEX took theirs too), so it is rebuilt across the partitions.
        restore = [r["def"].replace(" ON ONLY ", " ON ", 1) for r in idx]
        restore += [f'ALTER TABLE {r["tbl"]} ADD CONSTRAINT "{r["conname"]}" {r["def"]}' for r in fks]
        for r in fks:
            await self.conn.execute(f'ALTER TABLE {r["tbl"]} DROP CONSTRAINT "{r["conname"]}"')
        for r in idx:
            await self.conn.execute(f'DROP INDEX {r["name"]}')
        return restore


class SQLAlchemyWriter:
    """Batched executemany through SQLAlchemy Core (the SQLite fallback; slower)."""

    def __init__(self, conn: Any) -> None:
        from w2.platform.boot.models import metadata

        self.conn = conn
        self.metadata = metadata

    async def existing_agency_names(self) -> set[str]:
        """Names already taken."""
        from sqlalchemy import text

        return {r[0] for r in await self.conn.execute(text("SELECT name FROM agency"))}

    async def write(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        """Insert rows in batches."""
        tbl = self.metadata.tables[table]
        for i in range(0, len(rows), 5000):
            await self.conn.execute(tbl.insert(), [dict(zip(columns, r, strict=True)) for r in rows[i:i + 5000]])


async def fill(writer: Writer, gen: RegionGenerator, jobseekers: int, agencies: int, chunk: int,
               progress: Progress | None, extra_tables: Sequence[ExtraTables] = ()) -> Counter[str]:
    """Generate and write a whole region; returns row counts per table."""
    counts: Counter[str] = Counter()
    directory = gen.agencies(agencies, await writer.existing_agency_names())
    for table, rows in directory.items():
        await writer.write(table, COLUMNS[table], rows)
        counts[table] += len(rows)
    columns = dict(COLUMNS)
    for extra in extra_tables:
        columns.update(extra.columns)
    done = 0
    while done < jobseekers:
        n = min(chunk, jobseekers - done)
        batch = gen.workspaces(n)
        for extra in extra_tables:
            batch.update(extra.rows(gen, batch))
        for table in (*CONTENT_TABLES, *(t for e in extra_tables for t in e.columns)):
            await writer.write(table, columns[table], batch[table])
            counts[table] += len(batch[table])
        done += n
        if progress:
            progress.update(done, f"werkzoekenden, {counts['agreement']} afspraken")
    return counts


async def _access_triggers(conn: Any) -> list[tuple[str, str]]:
    """(table, trigger) of the triggers that keep consent_access."""
    rows = await conn.fetch("SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
                            "WHERE NOT tgisinternal AND tgname LIKE 'w2\\_access\\_%'")
    return [(r[0], r[1]) for r in rows]


async def seed_postgres(dsn: str, *, jobseekers: int, agencies: int, seed: int = 1, chunk: int = 2000,
                        tag: str = "scale", keep_indexes: bool = False, show_progress: bool = True,
                        extra_tables: Sequence[ExtraTables] = ()) -> Counter[str]:
    """Fill a PostgreSQL database in one transaction; indexes and foreign keys are rebuilt at the end."""
    import asyncpg

    conn = await asyncpg.connect(dsn)
    progress = Progress(jobseekers, "seed-scale") if show_progress else None
    try:
        tables = ["agency", "app_user", *CONTENT_TABLES, *(t for e in extra_tables for t in e.columns)]
        derived = ["consent_access"] if await conn.fetchval("SELECT to_regclass('public.consent_access')") else []
        async with conn.transaction():
            await conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
            # As the owner, not a superuser: row-level security is FORCE'd on case content, and COPY does
            # not run under it. Lift FORCE for this transaction only (ALTER TABLE holds an exclusive lock
            # until commit, so no other session ever sees it lifted), and put it back before committing.
            forced = [r[0] for r in await conn.fetch(
                "SELECT relname FROM pg_class WHERE relforcerowsecurity AND relkind IN ('r', 'p') "
                "AND relnamespace = 'public'::regnamespace AND relname = ANY($1::text[])", tables)]
            for t in forced:
                await conn.execute(f"ALTER TABLE {t} NO FORCE ROW LEVEL SECURITY")
            # The compiled access table is filled once at the end instead of a trigger call per row.
            triggers = await _access_triggers(conn) if derived else []
            for table, trigger in triggers:
                await conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
            writer = PostgresWriter(conn)
            restore = [] if keep_indexes else await writer.drop_secondary(tables + derived)
            counts = await fill(writer, RegionGenerator(seed, tag=tag), jobseekers, agencies, chunk, progress,
                                extra_tables)
            if derived:
                from w2.consent.access import ACCESS_ROWS
                from w2.consent.access import COLUMNS as ACCESS_COLUMNS

                if progress:
                    progress.note("toegangstabel (consent_access) vullen")
                await conn.execute("DELETE FROM consent_access")
                await conn.execute(f"INSERT INTO consent_access ({ACCESS_COLUMNS}) {ACCESS_ROWS}")
                counts["consent_access"] = await conn.fetchval("SELECT count(*) FROM consent_access")
            if progress:
                progress.note(f"indexen en sleutels opnieuw opbouwen ({len(restore)})")
            for ddl in restore:
                await conn.execute(ddl)
            for table, trigger in triggers:
                await conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
            for t in forced:
                await conn.execute(f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY")
        if progress:
            progress.note("VACUUM ANALYZE")
        for t in tables + derived:
            await conn.execute(f"VACUUM (ANALYZE) {t}")
        if progress:
            progress.note("klaar")
        return counts
    finally:
        await conn.close()


async def seed_sqlalchemy(url: str, *, jobseekers: int, agencies: int, seed: int = 1, chunk: int = 500,
                          tag: str = "scale", show_progress: bool = True,
                          extra_tables: Sequence[ExtraTables] = ()) -> Counter[str]:
    """Fill any SQLAlchemy database (SQLite) with batched inserts in one transaction."""
    from w2.platform.db.engine import make_engine

    engine = make_engine(url, pooled=False)
    progress = Progress(jobseekers, "seed-scale") if show_progress else None
    try:
        async with engine.begin() as conn:
            counts = await fill(SQLAlchemyWriter(conn), RegionGenerator(seed, tag=tag), jobseekers, agencies,
                                chunk, progress, extra_tables)
        if progress:
            progress.note("klaar")
        return counts
    finally:
        await engine.dispose()


def asyncpg_dsn(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL as a plain libpq DSN."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)

"""Retention: how long each kind of record is kept, applied in small batches by a daily beat job.

The defaults and their legal reasoning are in docs/ops/retention.md; every period is a W2_RETAIN_*
setting. Like erasure, this sits in the composition root because it reaches every domain's tables.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from w2.notifications.models import InboxItem, ReminderFired
from w2.platform.boot.erasure import erase_workspace, remove_files
from w2.platform.celery_app import celery_app
from w2.platform.db.base import utcnow
from w2.platform.db.ops import dialect_name
from w2.platform.models import Workspace
from w2.platform.outbox import OutboxMessage
from w2.platform.settings import Settings
from w2.reports.models import ReportRendition

BATCH = 500
log = logging.getLogger("w2.retention")


@dataclass(frozen=True)
class RetentionPolicy:
    """Days (months for the access log) each kind of record is kept."""

    closed_case_days: int
    sent_message_days: int
    failed_message_days: int
    read_inbox_days: int
    reminder_ledger_days: int
    superseded_rendition_days: int
    access_log_months: int

    @classmethod
    def from_settings(cls, st: Settings) -> RetentionPolicy:
        """The policy configured for this deployment."""
        return cls(**st.retention)


def _older(col: Any, now: datetime, days: int) -> Any:
    return col < now - timedelta(days=days)


def _queries(p: RetentionPolicy, now: datetime) -> dict[str, tuple[Any, Any]]:
    """For each kind: (the table's key column, the condition of what has expired)."""
    r2 = ReportRendition.__table__.alias("r2")
    superseded = select(r2.c.id).where(r2.c.meeting_id == ReportRendition.meeting_id,
                                       r2.c.version > ReportRendition.version).exists()
    in_inbox = select(InboxItem.id).where(InboxItem.outbox_message_id == OutboxMessage.id).exists()
    return {
        "inbox_read": (InboxItem.id, InboxItem.read_at.is_not(None)
                       & _older(InboxItem.read_at, now, p.read_inbox_days)),
        "messages_sent": (OutboxMessage.id, OutboxMessage.status.in_(("sent", "cancelled"))
                          & _older(OutboxMessage.created_at, now, p.sent_message_days) & ~in_inbox),
        "messages_failed": (OutboxMessage.id, (OutboxMessage.status == "failed")
                            & _older(OutboxMessage.created_at, now, p.failed_message_days) & ~in_inbox),
        "reminder_ledger": (ReminderFired.subject_id, _older(ReminderFired.fired_at, now, p.reminder_ledger_days)),
        "renditions_superseded": (ReportRendition.id, superseded & ReportRendition.rendered_at.is_not(None)
                                  & _older(ReportRendition.rendered_at, now, p.superseded_rendition_days)),
    }


async def closed_cases_due(session: AsyncSession, p: RetentionPolicy, now: datetime) -> list[uuid.UUID]:
    """Workspaces closed longer ago than the case retention."""
    return list(await session.scalars(select(Workspace.id).where(
        Workspace.closed_at.is_not(None), _older(Workspace.closed_at, now, p.closed_case_days))))


async def plan(session: AsyncSession, p: RetentionPolicy, now: datetime | None = None) -> dict[str, int]:
    """What a run would remove now, per kind (the dry run)."""
    now = now or utcnow()
    out = {kind: int(await session.scalar(select(func.count()).select_from(key.table).where(cond)) or 0)
           for kind, (key, cond) in _queries(p, now).items()}
    out["closed_cases"] = len(await closed_cases_due(session, p, now))
    if dialect_name(session) == "postgresql":
        oldest = (now.replace(day=1) - timedelta(days=31 * p.access_log_months)).date()
        out["access_log_months"] = int(await session.scalar(text(
            "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'access_log'::regclass AND c.relname ~ '^access_log_y[0-9]{4}m[0-9]{2}$' "
            "AND to_date(substr(c.relname, 13, 4) || substr(c.relname, 18, 2), 'YYYYMM') < :oldest"),
            {"oldest": oldest}) or 0)
    return out


async def _one_batch(session: AsyncSession, key: Any, cond: Any) -> tuple[int, list[str]]:
    table = key.table
    pk = list(table.primary_key.columns)
    rows = (await session.execute(select(*pk).where(cond).limit(BATCH))).all()
    if not rows:
        return 0, []
    files: list[str] = []
    if "storage_key" in table.c:
        files = [k for k in await session.scalars(select(table.c.storage_key).where(pk[0].in_([r[0] for r in rows])))
                 if k]
    match = pk[0].in_([r[0] for r in rows]) if len(pk) == 1 else tuple_(*pk).in_([tuple(r) for r in rows])
    await session.execute(delete(table).where(match))
    return len(rows), files


async def apply(sm: async_sessionmaker[AsyncSession], p: RetentionPolicy,
                now: datetime | None = None) -> dict[str, int]:
    """Remove what has expired, one short transaction per batch, so nothing else waits on it."""
    now = now or utcnow()
    done: dict[str, int] = {}
    for kind, (key, cond) in _queries(p, now).items():
        total = 0
        while True:
            async with sm() as session, session.begin():
                n, files = await _one_batch(session, key, cond)
            remove_files(files)
            total += n
            if n < BATCH:
                break
        done[kind] = total
    async with sm() as session:
        due = await closed_cases_due(session, p, now)
    for wid in due:
        async with sm() as session, session.begin():
            erased = await erase_workspace(session, wid, grounds="retention", requested_by="w2 retention",
                                           reason=f"afgesloten langer dan {p.closed_case_days} dagen")
        remove_files(erased.files)
    done["closed_cases"] = len(due)
    async with sm() as session, session.begin():
        if dialect_name(session) == "postgresql":
            done["access_log_months"] = int(await session.scalar(
                text("SELECT w2_access_log_partitions(:k)"), {"k": p.access_log_months}) or 0)
    return done



async def with_owner(fn: Any) -> dict[str, int]:
    """Run `fn(sessionmaker)` as the tables' owner: only the owner may erase append-only rows."""
    from w2.platform.db.engine import make_engine, make_sessionmaker
    from w2.platform.db.scope import SYSTEM_SCOPE
    from w2.platform.settings import get_settings

    engine = make_engine(get_settings().migration_database_url, pooled=False)
    try:
        result: dict[str, int] = await fn(make_sessionmaker(engine, rls=SYSTEM_SCOPE))
        return result
    finally:
        await engine.dispose()


@celery_app.task(name="w2.retention.run", ignore_result=True)
def run_retention() -> dict[str, int]:
    """The daily retention pass (beat); idempotent, so a repeated or overlapping run removes nothing twice."""
    import asyncio

    from w2.platform.settings import get_settings

    policy = RetentionPolicy.from_settings(get_settings())
    done = asyncio.run(with_owner(lambda sm: apply(sm, policy)))
    log.info("retention applied", extra={"removed": done})
    return done

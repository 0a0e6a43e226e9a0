"""The reminder scan: beat scans due rows in batches (SKIP LOCKED on PostgreSQL); each subject fires once."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from w2.notifications.models import ReminderFired
from w2.platform.db.ops import insert_ignore

log = logging.getLogger("w2.notifications")
BATCH = 200


def not_fired(rule: str, subject_col: Any, occurrence_col: Any) -> Any:
    """SQL condition: this (rule, subject, occurrence) has not fired yet."""
    return ~exists(select(1).where(ReminderFired.rule == rule, ReminderFired.subject_id == subject_col,
                                   ReminderFired.occurrence == occurrence_col))


@dataclass(frozen=True)
class Rule:
    """One schedule: a query for due subjects and what to send for each."""

    name: str
    query: Callable[[date], Select[Any]]
    lock_of: Any
    emit: Callable[[AsyncSession, Any, date], Awaitable[int]]
    # (first, last) due date the rule covers on a day; set for rules scanned by window (agreement_scan.py).
    window: Callable[[date], tuple[date | None, date]] | None = None


def _occurrence(row: Any) -> date:
    return row.due_date if hasattr(row, "due_date") else row.occurrence


async def _fire(rule: Rule, day: date, session: AsyncSession, row: Any) -> bool:
    """Record one (rule, subject, occurrence) and send its reminder, unless it already fired."""
    if not await insert_ignore(session, ReminderFired,
                               {"rule": rule.name, "subject_id": row.id, "occurrence": _occurrence(row)},
                               ["rule", "subject_id", "occurrence"]):
        return False
    await rule.emit(session, row, day)
    return True


async def run_rule(sm: async_sessionmaker[AsyncSession], rule: Rule, day: date, batch: int = BATCH) -> int:
    """Fire every due subject of one rule, a batch per transaction; returns the subjects fired."""
    if rule.window is not None:
        from w2.notifications.agreement_scan import run_windowed

        return await run_windowed(sm, rule.name, rule.query, rule.window, day, batch,
                                  lambda session, row: _fire(rule, day, session, row))
    fired, conflicts = 0, 0
    last_id = None
    while True:
        try:
            async with sm() as session, session.begin():
                session.info["kick_relay"] = False
                stmt = rule.query(day)
                # Keyset: each batch starts after the last subject seen, so a scan is linear in the
                # due rows instead of re-reading every fired row on every pass.
                if last_id is not None:
                    stmt = stmt.where(rule.lock_of.id > last_id)
                stmt = stmt.limit(batch)
                if session.bind.dialect.name == "postgresql":
                    stmt = stmt.with_for_update(of=rule.lock_of, skip_locked=True)
                rows = (await session.execute(stmt)).all()
                if rows:
                    last_id = rows[-1].id
                for row in rows:
                    occurrence = _occurrence(row)
                    if await insert_ignore(session, ReminderFired,
                                           {"rule": rule.name, "subject_id": row.id, "occurrence": occurrence},
                                           ["rule", "subject_id", "occurrence"]):
                        await rule.emit(session, row, day)
                        fired += 1
        except IntegrityError:
            conflicts += 1  # another scanner won a race; its rows are excluded on the next pass
            if conflicts > 3:
                raise
            continue
        if len(rows) < batch:
            return fired

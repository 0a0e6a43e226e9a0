"""Agreement reminders scanned by window: a pass reads what became due since the last pass, not the past.

The rules "due within three days" and "overdue" each cover a range of due dates relative to the scan
day. A pass remembers how far it got (`reminder_scan.through`); the next pass reads only the due dates
after that, in (due_date, id) keyset order over the open-agreements index, plus the open agreements
changed since the last pass (a due date moved back, an agreement reopened or added with an old due
date), in (updated_at, id) order over the open-changed index. So a steady-state pass costs what it returns, and memory stays one batch whatever the table
holds. The first pass (no row yet) reads the whole range once, linearly.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from w2.meetings.agreements.models import Agreement
from w2.notifications.models import ReminderScan
from w2.platform.db.base import utcnow

# Rows changed shortly before the last pass started are read again: clocks of processes differ a little.
MARGIN = timedelta(minutes=10)
# A literal predicate, so PostgreSQL matches the partial indexes (ix_agreement_due_open, ..._open_updated).
OPEN = text("agreement.status IN ('open', 'in_progress')")
Window = Callable[[date], tuple[date | None, date]]


def parts(window: tuple[date | None, date], prev: ReminderScan | None) -> list[tuple[list[Any], Any]]:
    """Each part of a pass as (conditions, keyset column): the new due dates in due-date order over the
    open-agreements index, and the rows changed since the last pass in change order over the
    open-changed index (walking due dates there would read every old due row to find the few changed)."""
    lo, hi = window
    if prev is None:
        return [([c for c in (Agreement.due_date >= lo if lo else None, Agreement.due_date <= hi) if c is not None],
                 Agreement.due_date)]
    out: list[tuple[list[Any], Any]] = []
    start = prev.through + timedelta(days=1)
    if lo is not None and lo > start:
        start = lo
    if start <= hi:
        out.append(([Agreement.due_date >= start, Agreement.due_date <= hi], Agreement.due_date))
    changed = [Agreement.updated_at >= prev.scanned_at - MARGIN, Agreement.due_date <= min(hi, prev.through)]
    if lo is not None:
        changed.append(Agreement.due_date >= lo)
    out.append((changed, Agreement.updated_at))
    return out


def batch_query(base: Select[Any], conds: list[Any], key: Any, last: tuple[Any, Any] | None, batch: int) -> Select[Any]:
    """One batch of a part: `base` (a rule's query) within the part, after `last` in (key, id) order."""
    stmt = base.add_columns(key.label("scan_key")).where(OPEN, *conds).order_by(None).order_by(key, Agreement.id)
    if last is not None:
        stmt = stmt.where(tuple_(key, Agreement.id) > tuple_(*last))
    return stmt.limit(batch)


async def run_windowed(sm: async_sessionmaker[AsyncSession], name: str, query: Callable[[date], Select[Any]],
                       window: Window, day: date, batch: int,
                       fire: Callable[[AsyncSession, Any], Awaitable[bool]]) -> int:
    """One pass of a windowed rule; `fire(session, row)` records and sends one reminder."""
    started: datetime = utcnow()
    async with sm() as session:
        prev = await session.get(ReminderScan, name)
        prev_copy = ReminderScan(rule=name, through=prev.through, scanned_at=prev.scanned_at) if prev else None
    lo_hi = window(day)
    fired = 0
    for conds, key in parts(lo_hi, prev_copy):
        last: tuple[Any, Any] | None = None
        while True:
            async with sm() as session, session.begin():
                session.info["kick_relay"] = False
                stmt = batch_query(query(day), conds, key, last, batch)
                if session.bind.dialect.name == "postgresql":
                    stmt = stmt.with_for_update(of=Agreement, skip_locked=True)
                rows = (await session.execute(stmt)).all()
                for row in rows:
                    fired += int(await fire(session, row))
            if len(rows) < batch:
                break
            last = (rows[-1].scan_key, rows[-1].id)
    await mark_scanned(sm, name, lo_hi[1], started)
    return fired


async def mark_scanned(sm: async_sessionmaker[AsyncSession], name: str, through: date, at: datetime) -> None:
    """Remember how far the rule's passes got."""
    async with sm() as session, session.begin():
        row = await session.get(ReminderScan, name)
        if row is None:
            session.add(ReminderScan(rule=name, through=through, scanned_at=at))
        else:
            row.through, row.scanned_at = through, at

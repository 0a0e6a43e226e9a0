"""Reminder schedules: beat scans due rows in batches (SKIP LOCKED on PostgreSQL); each fires once."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, and_, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from w2.consent.models import Consent, ConsentRevocation
from w2.consent.policy import today as local_today
from w2.meetings.agreements.models import Agreement
from w2.notifications import service
from w2.notifications.models import ReminderFired
from w2.platform.db.ops import insert_ignore

log = logging.getLogger("w2.notifications")
BATCH = 200
OPEN_STATUSES = ("open", "in_progress")


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


# --- agreements ---------------------------------------------------------------------------------

def _agreements(rule: str, cond: Callable[[date], Any]) -> Callable[[date], Select[Any]]:
    def query(day: date) -> Select[Any]:
        return (
            select(Agreement.id, Agreement.due_date, Agreement.workspace_id, Agreement.life_domain,
                   Agreement.owner_kind, Agreement.owner_agency_id, Agreement.owner_user_id)
            .where(Agreement.status.in_(OPEN_STATUSES), Agreement.due_date.is_not(None), cond(day),
                   not_fired(rule, Agreement.id, Agreement.due_date))
            .order_by(Agreement.id)
        )

    return query


async def agreement_owner(session: AsyncSession, row: Any) -> service.Recipient | None:
    """The owner: a user, an agency's contact person in that workspace, or the job seeker."""
    if row.owner_kind == "user":
        return await service.user_recipient(session, row.owner_user_id)
    if row.owner_kind == "agency":
        return await service.contact_of(session, row.workspace_id, row.owner_agency_id)
    if row.owner_kind == "jobseeker":
        # No nagging by default: only a job seeker who asked for reminders on their own pages gets them.
        if not await service.jobseeker_wants_reminders(session, row.workspace_id):
            return None
        return await service.jobseeker_recipient(session, row.workspace_id)
    return None  # a confidant has no sign-in to link to; the pivot follows up with them


def _emit_agreement(rule: str, kind: str) -> Callable[[AsyncSession, Any, date], Awaitable[int]]:
    async def emit(session: AsyncSession, row: Any, day: date) -> int:
        who = await agreement_owner(session, row)
        if who is None:
            log.info("%s: agreement %s has no reachable owner", rule, row.id)
            return 0
        return await service.notify(session, who, kind=kind, key=f"{rule}:{row.id}:{row.due_date.isoformat()}",
                                    path=f"/afspraken#a-{row.id}", workspace_id=row.workspace_id,
                                    life_domain=row.life_domain,
                                    refs={"agreement_id": str(row.id), "due_date": row.due_date.isoformat()})

    return emit


# --- consent ending -------------------------------------------------------------------------------

def _consents_ending(day: date) -> Select[Any]:
    return (
        select(Consent.id, Consent.workspace_id, Consent.valid_until.label("occurrence"))
        .where(Consent.valid_until.is_not(None), Consent.valid_until >= day,
               Consent.valid_until <= day + timedelta(days=14),
               ~exists(select(1).where(ConsentRevocation.consent_id == Consent.id)),
               not_fired("consent-ending-14d", Consent.id, Consent.valid_until))
        .order_by(Consent.id)
    )


async def _emit_consent(session: AsyncSession, row: Any, day: date) -> int:
    # One message per workspace and end date, however many consent rows end that day.
    base = f"consent-ending-14d:{row.workspace_id}:{row.occurrence.isoformat()}"
    sent = 0
    for who in (await service.jobseeker_recipient(session, row.workspace_id),
                await service.coordinator_of(session, row.workspace_id)):
        if who is not None:
            sent += await service.notify(session, who, kind="consent_ending", key=f"{base}:{who.tag}",
                                         path=f"/workspaces/{row.workspace_id}#toestemming",
                                         workspace_id=row.workspace_id)
    return sent


RULES: list[Rule] = [
    Rule("agreement-due-3d",
         _agreements("agreement-due-3d", lambda d: and_(Agreement.due_date >= d,
                                                        Agreement.due_date <= d + timedelta(days=3))),
         Agreement, _emit_agreement("agreement-due-3d", "agreement_due")),
    Rule("agreement-overdue", _agreements("agreement-overdue", lambda d: Agreement.due_date < d),
         Agreement, _emit_agreement("agreement-overdue", "agreement_overdue")),
    Rule("consent-ending-14d", _consents_ending, Consent, _emit_consent),
]


def _occurrence(row: Any) -> date:
    return row.due_date if hasattr(row, "due_date") else row.occurrence


async def run_rule(sm: async_sessionmaker[AsyncSession], rule: Rule, day: date, batch: int = BATCH) -> int:
    """Fire every due subject of one rule, a batch per transaction; returns the subjects fired."""
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


async def run_all(sm: async_sessionmaker[AsyncSession], day: date | None = None) -> int:
    """Run every schedule for the local date; returns how many subjects fired."""
    from w2.notifications import meeting_reminders

    day = day or local_today()
    extra_rules, runners = meeting_reminders.rules()
    total = 0
    for rule in RULES + extra_rules:
        total += await run_rule(sm, rule, day)
    for runner in runners:
        total += await runner(sm, day)
    return total

"""Reminder schedules for agreements and consents, and `run_all`, which runs every schedule (meetings' too)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from w2.consent.models import Consent, ConsentRevocation
from w2.consent.policy import today as local_today
from w2.meetings.agreements.models import Agreement
from w2.notifications import meeting_reminders, service
from w2.notifications.scan import Rule, not_fired, run_rule

log = logging.getLogger("w2.notifications")
OPEN_STATUSES = ("open", "in_progress")


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
                                         path=f"/workspaces/{row.workspace_id}/toestemming",
                                         workspace_id=row.workspace_id)
    return sent


RULES: list[Rule] = [
    Rule("agreement-due-3d",
         _agreements("agreement-due-3d", lambda d: and_(Agreement.due_date >= d,
                                                        Agreement.due_date <= d + timedelta(days=3))),
         Agreement, _emit_agreement("agreement-due-3d", "agreement_due"),
         window=lambda d: (d, d + timedelta(days=3))),
    Rule("agreement-overdue", _agreements("agreement-overdue", lambda d: Agreement.due_date < d),
         Agreement, _emit_agreement("agreement-overdue", "agreement_overdue"),
         window=lambda d: (None, d - timedelta(days=1))),
    Rule("consent-ending-14d", _consents_ending, Consent, _emit_consent),
]


async def run_all(sm: async_sessionmaker[AsyncSession], day: date | None = None) -> int:
    """Run every schedule for the local date; returns how many subjects fired."""
    day = day or local_today()
    total = 0
    for rule in RULES + meeting_reminders.RULES:
        total += await run_rule(sm, rule, day)
    for runner in meeting_reminders.RUNNERS:
        total += await runner(sm, day)
    return total

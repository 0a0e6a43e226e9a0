"""Meeting schedules: meeting tomorrow, follow-up date in 7 days."""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from w2.meetings.access import active_invitees
from w2.meetings.models import Meeting
from w2.meetings.poll import link_for
from w2.meetings.round_table import meetings_starting_between
from w2.notifications import service
from w2.notifications.models import ReminderFired
from w2.notifications.scan import BATCH, Rule, not_fired
from w2.platform.db.ops import insert_ignore
from w2.platform.models import Confidant, PivotAssignment
from w2.platform.settings import get_settings

log = logging.getLogger("w2.notifications")


def _local_day(day: date) -> tuple[datetime, datetime]:
    tz = ZoneInfo(get_settings().timezone)
    return datetime.combine(day, time(0), tz), datetime.combine(day + timedelta(days=1), time(0), tz)


async def _confidant(session: AsyncSession, inv: Any) -> service.Recipient | None:
    person = await session.get(Confidant, inv.confidant_id) if inv.confidant_id else None
    email = inv.email or (person.email if person else None)
    if not email:
        return None
    return service.Recipient(name=person.name if person else "", email=email, phone=person.phone if person else None,
                             language="nl", channel="email", digest=False, agency_id=None, audience="confidant",
                             ref=f"confidant-{inv.id}")


async def _invitee_recipient(session: AsyncSession, inv: Any, workspace_id: uuid.UUID) -> service.Recipient | None:
    if inv.kind == "professional":
        return await service.user_recipient(session, inv.user_id)
    if inv.kind == "jobseeker":
        return await service.jobseeker_recipient(session, workspace_id)
    if inv.kind == "confidant":
        return await _confidant(session, inv)
    return None


async def emit_meeting_tomorrow(session: AsyncSession, meeting_id: uuid.UUID, workspace_id: uuid.UUID,
                                day: date) -> int:
    """Tell every current invitee; the job seeker and confidants in plain language."""
    sent = 0
    for inv in await active_invitees(session, meeting_id):
        who = await _invitee_recipient(session, inv, workspace_id)
        if who is None:
            continue
        url = None
        if who.audience == "confidant":
            try:  # a confidant has no account: their personal meeting link (time and place only)

                url = link_for(inv.id)[0]
            except ImportError:
                url = None
        sent += await service.notify(session, who, kind="meeting_tomorrow",
                                     key=f"meeting-tomorrow:{meeting_id}:{day.isoformat()}:{who.tag}",
                                     path=f"/meetings/{meeting_id}", workspace_id=workspace_id, url=url)
    return sent


async def run_meeting_tomorrow(sm: async_sessionmaker[AsyncSession], today: date) -> int:
    """Meetings that start tomorrow (local time); the ledger row makes each fire once per date."""
    day = today + timedelta(days=1)
    start, end = _local_day(day)
    async with sm() as session:
        candidates = await meetings_starting_between(session, start, end)
    fired = 0
    for i in range(0, len(candidates), BATCH):
        async with sm() as session, session.begin():
            session.info["kick_relay"] = False
            for meeting_id, workspace_id in candidates[i:i + BATCH]:
                if await insert_ignore(session, ReminderFired,
                                       {"rule": "meeting-tomorrow", "subject_id": meeting_id, "occurrence": day},
                                       ["rule", "subject_id", "occurrence"]):
                    await emit_meeting_tomorrow(session, meeting_id, workspace_id, day)
                    fired += 1
    return fired


def _followups(day: date) -> Select[Any]:

    return (
        select(Meeting.id, Meeting.workspace_id, Meeting.coordinator_user_id,
               Meeting.follow_up_date.label("occurrence"))
        .where(Meeting.follow_up_date.is_not(None), Meeting.status != "cancelled",
               Meeting.follow_up_date >= day, Meeting.follow_up_date <= day + timedelta(days=7),
               not_fired("followup-7d", Meeting.id, Meeting.follow_up_date))
        .order_by(Meeting.id)
    )


async def _emit_followup(session: AsyncSession, row: Any, day: date) -> int:
    pivot = await session.scalar(select(PivotAssignment.user_id).where(
        PivotAssignment.workspace_id == row.workspace_id, PivotAssignment.until.is_(None)))
    coordinator = (await service.user_recipient(session, row.coordinator_user_id)
                   or await service.coordinator_of(session, row.workspace_id))
    people = [coordinator, await service.user_recipient(session, pivot)]
    sent, seen = 0, set()
    for who in people:
        if who is None or who.tag in seen:
            continue
        seen.add(who.tag)
        sent += await service.notify(session, who, kind="followup_due",
                                     key=f"followup-7d:{row.id}:{row.occurrence.isoformat()}:{who.tag}",
                                     path=f"/meetings/{row.id}", workspace_id=row.workspace_id)
    return sent


RULES: list[Rule] = [Rule("followup-7d", _followups, Meeting, _emit_followup)]
RUNNERS = [run_meeting_tomorrow]

"""Before a follow-up meeting the spilfiguur asks "Hoe gaat het? Wat is er verbeterd?"; the job seeker answers.

Follow-up starts from what improved, not from what failed (the handbook's advice), so the job seeker gets
this question instead of overdue reminders. The mail or SMS only says that a message waits behind sign-in.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import log_access
from w2.meetings.access import OPEN, require_status
from w2.meetings.models import Meeting
from w2.platform.actor import Actor
from w2.platform.db.base import utcnow
from w2.platform.errors import Conflict, Forbidden
from w2.platform.i18n import t
from w2.platform.models import Agency, Jobseeker, PivotAssignment, User, Workspace
from w2.platform.outbox import enqueue
from w2.platform.settings import get_settings

KIND = "followup_checkin_jobseeker"
MAX_LENGTH = 2000


async def current_pivot(session: AsyncSession, workspace_id: uuid.UUID) -> uuid.UUID | None:
    """The professional who is the job seeker's spilfiguur now, if any."""
    return await session.scalar(select(PivotAssignment.user_id).where(
        PivotAssignment.workspace_id == workspace_id, PivotAssignment.until.is_(None))
        .order_by(PivotAssignment.since.desc()).limit(1))


async def ask_how_it_goes(session: AsyncSession, m: Meeting) -> None:
    """Ask once per follow-up meeting, in the spilfiguur's name (the coordinator's when there is none)."""
    if m.checkin_asked_at is not None or m.follow_up_of_id is None:
        return
    m.checkin_asked_at = utcnow()
    m.checkin_asked_by_user_id = await current_pivot(session, m.workspace_id) or m.coordinator_user_id
    ws = await session.get(Workspace, m.workspace_id)
    js = await session.get(Jobseeker, ws.jobseeker_id) if ws else None
    if js is None:
        return
    channel, address = ("email", js.email) if js.email else ("sms", js.phone)
    if address:  # without an address of their own, they find the question on their pages
        await enqueue(session, key=f"{KIND}:{m.id}", kind=KIND, channel=channel, to_address=address,
                      language=js.preferred_language or "nl", workspace_id=m.workspace_id,
                      params={"name": js.given_name, "link": f"{get_settings().base_url}/portal/overleg/{m.id}"})
    await session.flush()


async def asked_by(session: AsyncSession, m: Meeting) -> str | None:
    """Who asked, as the job seeker knows them: "Anna Peeters (VDAB)"."""
    if m.checkin_asked_by_user_id is None:
        return None
    user = await session.get(User, m.checkin_asked_by_user_id)
    if user is None:
        return None
    agency = await session.get(Agency, user.agency_id) if user.agency_id else None
    return f"{user.name} ({agency.name})" if agency else user.name


async def answer(session: AsyncSession, actor: Actor, m: Meeting, text: str) -> Meeting:
    """The job seeker's answer: their own input for the follow-up (case content, domain `other`)."""
    if not actor.is_jobseeker:
        raise Forbidden(t("error.forbidden"))
    require_status(m, OPEN)
    if m.checkin_asked_at is None:
        raise Conflict(t("portal.checkin.not_asked", actor.language), kind="checkin-not-asked")
    m.jobseeker_progress = text
    m.jobseeker_progress_at = utcnow()
    await log_access(session, actor, action="update", resource_type="meeting_voice", workspace_id=m.workspace_id,
                     resource_id=m.id, life_domain="other")
    await session.flush()
    return m

"""Fixing the moment, rescheduling and cancelling: invitations go out through the outbox."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.meetings import schemas as s
from w2.meetings.access import (
    OPEN,
    active_invitees,
    get_meeting,
    invitee_identity,
    require_coordinator,
    require_current_agreement,
    require_participation,
    require_status,
)
from w2.meetings.ics import build_calendar
from w2.meetings.models import Meeting, MeetingInvitee
from w2.meetings.poll import check_period, link_for, when_range
from w2.platform.actor import Actor
from w2.platform.db.base import utcnow
from w2.platform.errors import Conflict, NotFound
from w2.platform.i18n import t
from w2.platform.models import User
from w2.platform.outbox import enqueue
from w2.platform.settings import get_settings


async def _organizer(session: AsyncSession, m: Meeting) -> dict[str, str]:
    user = await session.get(User, m.coordinator_user_id) if m.coordinator_user_id else None
    if user is None:
        return {"name": "w2", "email": get_settings().mail_from.split("<")[-1].rstrip(">").strip()}
    return {"name": user.name, "email": user.email}


async def invitation_params(session: AsyncSession, m: Meeting, recipient: MeetingInvitee,
                            invitees: list[MeetingInvitee]) -> dict[str, Any]:
    """Everything an invitation needs, frozen at send time: ids, time, place and people only.

    Professionals are listed as attendees for everyone; the job seeker and confidants appear only in
    their own copy, so no invitation reveals who the shared case is about.
    """
    assert m.starts_at is not None and m.ends_at is not None
    ident = await invitee_identity(session, recipient)
    attendees = []
    for inv in invitees:
        if inv.kind == "professional" or inv.id == recipient.id:
            other = ident if inv.id == recipient.id else await invitee_identity(session, inv)
            if other["email"]:
                # The job seeker's name is never written into a mail or calendar, not even their own copy.
                shown = other["name"] if inv.kind != "jobseeker" else ""
                attendees.append({"name": shown, "email": other["email"]})
    url, _ = link_for(recipient.id)
    return {
        "meeting_id": str(m.id), "invitee_id": str(recipient.id), "workspace_id": str(m.workspace_id),
        "uid": m.ics_uid, "sequence": m.ics_sequence, "stamp": utcnow().isoformat(),
        "starts_at": m.starts_at.isoformat(), "ends_at": m.ends_at.isoformat(), "tzid": get_settings().timezone,
        "when": when_range(m.starts_at, m.ends_at, ident["language"]), "location": m.location, "video_url": m.video_url,
        "organizer": await _organizer(session, m), "attendees": attendees,
        "recipient_name": ident["name"] if recipient.kind != "jobseeker" else "",
        "recipient_email": ident["email"], "link": url,
    }


async def _send(session: AsyncSession, m: Meeting, inv: MeetingInvitee, invitees: list[MeetingInvitee],
                kind: str) -> bool:
    params = await invitation_params(session, m, inv, invitees)
    if not params["recipient_email"]:
        return False
    await enqueue(session, key=f"{kind}:{m.id}:{inv.id}:{m.ics_sequence}", kind=kind,
                  to_address=params["recipient_email"], recipient_user_id=inv.user_id,
                  params=params, workspace_id=m.workspace_id, language=(await invitee_identity(session, inv))["language"])
    return True


async def schedule(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID, data: s.ScheduleIn) -> Meeting:
    """Fix moment and place; everyone with an address gets a calendar invitation (or an update)."""
    m, ws = await require_coordinator(session, actor, meeting_id)
    require_status(m, ("preparing", "polling", "scheduled"))
    starts, ends = check_period(data.starts_at, data.ends_at)
    await require_current_agreement(session, m)
    invitees = await active_invitees(session, m.id)
    declined = [i for i in invitees if i.jobseeker_answer == "no"]
    if declined:
        names = ", ".join([(await invitee_identity(session, i))["name"] for i in declined])
        raise Conflict(t("meetings.error.jobseeker_declined", names=names), kind="jobseeker-declined-invitee",
                       extra={"invitee_ids": [str(i.id) for i in declined]})
    if not invitees:
        raise Conflict(t("meetings.error.no_invitees"), kind="no-invitees")
    for inv in invitees:
        if inv.kind == "professional" and inv.agency_id is not None:
            await require_participation(session, ws.id, inv.agency_id)
    if m.status == "scheduled":
        m.ics_sequence += 1
    m.starts_at, m.ends_at, m.location, m.video_url = starts, ends, data.location, data.video_url
    m.status, m.scheduled_at = "scheduled", utcnow()
    for inv in invitees:
        kind = "meeting_update" if inv.invited_sequence is not None else "meeting_invitation"
        if await _send(session, m, inv, invitees, kind):
            inv.invited_sequence = m.ics_sequence
        inv.rsvp = None if kind == "meeting_update" else inv.rsvp
    await session.flush()
    return m


async def send_cancellation(session: AsyncSession, m: Meeting, targets: list[MeetingInvitee]) -> None:
    """METHOD:CANCEL with the same UID and a higher SEQUENCE to each target that was invited."""
    m.ics_sequence += 1
    everyone = await active_invitees(session, m.id)
    for inv in targets:
        if inv.invited_sequence is None:
            continue
        if await _send(session, m, inv, everyone + ([inv] if inv not in everyone else []), "meeting_cancellation"):
            inv.invited_sequence = m.ics_sequence


async def cancel(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID, data: s.CancelIn) -> Meeting:
    """Cancel an open meeting; whoever was invited gets a METHOD:CANCEL."""
    m, _ = await require_coordinator(session, actor, meeting_id)
    require_status(m, OPEN)
    if m.status == "scheduled":
        await send_cancellation(session, m, await active_invitees(session, m.id))
    m.status, m.cancelled_at, m.cancel_reason = "cancelled", utcnow(), data.reason
    await session.flush()
    return m


async def caller_invitation(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID) -> bytes:
    """The caller's own invitation as an .ics file (REQUEST, or CANCEL once cancelled)."""
    m = await get_meeting(session, actor, meeting_id)
    cond = MeetingInvitee.user_id == actor.user_id if actor.is_staff else MeetingInvitee.kind == "jobseeker"
    inv = await session.scalar(
        select(MeetingInvitee).where(MeetingInvitee.meeting_id == m.id, MeetingInvitee.removed_at.is_(None), cond)
    )
    if inv is None:
        raise NotFound(t("meetings.error.not_invitee"))
    if m.starts_at is None or m.status not in ("scheduled", "held", "finalized", "cancelled"):
        raise Conflict(t("meetings.error.not_scheduled"), kind="meeting-not-scheduled")
    params = await invitation_params(session, m, inv, await active_invitees(session, m.id))
    return build_calendar(params, "CANCEL" if m.status == "cancelled" else "REQUEST", actor.language)

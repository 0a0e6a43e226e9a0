"""What the job seeker does with their own round tables: ask for one, say who comes, add their voice, vote."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import log_access
from w2.meetings import schemas as s
from w2.meetings.models import Meeting, MeetingInvitee, MeetingSlot
from w2.meetings.poll import vote
from w2.meetings.service import (
    OPEN,
    active_invitees,
    get_meeting,
    latest_agreement,
    record_jobseeker_agreement,
    request_meeting,
    require_status,
)
from w2.platform.actor import Actor
from w2.platform.db.base import utcnow
from w2.platform.errors import Conflict, Forbidden, Invalid, NotFound
from w2.platform.i18n import t
from w2.platform.models import Confidant

# Limits of the portal's free-text fields (characters); the pages say them in words.
LIMITS = {"reason": 2000, "goal": 2000, "wished_people": 1000, "at_ease": 2000, "questions": 2000,
          "agenda": 2000, "progress": 2000}
NEEDS = ("transport", "childcare", "interpreter")


def clean_text(values: dict[str, Any], fields: dict[str, bool], lang: str) -> tuple[dict[str, str | None], dict[str, str]]:
    """Trim the form's texts; an empty required field or a too long one gets a message naming it."""
    out: dict[str, str | None] = {}
    errors: dict[str, str] = {}
    for name, required in fields.items():
        raw = values.get(name)
        text = (raw if isinstance(raw, str) else "").replace("\r\n", "\n").strip()
        if required and not text:
            errors[name] = t("portal.form.required", lang)
        elif len(text) > LIMITS[name]:
            errors[name] = t("portal.form.too_long", lang, max=LIMITS[name], now=len(text))
        out[name] = text or None
    return out, errors


async def ask_for_meeting(session: AsyncSession, actor: Actor, data: dict[str, Any]) -> Meeting:
    """The job seeker asks for a round table; it lands with the coordinator as their request."""
    needs = [n for n in data.get("needs", []) if n in NEEDS]
    m = await request_meeting(session, actor, actor.workspace_id, s.MeetingIn(  # type: ignore[arg-type]  # workspace_id is set for a job seeker (require_jobseeker)
        reason=data["reason"], goal=data["goal"], requested_by=s.RequestedBy(kind="jobseeker"),
        practical_needs=needs))  # type: ignore[arg-type]  # form values, checked by msgspec on the way in
    m.jobseeker_informed = True
    m.jobseeker_wished_people = data.get("wished_people")
    m.jobseeker_at_ease = data.get("at_ease")
    m.jobseeker_input_at = utcnow()
    await log_access(session, actor, action="create", resource_type="meeting_request", workspace_id=m.workspace_id,
                     resource_id=m.id)
    await session.flush()
    return m


async def own_meeting(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID, *, lock: bool = False) -> Meeting:
    """One of the job seeker's own meetings (another workspace's id is simply not found)."""
    if not actor.is_jobseeker:
        raise Forbidden(t("error.forbidden"))
    return await get_meeting(session, actor, meeting_id, lock=lock)


async def save_voice(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID, data: dict[str, str | None]) -> Meeting:
    """Questions and wishes, agenda points, what helps to feel at ease, people they would like there."""
    m = await own_meeting(session, actor, meeting_id, lock=True)
    require_status(m, OPEN)
    m.jobseeker_questions = data.get("questions")
    m.jobseeker_agenda = data.get("agenda")
    m.jobseeker_at_ease = data.get("at_ease")
    m.jobseeker_wished_people = data.get("wished_people")
    m.jobseeker_input_at = utcnow()
    await log_access(session, actor, action="update", resource_type="meeting_voice", workspace_id=m.workspace_id,
                     resource_id=m.id)
    await session.flush()
    return m


async def _invitee_of(session: AsyncSession, m: Meeting, invitee_id: uuid.UUID) -> MeetingInvitee:
    inv = await session.get(MeetingInvitee, invitee_id)
    if inv is None or inv.meeting_id != m.id or inv.removed_at is not None or inv.kind == "jobseeker":
        raise NotFound(t("meetings.error.invitee_not_found"))
    return inv


async def answer_invitee(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID, invitee_id: uuid.UUID,
                         answer: str) -> MeetingInvitee:
    """Yes or no to one person at the table; a no stops the planning until the coordinator solves it."""
    if answer not in ("yes", "no"):
        raise Invalid("answer", t("portal.form.choose", actor.language))
    m = await own_meeting(session, actor, meeting_id, lock=True)
    require_status(m, OPEN)
    inv = await _invitee_of(session, m, invitee_id)
    inv.jobseeker_answer, inv.jobseeker_answer_at = answer, utcnow()
    await log_access(session, actor, action="update", resource_type="meeting_invitee_answer",
                     workspace_id=m.workspace_id, resource_id=inv.id)
    await session.flush()
    return inv


async def declined_invitees(session: AsyncSession, meeting_id: uuid.UUID) -> list[MeetingInvitee]:
    """People still on the list to whom the job seeker said no."""
    return [i for i in await active_invitees(session, meeting_id) if i.jobseeker_answer == "no"]


async def agree_on_portal(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID) -> None:
    """Yes to the meeting with the people on the list; refused while they said no to someone on it."""
    m = await own_meeting(session, actor, meeting_id)
    if await declined_invitees(session, m.id):
        raise Conflict(t("portal.meeting.error.declined_first", actor.language), kind="jobseeker-declined-invitee")
    await record_jobseeker_agreement(session, actor, m.id, s.JobseekerAgreementIn(method="portal"))


async def bring_confidant(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID, confidant_id: uuid.UUID,
                          comes: bool) -> None:
    """Say whether one of their own confidants comes along; the job seeker's own change keeps their yes."""
    m = await own_meeting(session, actor, meeting_id, lock=True)
    require_status(m, OPEN)
    conf = await session.get(Confidant, confidant_id)
    if conf is None or conf.workspace_id != m.workspace_id or conf.removed_at is not None:
        raise NotFound(t("portal.people.error.confidant_unknown", actor.language))
    current = await active_invitees(session, m.id)
    there = next((i for i in current if i.confidant_id == conf.id), None)
    if comes == (there is not None):
        return
    before = await latest_agreement(session, m.id)
    had_yes = before is not None and before.invitee_list_version == m.invitee_list_version
    if comes:
        session.add(MeetingInvitee(meeting_id=m.id, kind="confidant", confidant_id=conf.id,
                                   jobseeker_answer="yes", jobseeker_answer_at=utcnow()))
    else:
        assert there is not None
        there.removed_at = utcnow()
    m.invitee_list_version += 1
    await log_access(session, actor, action="update", resource_type="meeting_confidant",
                     workspace_id=m.workspace_id, resource_id=conf.id)
    await session.flush()
    if had_yes:
        # They changed the list themselves: their yes still holds for the list as it is now.
        await record_jobseeker_agreement(session, actor, m.id, s.JobseekerAgreementIn(method="portal"))


async def vote_on_portal(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID, slot_id: uuid.UUID,
                         answer: str) -> None:
    """The job seeker's own answer for one proposed moment."""
    m = await own_meeting(session, actor, meeting_id)
    slot = await session.get(MeetingSlot, slot_id)
    if slot is None or slot.meeting_id != m.id:
        raise NotFound(t("meetings.error.slot_not_found"))
    me = await session.scalar(select(MeetingInvitee.id).where(
        MeetingInvitee.meeting_id == m.id, MeetingInvitee.kind == "jobseeker", MeetingInvitee.removed_at.is_(None)))
    if me is None:
        raise Conflict(t("portal.meeting.error.not_on_list", actor.language), kind="not-invitee")
    await vote(session, actor, m.id, slot.id, s.VoteIn(invitee_id=me, answer=answer))  # type: ignore[arg-type]  # answer is checked against the literals above
    await log_access(session, actor, action="update", resource_type="meeting_vote", workspace_id=m.workspace_id,
                     resource_id=slot.id)

"""Round tables: request, preparation, invitees, the job seeker's agreement and the API view of a meeting.

Shared look-ups live in `access`; the poll, scheduling and the table itself in sibling modules.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlparse

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import log_access
from w2.meetings import schemas as s
from w2.meetings.access import (
    CASE_FIELDS,
    OPEN,
    active_invitees,
    case_fields,
    get_meeting,
    invitee_identity,
    latest_agreement,
    meeting_visible,
    member_user,
    participation_granted,
    require_coordinator,
    require_participation,
    require_status,
    start_preparing,
)
from w2.meetings.coordination import coordinator_history
from w2.meetings.follow_up import follow_up_ids, readable_carried
from w2.meetings.models import Meeting, MeetingInvitee, MeetingJobseekerAgreement
from w2.meetings.poll import ranked_slots
from w2.meetings.round_table import readable_notes
from w2.meetings.scheduling import send_cancellation
from w2.meetings.urgent import readable_urgent_themes, replace_urgent_themes
from w2.platform.actor import Actor
from w2.platform.db.base import utcnow
from w2.platform.errors import Conflict, Invalid, NotFound
from w2.platform.i18n import t
from w2.platform.models import Confidant, Jobseeker, Workspace
from w2.platform.outbox import enqueue
from w2.platform.settings import get_settings
from w2.platform.visibility import workspace_visible

# ---- request ----


async def request_meeting(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, data: s.MeetingIn) -> Meeting:
    """Anyone involved asks for a round table; it starts as `requested`."""
    ws = await session.scalar(
        select(Workspace).where(Workspace.id == workspace_id, workspace_visible(actor, Workspace.id))
    )
    if ws is None or actor.is_platform_admin:
        raise NotFound(t("error.workspace_not_found"))
    requester_id: uuid.UUID | None = None
    kind = data.requested_by.kind
    if actor.is_jobseeker:
        kind = "jobseeker"
    elif kind == "professional":
        requester_id = data.requested_by.user_id or actor.user_id
        await member_user(session, ws.id, requester_id, "requested_by.user_id")
    if data.jobseeker_participation == "none" and not data.non_participation_reason:
        raise Invalid("non_participation_reason", t("meetings.error.non_participation_reason"))
    if data.prepared_with_user_id is not None:
        await member_user(session, ws.id, data.prepared_with_user_id, "prepared_with_user_id")
    is_coordinator = actor.is_staff and actor.agency_id == ws.coordinating_agency_id and actor.has_role("coordinator")
    host = urlparse(get_settings().base_url).hostname or "w2.invalid"
    m = Meeting(
        workspace_id=ws.id,
        status="requested",
        reason=data.reason,
        goal=data.goal,
        requested_by_kind=kind,
        requested_by_user_id=requester_id,
        created_by_user_id=actor.user_id,
        coordinator_user_id=actor.user_id if is_coordinator else None,
        jobseeker_participation=data.jobseeker_participation,
        non_participation_reason=data.non_participation_reason,
        prepared_with_user_id=data.prepared_with_user_id,
        practical_needs=list(dict.fromkeys(data.practical_needs)),
        interpreter_language=data.interpreter_language,
        started_because=data.started_because,
        ics_uid=f"{uuid.uuid4()}@{host}",
    )
    session.add(m)
    await session.flush()
    if data.urgent_themes is not None:
        await replace_urgent_themes(session, actor, m, data.urgent_themes)
    if data.invite_coordinator and is_coordinator and actor.agency_id is not None \
            and await participation_granted(session, ws.id, actor.agency_id):
        session.add(MeetingInvitee(meeting_id=m.id, kind="professional", user_id=actor.user_id,
                                   agency_id=actor.agency_id, added_by_user_id=actor.user_id))
        m.invitee_list_version += 1
        await session.flush()
    return m


async def list_meetings(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> list[Meeting]:
    """Meetings of a workspace the actor may see, newest first."""
    rows = await session.scalars(
        select(Meeting)
        .where(Meeting.workspace_id == workspace_id, meeting_visible(actor, Meeting.workspace_id))
        .order_by(Meeting.created_at.desc())
    )
    return list(rows)


async def update_preparation(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID,
                             data: s.PreparationIn) -> Meeting:
    """Record what the coordinator checked with the requester and the job seeker."""
    m, ws = await require_coordinator(session, actor, meeting_id)
    require_status(m, OPEN)
    if data.prepared_with_user_id is not None:
        await member_user(session, ws.id, data.prepared_with_user_id, "prepared_with_user_id")
    fields = ("jobseeker_informed", "jobseeker_participation", "non_participation_reason", "prepared_with_user_id",
              "interpreter_language", "thresholds", "goal", "started_because", "professional_questions", "strengths",
              "partner_name")
    for name in fields:
        value = getattr(data, name)
        if value is not None:
            setattr(m, name, value)
    if data.practical_needs is not None:
        m.practical_needs = list(dict.fromkeys(data.practical_needs))
    if data.children_names is not None:
        m.children_names = list(data.children_names)
    if data.urgent_themes is not None:
        await replace_urgent_themes(session, actor, m, data.urgent_themes)
    if m.jobseeker_participation == "none" and not m.non_participation_reason:
        raise Invalid("non_participation_reason", t("meetings.error.non_participation_reason"))
    start_preparing(m, actor)
    await session.flush()
    return m


# ---- invitees ----








async def add_invitee(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID, data: s.InviteeIn) -> MeetingInvitee:
    """Invite a professional (with consent), the job seeker or a confidant; the list changes version."""
    m, ws = await require_coordinator(session, actor, meeting_id)
    require_status(m, OPEN)
    current = await active_invitees(session, m.id)
    inv = MeetingInvitee(meeting_id=m.id, kind=data.kind, function=data.function, address=data.address,
                         email=data.email, added_by_user_id=actor.user_id)
    if data.kind == "professional":
        if data.user_id is None:
            raise Invalid("user_id", t("meetings.error.user_required"))
        user = await member_user(session, ws.id, data.user_id, "user_id")
        await require_participation(session, ws.id, user.agency_id)
        if any(i.user_id == user.id for i in current):
            raise Conflict(t("meetings.error.already_invited"))
        inv.user_id, inv.agency_id = user.id, user.agency_id
    elif data.kind == "jobseeker":
        if any(i.kind == "jobseeker" for i in current):
            raise Conflict(t("meetings.error.already_invited"))
    else:
        if data.confidant_id is None:
            raise Invalid("confidant_id", t("meetings.error.confidant_required"))
        conf = await session.get(Confidant, data.confidant_id)
        if conf is None or conf.workspace_id != ws.id:
            raise Invalid("confidant_id", t("meetings.error.confidant_unknown"))
        if any(i.confidant_id == conf.id for i in current):
            raise Conflict(t("meetings.error.already_invited"))
        inv.confidant_id = conf.id
    session.add(inv)
    m.invitee_list_version += 1
    start_preparing(m, actor)
    await session.flush()
    return inv


async def remove_invitee(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID,
                         invitee_id: uuid.UUID) -> MeetingInvitee:
    """Take someone off the list; if they were already invited, they get a cancellation."""
    m, _ = await require_coordinator(session, actor, meeting_id)
    require_status(m, OPEN)
    inv = await session.get(MeetingInvitee, invitee_id)
    if inv is None or inv.meeting_id != m.id or inv.removed_at is not None:
        raise NotFound(t("meetings.error.invitee_not_found"))
    inv.removed_at = utcnow()
    m.invitee_list_version += 1
    if m.status == "scheduled" and inv.invited_sequence is not None:
        await send_cancellation(session, m, [inv])
    await session.flush()
    return inv


async def record_jobseeker_agreement(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID,
                                     data: s.JobseekerAgreementIn) -> MeetingJobseekerAgreement:
    """The job seeker agrees to the meeting and the invitee list as it stands now (append-only)."""
    if actor.is_jobseeker:
        m = await get_meeting(session, actor, meeting_id, lock=True)
        ws = await session.get(Workspace, m.workspace_id)
        assert ws is not None
    else:
        m, ws = await require_coordinator(session, actor, meeting_id)
    require_status(m, OPEN)
    if data.method == "portal" and not actor.is_jobseeker:
        raise Invalid("method", t("meetings.error.portal_only_jobseeker"))
    if data.method == "verbal" and data.witness_user_id is None:
        raise Invalid("witness_user_id", t("meetings.error.witness_required"))
    if data.witness_user_id is not None:
        await member_user(session, ws.id, data.witness_user_id, "witness_user_id", "meetings.error.witness_unknown")
    invitees = await active_invitees(session, m.id)
    snapshot = [{"id": str(i.id), "kind": i.kind, "name": (await invitee_identity(session, i))["name"]}
                for i in invitees]
    row = MeetingJobseekerAgreement(
        meeting_id=m.id, invitee_list_version=m.invitee_list_version, invitees=snapshot,
        method=actor.portal_method if actor.is_jobseeker else data.method,
        witness_user_id=data.witness_user_id, recorded_by_user_id=actor.acting_user_id,
        recorded_by_jobseeker=actor.is_jobseeker and not actor.is_assisted,
    )
    session.add(row)
    m.jobseeker_informed = True
    start_preparing(m, actor)
    await session.flush()
    if not actor.is_jobseeker or actor.is_assisted:
        # Nobody consents silently on the job seeker's behalf: tell them (no case content in the mail).
        js = await session.get(Jobseeker, ws.jobseeker_id)
        if js is not None and js.email:
            await enqueue(session, key=f"meeting-agreement:{row.id}", kind="meeting_agreement", to_address=js.email,
                          params={"name": ""}, workspace_id=ws.id, language=js.preferred_language)
            await session.flush()
    return row










async def invitee_out(session: AsyncSession, inv: MeetingInvitee) -> s.InviteeOut:
    """An invitee for the API."""
    ident = await invitee_identity(session, inv)
    return s.InviteeOut(
        id=inv.id, kind=inv.kind, name=ident["name"], function=ident["function"], service=ident["service"],
        address=ident["address"], email=ident["email"], user_id=inv.user_id, agency_id=inv.agency_id,
        confidant_id=inv.confidant_id, attendance=inv.attendance, rsvp=inv.rsvp,
        invited=inv.invited_sequence is not None, jobseeker_answer=inv.jobseeker_answer,
    )


async def meeting_out(session: AsyncSession, actor: Actor, m: Meeting, *, detail: bool = True) -> s.MeetingOut:
    """A meeting for the API; notes only for the domains the caller may read."""
    agreement = await latest_agreement(session, m.id)
    case = await case_fields(session, actor, m)
    withheld = sorted(name for name, value in case.items() if value is None and getattr(m, name) not in (None, []))
    out = s.MeetingOut(
        id=m.id, workspace_id=m.workspace_id, status=m.status, reason=case["reason"], goal=case["goal"],
        requested_by=s.RequestedBy(kind=m.requested_by_kind, user_id=m.requested_by_user_id),  # type: ignore[arg-type]  # the column holds only the schema's literals
        coordinator_user_id=m.coordinator_user_id, jobseeker_informed=m.jobseeker_informed,
        jobseeker_participation=m.jobseeker_participation, non_participation_reason=case["non_participation_reason"],
        prepared_with_user_id=m.prepared_with_user_id, practical_needs=list(m.practical_needs),
        interpreter_language=m.interpreter_language, thresholds=case["thresholds"],
        partner_name=case["partner_name"], children_names=list(case["children_names"] or []), withheld=withheld,
        jobseeker_agreement=s.JobseekerAgreementOut(
            method=agreement.method, witness_user_id=agreement.witness_user_id, agreed_at=agreement.agreed_at,
            invitee_list_version=agreement.invitee_list_version,
            current=agreement.invitee_list_version == m.invitee_list_version,
        ) if agreement else None,
        starts_at=m.starts_at, ends_at=m.ends_at, location=m.location, video_url=m.video_url,
        sequence=m.ics_sequence, follow_up_date=m.follow_up_date, finalized_at=m.finalized_at, held_on=m.held_on,
        cancelled_at=m.cancelled_at, cancel_reason=m.cancel_reason, created_at=m.created_at,
        started_because=case["started_because"], professional_questions=case["professional_questions"],
        strengths=case["strengths"], follow_up_of=m.follow_up_of_id,
        follow_ups=await follow_up_ids(session, m), carried_agreements=await readable_carried(session, actor, m),
        coordinator_history=await coordinator_history(session, m),
        jobseeker_voice=s.JobseekerVoiceOut(
            questions=case["jobseeker_questions"], agenda=case["jobseeker_agenda"], at_ease=case["jobseeker_at_ease"],
            wished_people=case["jobseeker_wished_people"], updated_at=m.jobseeker_input_at,
            progress=case["jobseeker_progress"], progress_at=m.jobseeker_progress_at,
        ) if m.jobseeker_input_at or m.jobseeker_progress_at else None,
        checkin_asked_at=m.checkin_asked_at, checkin_asked_by=m.checkin_asked_by_user_id,
    )
    if detail:
        if actor.is_staff:
            shown = {CASE_FIELDS[n] for n, v in case.items() if v not in (None, [])}
            for domain in sorted(shown):
                await log_access(session, actor, action="read", resource_type="meeting", workspace_id=m.workspace_id,
                                 resource_id=m.id, life_domain=domain)
        out.invitees = [await invitee_out(session, i) for i in await active_invitees(session, m.id)]
        out.slots = await ranked_slots(session, m)
        out.notes = await readable_notes(session, actor, m)
        out.urgent_themes = await readable_urgent_themes(session, actor, m)
    return out


async def count_meetings(session: AsyncSession, workspace_id: uuid.UUID) -> int:
    """Number of meetings of a workspace (all states)."""
    return await session.scalar(select(func.count()).where(Meeting.workspace_id == workspace_id)) or 0

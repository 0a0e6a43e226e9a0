"""At the table and after: attendance, notes per life domain (consent-gated), finalize, report content."""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.domains import LIFE_DOMAINS
from w2.consent.policy import ConsentMissing, can_read_domain, log_access, log_denial, require_grant, today
from w2.meetings import schemas as s
from w2.meetings.access import (
    OPEN,
    active_invitees,
    get_meeting,
    invitee_identity,
    latest_agreement,
    require_coordinator,
    require_status,
)
from w2.meetings.agreements.models import Agreement
from w2.meetings.models import Meeting, MeetingInvitee, MeetingNote, MeetingReportVersion
from w2.meetings.urgent import all_urgent_themes
from w2.platform import wiring
from w2.platform.actor import Actor
from w2.platform.db.base import utcnow
from w2.platform.db.scope import system_scope
from w2.platform.errors import Conflict, Forbidden, Invalid, NotFound
from w2.platform.i18n import t
from w2.platform.models import Agency, Confidant, Jobseeker, Membership, User, Workspace
from w2.platform.settings import get_settings
from w2.platform.workspaces import current_pivot

log = logging.getLogger("w2.meetings")


async def record_attendance(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID,
                            data: s.AttendanceIn) -> Meeting:
    """Present, absent or excused per invitee; the meeting is then held."""
    m, _ = await require_coordinator(session, actor, meeting_id)
    require_status(m, ("scheduled", "held"), "meetings.hint.not_scheduled" if m.status in OPEN else None)
    invitees = {i.id: i for i in await active_invitees(session, m.id)}
    for item in data.items:
        if item.invitee_id not in invitees:
            raise NotFound(t("meetings.error.invitee_not_found"))
    for item in data.items:
        invitees[item.invitee_id].attendance = item.attendance
    if m.status == "scheduled":
        m.status, m.held_at = "held", utcnow()
    await session.flush()
    return m


async def write_note(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID, life_domain: str,
                     data: s.NoteIn) -> MeetingNote:
    """Record what was shared in one life domain; the writer's agency needs consent for that domain."""
    if life_domain not in LIFE_DOMAINS:
        raise Invalid("life_domain", t("meetings.error.domain_unknown"))
    m = await get_meeting(session, actor, meeting_id, lock=True)
    require_status(m, ("scheduled", "held"), "meetings.hint.not_scheduled" if m.status in OPEN else None)
    if actor.is_staff:
        if actor.agency_id is None or actor.is_platform_admin:
            raise Forbidden(t("error.forbidden"))
        try:
            await require_grant(session, m.workspace_id, actor.agency_id, "information_sharing", life_domain)
        except ConsentMissing:
            await log_denial(session, actor, action="write", resource_type="meeting_note",
                             workspace_id=m.workspace_id, resource_id=m.id, life_domain=life_domain)
            raise
    if data.information is None and data.improved is None and data.title is None:
        raise Invalid("information", t("meetings.error.note_empty"))
    if data.title is not None and life_domain != "other":
        raise Invalid("title", t("meetings.error.title_only_other"))
    if data.improved is not None and m.follow_up_of_id is None:
        raise Invalid("improved", t("meetings.error.improved_only_follow_up"))
    note = await session.scalar(
        select(MeetingNote).where(MeetingNote.meeting_id == m.id, MeetingNote.life_domain == life_domain)
    )
    if note is None:
        note = MeetingNote(meeting_id=m.id, workspace_id=m.workspace_id, life_domain=life_domain, information="",
                           updated_by_user_id=actor.user_id)
        session.add(note)
    for field in ("information", "improved", "title"):
        if getattr(data, field) is not None:
            setattr(note, field, getattr(data, field))
    note.updated_by_user_id, note.updated_at = actor.user_id, utcnow()
    await log_access(session, actor, action="write", resource_type="meeting_note", workspace_id=m.workspace_id,
                     resource_id=m.id, life_domain=life_domain)
    await session.flush()
    return note


async def readable_notes(session: AsyncSession, actor: Actor, m: Meeting) -> list[s.NoteOut]:
    """The meeting's notes in the domains the actor may read (filtered in SQL), each read logged."""
    rows = list(await session.scalars(
        select(MeetingNote)
        .where(MeetingNote.meeting_id == m.id,
               can_read_domain(actor, MeetingNote.workspace_id, MeetingNote.life_domain))
    ))
    rows.sort(key=lambda n: LIFE_DOMAINS.index(n.life_domain))
    for n in rows:
        await log_access(session, actor, action="read", resource_type="meeting_note", workspace_id=m.workspace_id,
                         resource_id=m.id, life_domain=n.life_domain)
    if rows:
        await session.flush()
    return [s.NoteOut(life_domain=n.life_domain, information=n.information, updated_at=n.updated_at,
                      improved=n.improved, title=n.title) for n in rows]


async def finalize(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID,
                   data: s.FinalizeIn) -> MeetingReportVersion:
    """Close the meeting and freeze what the report says into a new report version."""
    m, _ = await require_coordinator(session, actor, meeting_id)
    require_status(m, ("held",), "meetings.hint.not_held" if m.status == "scheduled" else None)
    if data.follow_up_date is not None and data.follow_up_date <= today():
        raise Invalid("follow_up_date", t("meetings.error.follow_up_past"))
    missing = [i.id for i in await active_invitees(session, m.id) if i.attendance is None]
    if missing:
        raise Conflict(t("meetings.error.attendance_missing"), kind="attendance-missing",
                       extra={"invitee_ids": [str(x) for x in missing]})
    held_on = _held_early_on(m, data)
    m.follow_up_date = data.follow_up_date
    if held_on is not None:
        m.held_on, m.held_early_by_user_id = held_on, actor.acting_user_id
        log.info("meeting %s finalized as held earlier than planned, on %s", m.id, held_on.isoformat())
    m.status, m.finalized_at = "finalized", utcnow()
    await session.flush()
    version = (await session.scalar(
        select(func.max(MeetingReportVersion.version)).where(MeetingReportVersion.meeting_id == m.id)) or 0) + 1
    content = await report_data(session, m.id)
    row = MeetingReportVersion(meeting_id=m.id, workspace_id=m.workspace_id, version=version, content=content,
                               created_by_user_id=actor.user_id)
    session.add(row)
    await session.flush()
    for hook in wiring.active().finalize_hooks:  # e.g. reports plans its renditions
        await hook(session, m, row)
    return row


def _held_early_on(m: Meeting, data: s.FinalizeIn) -> date | None:
    """The actual day when the coordinator says the meeting took place earlier than planned.

    Without that statement a meeting whose start lies ahead cannot be closed (409): a report must never
    say it was closed before the meeting took place.
    """
    if not data.took_place_earlier:
        if data.held_on is not None:
            raise Invalid("took_place_earlier", t("meetings.error.held_on_without_flag"))
        if m.starts_at is not None and m.starts_at > utcnow():
            planned = m.starts_at.astimezone(ZoneInfo(get_settings().timezone))
            raise Conflict(t("meetings.error.not_started", date=planned.strftime("%d/%m/%Y %H:%M")),
                           kind="meeting-not-started", extra={"starts_at": m.starts_at.isoformat()})
        return None
    held_on = data.held_on or today()
    if held_on > today():
        raise Invalid("held_on", t("meetings.error.held_on_future"))
    if m.starts_at is not None and held_on > m.starts_at.astimezone(ZoneInfo(get_settings().timezone)).date():
        raise Invalid("held_on", t("meetings.error.held_on_after_planned"))
    return held_on


async def latest_report_version(session: AsyncSession, meeting_id: uuid.UUID) -> MeetingReportVersion | None:
    """The most recent frozen report of a meeting (None before finalize)."""
    return await session.scalar(
        select(MeetingReportVersion).where(MeetingReportVersion.meeting_id == meeting_id)
        .order_by(MeetingReportVersion.version.desc()).limit(1)
    )


# ---- report content ----


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


async def _person(session: AsyncSession, user_id: uuid.UUID | None) -> dict[str, Any] | None:
    user = await session.get(User, user_id) if user_id else None
    if user is None:
        return None
    agency = await session.get(Agency, user.agency_id)
    return {"user_id": str(user.id), "name": user.name, "function": user.function, "email": user.email,
            "agency_id": str(user.agency_id), "agency": agency.name if agency else None}


async def _owner_name(session: AsyncSession, a: Agreement, js_name: str) -> str:
    if a.owner_kind == "user" and a.owner_user_id:
        user = await session.get(User, a.owner_user_id)
        return user.name if user else ""
    if a.owner_kind == "agency" and a.owner_agency_id:
        agency = await session.get(Agency, a.owner_agency_id)
        return agency.name if agency else ""
    if a.owner_kind == "confidant" and a.owner_confidant_id:
        conf = await session.get(Confidant, a.owner_confidant_id)
        return conf.name if conf else ""
    return js_name


async def report_data(session: AsyncSession, meeting_id: uuid.UUID) -> dict[str, Any]:
    """Everything the report template (handbook ch. 8 item 11) needs, as JSON-ready data.

    Holds ALL life domains unfiltered (read under the system scope, so the caller's own consents
    do not trim it): whoever renders it for a recipient keeps only the domains that recipient's
    agency may see (consent.policy), at render time. Never return it to a caller as is.
    """
    async with system_scope(session):
        return await _build_report_data(session, meeting_id)


async def _build_report_data(session: AsyncSession, meeting_id: uuid.UUID) -> dict[str, Any]:
    m = await session.get(Meeting, meeting_id)
    if m is None:
        raise NotFound(t("meetings.error.not_found"))
    ws = await session.get(Workspace, m.workspace_id)
    assert ws is not None
    js = await session.get(Jobseeker, ws.jobseeker_id)
    assert js is not None
    js_name = f"{js.given_name} {js.family_name}"
    pivot = await current_pivot(session, ws.id)
    invitees = []
    confidants = []
    for inv in await active_invitees(session, m.id):
        ident = await invitee_identity(session, inv)
        invitees.append({"id": str(inv.id), "kind": inv.kind, "name": ident["name"], "function": ident["function"],
                         "service": ident["service"], "address": ident["address"], "email": ident["email"],
                         "attendance": inv.attendance,
                         "agency_id": str(inv.agency_id) if inv.agency_id else None})
        if inv.kind == "confidant" and inv.confidant_id:
            conf = await session.get(Confidant, inv.confidant_id)
            if conf is not None:
                confidants.append({"name": conf.name, "relation": conf.relation})
    requester = await _person(session, m.requested_by_user_id)
    agreement = await latest_agreement(session, m.id)
    witness = await _person(session, agreement.witness_user_id) if agreement else None
    notes = {n.life_domain: n for n in await session.scalars(
        select(MeetingNote).where(MeetingNote.meeting_id == m.id))}
    agreements = list(await session.scalars(
        select(Agreement).where(Agreement.meeting_id == m.id, Agreement.workspace_id == m.workspace_id)
        .order_by(Agreement.created_at, Agreement.id)))
    carried_ids = [uuid.UUID(x) for x in m.carried_agreement_ids]
    carried = list(await session.scalars(
        select(Agreement).where(Agreement.id.in_(carried_ids), Agreement.workspace_id == m.workspace_id)
        .order_by(Agreement.created_at, Agreement.id))) if carried_ids else []
    previous = await session.get(Meeting, m.follow_up_of_id) if m.follow_up_of_id else None

    async def item(a: Agreement) -> dict[str, Any]:
        return {"id": str(a.id), "description": a.description, "owner_kind": a.owner_kind,
                "owner_name": await _owner_name(session, a, js_name),
                "owner_agency_id": str(a.owner_agency_id) if a.owner_agency_id else None,
                "due_date": _iso(a.due_date), "status": a.status, "informs": a.informs,
                "cancel_reason": a.cancel_reason}

    domains = []
    for code in LIFE_DOMAINS:
        note = notes.get(code)
        domains.append({"code": code, "label": t(f"domain.{code}"),
                        "information": (note.information or None) if note else None,
                        "title": note.title if note else None, "improved": note.improved if note else None,
                        "agreements": [await item(a) for a in agreements if a.life_domain == code],
                        "carried": [await item(a) for a in carried if a.life_domain == code]})
    return {
        "meeting_id": str(m.id),
        "workspace_id": str(ws.id),
        "status": m.status,
        "coordinator": await _person(session, m.coordinator_user_id),
        "pivot": await _person(session, pivot.user_id) if pivot else None,
        # The job seeker's network: every confidant they named (not only those invited), for the header.
        "confidants": [{"name": c.name, "relation": c.relation} for c in await session.scalars(
            select(Confidant).where(Confidant.workspace_id == ws.id, Confidant.removed_at.is_(None))
            .order_by(Confidant.created_at, Confidant.id))] or confidants,
        "jobseeker": {"given_name": js.given_name, "family_name": js.family_name, "name": js_name},
        "partner_name": m.partner_name,
        "children_names": list(m.children_names),
        "invitees": invitees,
        "requester": {"kind": m.requested_by_kind,
                      "name": requester["name"] if requester else js_name,
                      "agency": requester["agency"] if requester else None},
        "reason": m.reason,
        "started_because": m.started_because,
        "goal": m.goal,
        "jobseeker_questions": m.jobseeker_questions,  # the job seeker's own "vragen en wensen" (portal)
        "professional_questions": m.professional_questions,
        "strengths": m.strengths,
        "follow_up_of": {"meeting_id": str(previous.id), "starts_at": _iso(previous.starts_at or previous.held_at),
                         "held_on": _iso(previous.held_on)}
        if previous else None,
        "preparation": {
            "prepared_with": await _person(session, m.prepared_with_user_id),
            "jobseeker_informed": m.jobseeker_informed,
            "participation": m.jobseeker_participation,
            "participation_label": t(f"meetings.participation.{m.jobseeker_participation}"),
            "non_participation_reason": m.non_participation_reason,
            "practical_needs": list(m.practical_needs),
            "practical_needs_labels": [t(f"meetings.need.{n}") for n in m.practical_needs],
            "interpreter_language": m.interpreter_language,
            "thresholds": m.thresholds,
            "jobseeker_agreement": {"method": agreement.method, "agreed_at": _iso(agreement.agreed_at),
                                    "witness": witness["name"] if witness else None} if agreement else None,
        },
        "urgent_themes": await all_urgent_themes(session, m.id),
        # Each member agency's question, tagged with its life domain: copies keep only consented ones.
        "member_questions": [
            {"agency": name, "agency_id": str(mb.agency_id), "question_type": mb.question_type,
             "question": mb.question, "life_domain": mb.life_domain}
            for mb, name in (await session.execute(
                select(Membership, Agency.name).join(Agency, Agency.id == Membership.agency_id)
                .where(Membership.workspace_id == ws.id, Membership.question.is_not(None))
                .order_by(Membership.created_at, Membership.id))).all()],
        "starts_at": _iso(m.starts_at),
        "ends_at": _iso(m.ends_at),
        "held_on": _iso(m.held_on),  # the actual day, when it took place earlier than planned
        "location": m.location,
        "domains": domains,
        "follow_up_date": _iso(m.follow_up_date),
        "finalized_at": _iso(m.finalized_at),
    }


async def meetings_starting_between(session: AsyncSession, start: datetime,
                                    end: datetime) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Scan hook for reminders: (meeting_id, workspace_id) of scheduled meetings with start in [start, end)."""
    rows = await session.execute(
        select(Meeting.id, Meeting.workspace_id)
        .where(Meeting.status == "scheduled", Meeting.starts_at >= start, Meeting.starts_at < end)
        .order_by(Meeting.starts_at)
    )
    return [(r[0], r[1]) for r in rows]


async def invitee_for(session: AsyncSession, meeting_id: uuid.UUID, invitee_id: uuid.UUID) -> MeetingInvitee | None:
    """An invitee of a meeting (for other domains), or None."""
    inv = await session.get(MeetingInvitee, invitee_id)
    return inv if inv is not None and inv.meeting_id == meeting_id else None

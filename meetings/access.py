"""Shared look-ups of round tables: visibility, access checks, status rules, invitees and the job seeker's agreement.

Every other meetings module builds on these; this module imports none of them.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.models import ConsentGrant
from w2.consent.policy import ConsentMissing, agencies_granted, domain_filtered
from w2.meetings.models import Meeting, MeetingInvitee, MeetingJobseekerAgreement
from w2.platform.actor import Actor
from w2.platform.errors import Conflict, Forbidden, Invalid, NotFound
from w2.platform.i18n import t
from w2.platform.models import Agency, Confidant, Jobseeker, Membership, User, Workspace
from w2.platform.visibility import workspace_visible

OPEN = ("requested", "preparing", "polling", "scheduled")
# Every meeting field that is the job seeker's case content, with its life domain. Everything else on a
# meeting (status, times, place, invitees, participation, practical needs) is logistics for the table.
# Urgent themes are rows of their own, each with its life domain (meetings/urgent.py).
CASE_FIELDS: dict[str, str] = {
    "reason": "other",
    "goal": "other",
    "started_because": "other",
    "professional_questions": "other",
    "strengths": "other",  # "krachten / wat goed loopt": the job seeker's own information
    "thresholds": "health",  # fear, shame: the job seeker's own, psychological thresholds
    "non_participation_reason": "health",
    "partner_name": "social",
    "children_names": "parenting",
    # What the job seeker writes for the table on their own pages (portal).
    "jobseeker_questions": "other",
    "jobseeker_agenda": "other",
    "jobseeker_at_ease": "health",
    "jobseeker_wished_people": "network",
    "jobseeker_progress": "other",  # their answer to "Hoe gaat het? Wat is er verbeterd?" before a follow-up
}
PARTICIPATION_PURPOSE = "meeting_participation"


def meeting_visible(actor: Actor, workspace_id_col: Any) -> ColumnElement[bool]:
    """SQL condition: the job seeker, the coordinating agency, or an agency that may take part."""
    if actor.is_jobseeker:
        return workspace_id_col == actor.workspace_id if actor.workspace_id else false()
    if actor.agency_id is None or actor.is_platform_admin:
        return false()
    coordinating = exists(
        select(1).where(Workspace.id == workspace_id_col, Workspace.coordinating_agency_id == actor.agency_id)
    )
    participating = exists(
        agencies_granted(workspace_id_col, PARTICIPATION_PURPOSE).where(ConsentGrant.agency_id == actor.agency_id)
    )
    return and_(workspace_visible(actor, workspace_id_col), or_(coordinating, participating))


async def get_meeting(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID, *, lock: bool = False) -> Meeting:
    """The meeting if the actor may see it; 404 otherwise."""
    stmt = select(Meeting).where(Meeting.id == meeting_id, meeting_visible(actor, Meeting.workspace_id))
    if lock and session.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=Meeting)
    m = await session.scalar(stmt)
    if m is None:
        raise NotFound(t("meetings.error.not_found"))
    return m


async def case_fields(session: AsyncSession, actor: Actor, m: Meeting) -> dict[str, Any]:
    """The meeting's case-content fields as the policy lets this actor read them (None when withheld)."""
    cols = domain_filtered(actor, Meeting.workspace_id,
                           {name: (getattr(Meeting, name), domain) for name, domain in CASE_FIELDS.items()})
    row = (await session.execute(select(*cols).where(Meeting.id == m.id))).one()
    return dict(row._mapping)


async def require_coordinator(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID) -> tuple[Meeting, Workspace]:
    """The meeting (locked) and its workspace, if the actor coordinates it.

    That is the meeting's own coordinator (any member agency's professional it was handed to), or a
    coordinator of the workspace's coordinating agency, which keeps the case.
    """
    m = await get_meeting(session, actor, meeting_id, lock=True)
    ws = await session.get(Workspace, m.workspace_id)
    assert ws is not None
    if not is_meeting_coordinator(actor, m, ws):
        raise Forbidden(t("error.not_coordinator"))
    return m, ws


def is_meeting_coordinator(actor: Actor, m: Meeting, ws: Workspace) -> bool:
    """The meeting's own coordinator, or a coordinator of the workspace's coordinating agency."""
    if not actor.is_staff:
        return False
    own = m.coordinator_user_id is not None and m.coordinator_user_id == actor.user_id
    return own or (actor.agency_id == ws.coordinating_agency_id and actor.has_role("coordinator"))


def require_status(m: Meeting, allowed: tuple[str, ...], hint: str | None = None) -> None:
    """Refuse a transition from a state it may not start from, saying why (409)."""
    if m.status in allowed:
        return
    if hint is None:
        hint = {
            "cancelled": "meetings.hint.cancelled",
            "finalized": "meetings.hint.finalized",
            "held": "meetings.hint.closed",
            "requested": "meetings.hint.prepare_first",
        }.get(m.status, "meetings.hint.closed")
    raise Conflict(
        t("meetings.error.wrong_status", status=t(f"meetings.status.{m.status}"), hint=t(hint)),
        kind="meeting-status",
        extra={"status": m.status, "allowed_from": list(allowed)},
    )


def start_preparing(m: Meeting, actor: Actor) -> None:
    """The first preparation step moves a request into preparation and names its coordinator."""
    if m.status == "requested":
        m.status = "preparing"
    if m.coordinator_user_id is None and actor.is_staff:
        m.coordinator_user_id = actor.user_id


async def member_user(session: AsyncSession, workspace_id: uuid.UUID, user_id: uuid.UUID, field: str,
                       message: str = "meetings.error.user_not_member") -> User:
    user = await session.scalar(
        select(User).join(Membership, Membership.agency_id == User.agency_id).where(
            User.id == user_id, Membership.workspace_id == workspace_id, User.active.is_(True)
        )
    )
    if user is None:
        raise Invalid(field, t(message))
    return user


async def active_invitees(session: AsyncSession, meeting_id: uuid.UUID) -> list[MeetingInvitee]:
    """The current invitee list, in the order people were added."""
    rows = await session.scalars(
        select(MeetingInvitee)
        .where(MeetingInvitee.meeting_id == meeting_id, MeetingInvitee.removed_at.is_(None))
        .order_by(MeetingInvitee.created_at, MeetingInvitee.id)
    )
    return list(rows)


async def participation_granted(session: AsyncSession, workspace_id: uuid.UUID, agency_id: uuid.UUID) -> bool:
    """True when the agency holds an active meeting_participation consent (any life domain)."""
    cond = exists(agencies_granted(workspace_id, PARTICIPATION_PURPOSE).where(ConsentGrant.agency_id == agency_id))
    return bool(await session.scalar(select(cond)))


async def require_participation(session: AsyncSession, workspace_id: uuid.UUID, agency_id: uuid.UUID) -> None:
    """Raise ConsentMissing (409 naming agency and purpose) unless the agency may take part."""
    if not await participation_granted(session, workspace_id, agency_id):
        agency = await session.get(Agency, agency_id)
        raise ConsentMissing(agency_id, PARTICIPATION_PURPOSE, None, agency.name if agency else "")


async def latest_agreement(session: AsyncSession, meeting_id: uuid.UUID) -> MeetingJobseekerAgreement | None:
    """The job seeker's most recent agreement for this meeting."""
    return await session.scalar(
        select(MeetingJobseekerAgreement)
        .where(MeetingJobseekerAgreement.meeting_id == meeting_id)
        .order_by(MeetingJobseekerAgreement.agreed_at.desc(), MeetingJobseekerAgreement.invitee_list_version.desc())
        .limit(1)
    )


async def require_current_agreement(session: AsyncSession, m: Meeting) -> None:
    """Scheduling needs the job seeker's agreement to this very invitee list."""
    agreement = await latest_agreement(session, m.id)
    if agreement is None:
        raise Conflict(t("meetings.error.no_jobseeker_agreement"), kind="jobseeker-agreement-missing")
    if agreement.invitee_list_version != m.invitee_list_version:
        raise Conflict(t("meetings.error.agreement_outdated"), kind="jobseeker-agreement-outdated")


async def invitee_identity(session: AsyncSession, inv: MeetingInvitee) -> dict[str, Any]:
    """Name, function, service, address, email and language of an invitee."""
    out: dict[str, Any] = {"name": "", "function": inv.function, "service": None, "address": inv.address,
                           "email": inv.email, "language": "nl"}
    if inv.kind == "professional" and inv.user_id:
        user = await session.get(User, inv.user_id)
        agency = await session.get(Agency, inv.agency_id) if inv.agency_id else None
        if user is not None:
            out.update(name=user.name, language=user.preferred_language)
            out["function"] = inv.function or user.function
            out["email"] = inv.email or user.email
        out["service"] = agency.name if agency else None
    elif inv.kind == "jobseeker":
        m = await session.get(Meeting, inv.meeting_id)
        ws = await session.get(Workspace, m.workspace_id) if m else None
        js = await session.get(Jobseeker, ws.jobseeker_id) if ws else None
        if js is not None:
            out.update(name=f"{js.given_name} {js.family_name}", language=js.preferred_language)
            out["email"] = inv.email or js.email
    elif inv.confidant_id:
        conf = await session.get(Confidant, inv.confidant_id)
        if conf is not None:
            out["name"] = conf.name
            out["email"] = inv.email or conf.email
    return out

"""Workspace rules: create, find (only for members), members, pivot with history, confidants."""

from __future__ import annotations

import uuid

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform import rrn, wiring
from w2.platform import schemas as s
from w2.platform.actor import Actor
from w2.platform.db.base import utcnow
from w2.platform.errors import Conflict, Forbidden, Invalid, NotFound
from w2.platform.i18n import t
from w2.platform.models import Agency, Confidant, Jobseeker, Membership, PivotAssignment, User, Workspace
from w2.platform.outbox import enqueue
from w2.platform.settings import get_settings
from w2.platform.visibility import contact_visible, workspace_visible


def _require_case_worker(actor: Actor) -> None:
    if not actor.is_staff:
        raise Forbidden(t("error.staff_only"))
    if actor.is_platform_admin or not (actor.has_role("coordinator") or actor.has_role("worker")):
        raise Forbidden(t("error.platform_admin_no_cases"))


async def create_workspace(session: AsyncSession, actor: Actor, data: s.WorkspaceIn) -> Workspace:
    """Create a workspace; the caller's agency coordinates and becomes a member."""
    _require_case_worker(actor)
    js = data.jobseeker
    number = None
    if js.national_number is not None:
        number = rrn.normalize(js.national_number)
        if number is None:
            raise Invalid("jobseeker.national_number", t("error.national_number"))
        if js.birth_date and rrn.normalize(number, js.birth_date) is None:
            raise Invalid("jobseeker.national_number", t("error.national_number_birth"))
    if js.email and await session.scalar(select(User.id).where(func.lower(User.email) == js.email.strip().lower())):
        # The sign-in link goes to this address: a professional's own address would let them act as the job seeker.
        raise Invalid("jobseeker.email", t("error.jobseeker_email_is_staff"))
    jobseeker = Jobseeker(
        given_name=js.given_name.strip(),
        family_name=js.family_name.strip(),
        birth_date=js.birth_date,
        national_number=number,
        email=js.email,
        phone=js.phone,
        preferred_language=js.preferred_language,
    )
    session.add(jobseeker)
    await session.flush()
    ws = Workspace(jobseeker_id=jobseeker.id, coordinating_agency_id=actor.agency_id,
                   created_by_user_id=actor.user_id)
    session.add(ws)
    await session.flush()
    session.add(Membership(workspace_id=ws.id, agency_id=actor.agency_id, contact_user_id=actor.user_id,
                           question_type="afstemming", added_by_user_id=actor.user_id))
    await session.flush()
    return ws


async def get_workspace(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> Workspace:
    """The workspace if the actor may see it; 404 otherwise (no hint that it exists)."""
    ws = await session.scalar(
        select(Workspace).where(Workspace.id == workspace_id, workspace_visible(actor, Workspace.id))
    )
    if ws is None:
        raise NotFound(t("error.workspace_not_found"))
    return ws


async def list_workspaces(
    session: AsyncSession, actor: Actor, limit: int, offset: int
) -> tuple[list[Workspace], int]:
    """Workspaces the actor's agency is a member of, newest first."""
    cond = workspace_visible(actor, Workspace.id)
    total = await session.scalar(select(func.count()).select_from(Workspace).where(cond)) or 0
    rows = await session.scalars(
        select(Workspace).where(cond).order_by(Workspace.created_at.desc(), Workspace.id).limit(limit).offset(offset)
    )
    return list(rows), total


async def search_workspaces(
    session: AsyncSession, actor: Actor, name: str = "", limit: int = 100
) -> tuple[list[tuple[Workspace, Jobseeker]], int]:
    """Visible workspaces with their job seeker, newest first; `name` narrows to job seekers whose name holds it."""
    cond = workspace_visible(actor, Workspace.id)
    if name.strip():
        full = func.lower(Jobseeker.given_name + " " + Jobseeker.family_name)
        words = [w for w in name.lower().split() if w][:5]
        cond = and_(cond, *[full.contains(w, autoescape=True) for w in words])
    base = select(Workspace, Jobseeker).join(Jobseeker, Jobseeker.id == Workspace.jobseeker_id).where(cond)
    total = await session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = (await session.execute(base.order_by(Workspace.created_at.desc(), Workspace.id).limit(limit))).all()
    return [(w, j) for w, j in rows], total


async def require_coordinator(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> Workspace:
    """The workspace, if the actor is a coordinator of its coordinating agency."""
    ws = await get_workspace(session, actor, workspace_id)
    if not (actor.is_staff and actor.agency_id == ws.coordinating_agency_id and actor.has_role("coordinator")):
        raise Forbidden(t("error.not_coordinator"))
    return ws


async def add_member(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, data: s.MemberIn) -> Membership:
    """Add an agency; its contact person is told by mail (through the outbox) that a workspace waits."""
    ws = await require_coordinator(session, actor, workspace_id)
    agency = await session.get(Agency, data.agency_id)
    if agency is None:
        raise Invalid("agency_id", t("error.agency_not_found"))
    exists = await session.scalar(
        select(Membership.id).where(Membership.workspace_id == ws.id, Membership.agency_id == agency.id)
    )
    if exists:
        raise Conflict(t("error.already_member"))
    contact = None
    if data.contact_user_id is not None:
        contact = await session.get(User, data.contact_user_id)
        if contact is None or contact.agency_id != agency.id:
            raise Invalid("contact_user_id", t("error.contact_not_in_agency"))
    member = Membership(workspace_id=ws.id, agency_id=agency.id, contact_user_id=data.contact_user_id,
                        question_type=data.question_type, question=data.question, life_domain=data.life_domain,
                        added_by_user_id=actor.user_id)
    session.add(member)
    await session.flush()
    if contact is not None:
        await enqueue(
            session,
            key=f"member-added:{member.id}",
            kind="member_added",
            to_address=contact.email,
            recipient_user_id=contact.id,
            language=contact.preferred_language,
            params={"name": contact.name, "link": f"{get_settings().base_url}/workspaces/{ws.id}"},
            workspace_id=ws.id,
        )
        await session.flush()
    return member


async def set_pivot(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, data: s.PivotIn) -> PivotAssignment:
    """Make a professional of a member agency the pivot; the previous period is closed, not erased."""
    ws = await require_coordinator(session, actor, workspace_id)
    user = await session.get(User, data.user_id)
    if user is None:
        raise Invalid("user_id", t("error.user_not_found"))
    member = await session.scalar(
        select(Membership.id).where(Membership.workspace_id == ws.id, Membership.agency_id == user.agency_id)
    )
    if member is None:
        raise Invalid("user_id", t("error.pivot_not_member"))
    if data.chosen_by_jobseeker:
        await _require_witness(session, ws.id, actor, data.witness_user_id)
    now = utcnow()
    current = await current_pivot(session, ws.id)
    if current is not None:
        if current.user_id == user.id and (current.chosen_by_jobseeker or not data.chosen_by_jobseeker):
            return current  # a staff proposal never overrides the job seeker's own choice of the same person
        current.until = now
    pivot = PivotAssignment(workspace_id=ws.id, user_id=user.id, chosen_by_jobseeker=data.chosen_by_jobseeker,
                            since=now, assigned_by_user_id=actor.user_id, witness_user_id=data.witness_user_id)
    session.add(pivot)
    await session.flush()
    return pivot


async def _require_witness(session: AsyncSession, workspace_id: uuid.UUID, actor: Actor,
                           witness_id: uuid.UUID | None) -> None:
    """Only the job seeker chooses; staff recording that choice need another professional as witness."""
    if witness_id is None:
        raise Invalid("witness_user_id", t("error.pivot_choice_needs_jobseeker"))
    witness = await session.get(User, witness_id)
    member = witness is not None and await session.scalar(select(Membership.id).where(
        Membership.workspace_id == workspace_id, Membership.agency_id == witness.agency_id))
    if witness_id == actor.user_id or not member:
        raise Invalid("witness_user_id", t("error.pivot_witness"))


async def current_pivot(session: AsyncSession, workspace_id: uuid.UUID) -> PivotAssignment | None:
    """The open pivot period, if any."""
    return await session.scalar(
        select(PivotAssignment).where(PivotAssignment.workspace_id == workspace_id, PivotAssignment.until.is_(None))
    )


async def add_confidant(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, data: s.ConfidantIn) -> Confidant:
    """Record a confidant the job seeker asked for."""
    ws = await require_coordinator(session, actor, workspace_id)
    c = Confidant(workspace_id=ws.id, name=data.name, relation=data.relation, email=data.email, phone=data.phone)
    session.add(c)
    await session.flush()
    return c


async def workspace_out(session: AsyncSession, ws: Workspace, actor: Actor) -> s.WorkspaceOut:
    """Identity and logistics of a workspace as this actor may see them (contact details: see contact_visible)."""
    js = await session.get(Jobseeker, ws.jobseeker_id)
    assert js is not None
    full = bool(await session.scalar(select(contact_visible(actor, ws.id))))
    members = await session.scalars(
        select(Membership).where(Membership.workspace_id == ws.id).order_by(Membership.created_at)
    )
    pivots = list(
        await session.scalars(
            select(PivotAssignment).where(PivotAssignment.workspace_id == ws.id).order_by(PivotAssignment.since)
        )
    )
    confidants = await session.scalars(
        select(Confidant).where(Confidant.workspace_id == ws.id, Confidant.removed_at.is_(None)).order_by(Confidant.created_at)
    )
    current = next((p for p in pivots if p.until is None), None)
    reader = wiring.active().question_reader
    questions = await reader(session, actor, ws.id) if reader is not None else {}

    def member(m: Membership) -> s.MemberOut:
        text, domain, withheld = questions.get(m.agency_id, (None, m.life_domain, m.question is not None))
        return s.MemberOut(agency_id=m.agency_id, contact_user_id=m.contact_user_id, question_type=m.question_type,
                           question=text, life_domain=domain, question_withheld=withheld)

    return s.WorkspaceOut(
        id=ws.id,
        jobseeker=s.JobseekerOut(
            id=js.id, given_name=js.given_name, family_name=js.family_name,
            birth_date=js.birth_date if full else None, national_number=js.national_number if full else None,
            email=js.email if full else None, phone=js.phone if full else None,
            preferred_language=js.preferred_language,
        ),
        coordinating_agency_id=ws.coordinating_agency_id,
        members=[member(m) for m in members],
        pivot=s.PivotOut(user_id=current.user_id, chosen_by_jobseeker=current.chosen_by_jobseeker,
                         since=current.since) if current else None,
        pivot_history=[s.PivotHistoryOut(user_id=p.user_id, chosen_by_jobseeker=p.chosen_by_jobseeker,
                                         since=p.since, until=p.until) for p in pivots],
        confidants=[s.ConfidantOut(id=c.id, name=c.name, relation=c.relation, email=c.email if full else None,
                                   phone=c.phone if full else None)
                    for c in confidants],
        created_at=ws.created_at,
    )

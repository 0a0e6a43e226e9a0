"""The partner work list: my agency's agreements as compact rows, with filters, counts and note history."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import today
from w2.meetings.agreements.models import CANCELLED, Agreement
from w2.meetings.agreements.schemas import NoteOut
from w2.meetings.agreements.service import agreements_out, partner_page
from w2.platform.actor import Actor
from w2.platform.models import Agency, Jobseeker, Membership, User, Workspace

OPEN_STATUSES = ("open", "in_progress")
VIEWS = ("overdue", "week")
ROW_CAP = 500


@dataclass
class Row:
    """One agreement on the list, with its job seeker and its notes (oldest first)."""

    agreement: Agreement
    person: str
    notes: list[NoteOut]
    overdue: bool
    this_week: bool


@dataclass
class WorkList:
    """The rows after the filters, and the counts each filter would give."""

    rows: list[Row]
    total: int
    counts: dict[str, int]
    domains: Counter[str] = field(default_factory=Counter)
    people: dict[str, tuple[str, int]] = field(default_factory=dict)
    authors: dict[uuid.UUID, str] = field(default_factory=dict)
    owners: dict[uuid.UUID, list[tuple[uuid.UUID, str]]] = field(default_factory=dict)  # member agencies per workspace


def may_edit(actor: Actor) -> bool:
    """Only workers and coordinators change agreements; other staff roles only read the list."""
    return actor.is_staff and (actor.has_role("worker") or actor.has_role("coordinator"))


def week_end(day: date) -> date:
    """The Sunday of the week that holds `day`."""
    return day + timedelta(days=6 - day.weekday())


async def build(session: AsyncSession, actor: Actor, *, status: str = "", view: str = "", domain: str = "",
                person: str = "") -> WorkList:
    """Consent filtering happens in SQL (partner_page); the view filters and counts run over that result."""
    page = await partner_page(session, actor, owner="my_agency", status=status or None, limit=ROW_CAP)
    day, sunday = today(), week_end(today())
    notes = {o.id: o.notes for o in await agreements_out(session, page.items, page.notes)}
    names = {ws_id: f"{js.given_name} {js.family_name}" for ws_id, js in (await session.execute(
        select(Workspace.id, Jobseeker).join(Jobseeker, Jobseeker.id == Workspace.jobseeker_id)
        .where(Workspace.id.in_({a.workspace_id for a in page.items})))).all()} if page.items else {}
    every: list[Row] = []
    for a in page.items:
        if a.status == CANCELLED:  # struck: no longer a task (the workspace page and the verslag keep it)
            continue
        active = a.status in OPEN_STATUSES and a.due_date is not None
        every.append(Row(a, names.get(a.workspace_id, "?"), notes.get(a.id, []),
                         overdue=active and a.due_date < day,  # type: ignore[operator]
                         this_week=active and day <= a.due_date <= sunday))  # type: ignore[operator]
    every.sort(key=lambda r: (not r.overdue, r.agreement.due_date is None, r.agreement.due_date or day))
    out = WorkList(rows=[], total=len(every), counts={
        "all": len(every), "overdue": sum(r.overdue for r in every), "week": sum(r.this_week for r in every)})
    for r in every:
        out.domains[r.agreement.life_domain] += 1
        key = str(r.agreement.workspace_id)
        out.people[key] = (r.person, out.people.get(key, (r.person, 0))[1] + 1)
    out.rows = [r for r in every
                if (view != "overdue" or r.overdue) and (view != "week" or r.this_week)
                and (not domain or r.agreement.life_domain == domain)
                and (not person or str(r.agreement.workspace_id) == person)]
    shown = {r.agreement.workspace_id for r in out.rows}
    if shown:
        for ws_id, agency_id, name in (await session.execute(
                select(Membership.workspace_id, Agency.id, Agency.name).join(Agency, Agency.id == Membership.agency_id)
                .where(Membership.workspace_id.in_(shown)).order_by(Agency.name))).all():
            out.owners.setdefault(ws_id, []).append((agency_id, name))
    author_ids = {n.author_user_id for r in out.rows for n in r.notes if n.author_user_id}
    if author_ids:
        out.authors = {u.id: u.name for u in await session.scalars(
            select(User).where(User.id.in_(author_ids)))}
    return out


def person_filter_ok(value: str) -> bool:
    """A job seeker filter is a workspace id."""
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


"""The job seeker chooses their spilfiguur and keeps the list of people they trust."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import log_access
from w2.platform.actor import Actor
from w2.platform.db.base import utcnow
from w2.platform.errors import Forbidden, NotFound
from w2.platform.i18n import t
from w2.platform.models import Agency, Confidant, Membership, PivotAssignment, User

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()./-]{6,30}$")
CONFIDANT_FIELDS = {"name": (True, 200), "relation": (True, 200), "email": (False, 320), "phone": (False, 30)}


@dataclass
class Candidate:
    """A professional the job seeker may choose as spilfiguur."""

    user_id: uuid.UUID
    name: str
    initials: str
    agency: str
    function: str | None
    question_type: str


def _initials(name: str) -> str:
    return "".join(part[0] for part in name.split()[:2]).upper() or "?"


def _own(actor: Actor) -> uuid.UUID:
    if not actor.is_jobseeker or actor.workspace_id is None:
        raise Forbidden(t("error.forbidden"))
    return actor.workspace_id


async def candidates(session: AsyncSession, workspace_id: uuid.UUID) -> list[Candidate]:
    """The contact people of the agencies involved (and the current spilfiguur), once each."""
    rows = (await session.execute(
        select(User, Agency, Membership.question_type)
        .join(Membership, Membership.contact_user_id == User.id)
        .join(Agency, Agency.id == User.agency_id)
        .where(Membership.workspace_id == workspace_id, Membership.agency_id == User.agency_id,
               User.active.is_(True))
        .order_by(Membership.created_at)
    )).all()
    out = {u.id: Candidate(u.id, u.name, _initials(u.name), a.name, u.function, q) for u, a, q in rows}
    current = await current_pivot(session, workspace_id)
    if current is not None and current.user_id not in out:
        u = await session.get(User, current.user_id)
        a = await session.get(Agency, u.agency_id) if u else None
        if u is not None and a is not None:
            out[u.id] = Candidate(u.id, u.name, _initials(u.name), a.name, u.function, "")
    return list(out.values())


async def current_pivot(session: AsyncSession, workspace_id: uuid.UUID) -> PivotAssignment | None:
    """The open pivot period, if any."""
    return await session.scalar(select(PivotAssignment).where(
        PivotAssignment.workspace_id == workspace_id, PivotAssignment.until.is_(None)))


async def choose_pivot(session: AsyncSession, actor: Actor, user_id: uuid.UUID) -> PivotAssignment:
    """The job seeker chooses (or confirms) their spilfiguur; the history keeps the one before."""
    ws_id = _own(actor)
    if user_id not in {c.user_id for c in await candidates(session, ws_id)}:
        raise NotFound(t("portal.people.error.pivot_unknown", actor.language))
    now = utcnow()
    current = await current_pivot(session, ws_id)
    if current is not None:
        if current.user_id == user_id and current.chosen_by_jobseeker:
            return current
        current.until = now
    pivot = PivotAssignment(workspace_id=ws_id, user_id=user_id, chosen_by_jobseeker=True, since=now)
    session.add(pivot)
    await log_access(session, actor, action="update", resource_type="pivot", workspace_id=ws_id,
                     resource_id=user_id)
    await session.flush()
    return pivot


def clean_confidant(values: dict[str, Any], lang: str) -> tuple[dict[str, str | None], dict[str, str]]:
    """Trim the form; say which field is empty, too long or not an address."""
    out: dict[str, str | None] = {}
    errors: dict[str, str] = {}
    for name, (required, limit) in CONFIDANT_FIELDS.items():
        raw = values.get(name)
        text = (raw if isinstance(raw, str) else "").strip()
        if required and not text:
            errors[name] = t("portal.form.required", lang)
        elif len(text) > limit:
            errors[name] = t("portal.form.too_long", lang, max=limit, now=len(text))
        elif text and name == "email" and not EMAIL.match(text):
            errors[name] = t("portal.people.error.email", lang)
        elif text and name == "phone" and not PHONE.match(text):
            errors[name] = t("portal.people.error.phone", lang)
        out[name] = text or None
    return out, errors


async def own_confidants(session: AsyncSession, workspace_id: uuid.UUID) -> list[Confidant]:
    """The people the job seeker trusts now (removed ones stay in the history, not in the list)."""
    return list(await session.scalars(select(Confidant).where(
        Confidant.workspace_id == workspace_id, Confidant.removed_at.is_(None)).order_by(Confidant.created_at)))


async def _confidant(session: AsyncSession, actor: Actor, confidant_id: uuid.UUID) -> Confidant:
    ws_id = _own(actor)
    c = await session.get(Confidant, confidant_id)
    if c is None or c.workspace_id != ws_id or c.removed_at is not None:
        raise NotFound(t("portal.people.error.confidant_unknown", actor.language))
    return c


async def add_confidant(session: AsyncSession, actor: Actor, data: dict[str, str | None]) -> Confidant:
    """Someone from their own network whom they may bring along."""
    ws_id = _own(actor)
    c = Confidant(workspace_id=ws_id, name=data["name"], relation=data["relation"], email=data.get("email"),
                  phone=data.get("phone"))
    session.add(c)
    await session.flush()
    await log_access(session, actor, action="create", resource_type="confidant", workspace_id=ws_id,
                     resource_id=c.id)
    return c


async def change_confidant(session: AsyncSession, actor: Actor, confidant_id: uuid.UUID,
                           data: dict[str, str | None]) -> Confidant:
    """New name, relation or contact details."""
    c = await _confidant(session, actor, confidant_id)
    c.name, c.relation, c.email, c.phone = data["name"], data["relation"], data.get("email"), data.get("phone")  # type: ignore[assignment]  # values checked by the form above
    await log_access(session, actor, action="update", resource_type="confidant", workspace_id=c.workspace_id,
                     resource_id=c.id)
    await session.flush()
    return c


async def remove_confidant(session: AsyncSession, actor: Actor, confidant_id: uuid.UUID) -> Confidant:
    """Off the list; kept for the history (earlier reports name them)."""
    c = await _confidant(session, actor, confidant_id)
    c.removed_at = utcnow()
    await log_access(session, actor, action="delete", resource_type="confidant", workspace_id=c.workspace_id,
                     resource_id=c.id)
    await session.flush()
    return c


async def restore_confidant(session: AsyncSession, actor: Actor, confidant_id: uuid.UUID) -> Confidant:
    """Undo a removal."""
    ws_id = _own(actor)
    c = await session.get(Confidant, confidant_id)
    if c is None or c.workspace_id != ws_id or c.removed_at is None:
        raise NotFound(t("portal.people.error.confidant_unknown", actor.language))
    c.removed_at = None
    await log_access(session, actor, action="update", resource_type="confidant", workspace_id=ws_id,
                     resource_id=c.id)
    await session.flush()
    return c

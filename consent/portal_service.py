"""What the job seeker's own pages read and change: who is involved, consent switches, the access log."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.domains import LIFE_DOMAINS
from w2.consent.models import AccessLogEntry, Consent, ConsentGrant, ConsentRevocation
from w2.consent.policy import grant_active
from w2.consent.schemas import ConsentIn
from w2.consent.service import grant_consent, revoke_consent
from w2.platform.actor import Actor
from w2.platform.errors import Invalid, NotFound
from w2.platform.i18n import t
from w2.platform.models import Agency, Confidant, Membership, PivotAssignment, User
from w2.platform.portal_kit import own_workspace  # noqa: F401 - portal pages of every domain use it from here too

SHARING: Final = "information_sharing"
# The version of the consent sentences the person saw on the portal (stored on every consent row).
PORTAL_TEXT_VERSION = "portal-2026-1"


@dataclass
class Involved:
    """One member agency as the job seeker sees it."""

    agency_id: uuid.UUID
    agency_name: str
    agency_kind: str
    question_type: str
    question: str | None
    contact_name: str | None
    contact_function: str | None
    is_pivot: bool = False
    shared: set[str] = field(default_factory=set)


async def involved(session: AsyncSession, workspace_id: uuid.UUID) -> list[Involved]:
    """Member agencies with their contact person, question, pivot flag and what they may know."""
    rows = (await session.execute(
        select(Membership, Agency, User)
        .join(Agency, Agency.id == Membership.agency_id)
        .outerjoin(User, User.id == Membership.contact_user_id)
        .where(Membership.workspace_id == workspace_id)
        .order_by(Membership.created_at, Agency.name)
    )).all()
    pivot = await session.scalar(select(PivotAssignment).where(
        PivotAssignment.workspace_id == workspace_id, PivotAssignment.until.is_(None)))
    pivot_user = await session.get(User, pivot.user_id) if pivot else None
    shared = await sharing_state(session, workspace_id)
    out = []
    for m, a, u in rows:
        out.append(Involved(
            agency_id=a.id, agency_name=a.name, agency_kind=a.kind, question_type=m.question_type,
            question=m.question, contact_name=u.name if u else None, contact_function=u.function if u else None,
            is_pivot=bool(pivot_user and pivot_user.agency_id == a.id), shared=shared.get(a.id, set()),
        ))
    return out


async def pivot_and_confidants(session: AsyncSession, workspace_id: uuid.UUID) -> tuple[User | None, list[Confidant]]:
    """The current pivot (spilfiguur) and the job seeker's confidants."""
    pivot = await session.scalar(select(PivotAssignment).where(
        PivotAssignment.workspace_id == workspace_id, PivotAssignment.until.is_(None)))
    user = await session.get(User, pivot.user_id) if pivot else None
    confidants = list(await session.scalars(
        select(Confidant).where(Confidant.workspace_id == workspace_id, Confidant.removed_at.is_(None)).order_by(Confidant.created_at)))
    return user, confidants


async def sharing_state(session: AsyncSession, workspace_id: uuid.UUID) -> dict[uuid.UUID, set[str]]:
    """Per agency, the life domains it may know about now (active information-sharing grants)."""
    rows = await session.execute(
        select(ConsentGrant.agency_id, ConsentGrant.life_domain)
        .where(ConsentGrant.workspace_id == workspace_id, ConsentGrant.purpose == SHARING, grant_active())
    )
    state: dict[uuid.UUID, set[str]] = {}
    for agency_id, domain in rows:
        state.setdefault(agency_id, set()).add(domain)
    return state


async def set_sharing(
    session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, agency_id: uuid.UUID, domain: str, on: bool
) -> bool:
    """The job seeker switches one (agency, domain) on or off; effective at once. True when it changed."""
    if domain not in LIFE_DOMAINS:
        raise Invalid("life_domain", t("error.validation"))
    member = await session.scalar(select(Membership.id).where(
        Membership.workspace_id == workspace_id, Membership.agency_id == agency_id))
    if member is None:
        raise NotFound(t("error.agency_not_found"))
    active = list(await session.scalars(
        select(Consent).join(ConsentGrant, ConsentGrant.consent_id == Consent.id)
        .where(ConsentGrant.workspace_id == workspace_id, ConsentGrant.agency_id == agency_id,
               ConsentGrant.purpose == SHARING, ConsentGrant.life_domain == domain, grant_active())
    ))
    if on == bool(active):
        return False
    if on:
        await grant_consent(session, actor, workspace_id, ConsentIn(
            agency_id=agency_id, purpose=SHARING, life_domains=[domain], method="portal",
            text_version=PORTAL_TEXT_VERSION))
    else:
        for consent in active:
            await revoke_consent(session, actor, workspace_id, consent.id, reason=t("portal.revoke_reason"))
            # Consent rows are never edited: keeping the other domains means a new consent for them.
            rest = [d for d in consent.life_domains if d != domain]
            if rest:
                await grant_consent(session, actor, workspace_id, ConsentIn(
                    agency_id=agency_id, purpose=SHARING, life_domains=rest, method="portal",
                    valid_until=consent.valid_until, text_version=PORTAL_TEXT_VERSION))
    await session.flush()
    return True


async def who_looked(session: AsyncSession, workspace_id: uuid.UUID, limit: int = 200) -> list[dict[str, Any]]:
    """Access-log entries by others about this workspace, newest first, with agency names."""
    rows = (await session.execute(
        select(AccessLogEntry, Agency.name)
        .outerjoin(Agency, Agency.id == AccessLogEntry.agency_id)
        .where(AccessLogEntry.workspace_id == workspace_id, AccessLogEntry.actor_kind != "jobseeker")
        .order_by(AccessLogEntry.at.desc()).limit(limit)
    )).all()
    return [{"at": e.at, "who": e.actor_name or "-", "agency": name or "", "action": e.action,
             "with_you": e.actor_kind == "assisted",
             "resource_type": e.resource_type, "life_domain": e.life_domain, "outcome": e.outcome}
            for e, name in rows]


async def other_consents(session: AsyncSession, workspace_id: uuid.UUID) -> list[dict[str, Any]]:
    """Active consents for the round table and the report, each withdrawable in one step."""
    rows = (await session.execute(
        select(Consent, Agency.name, ConsentGrant.life_domain)
        .join(ConsentGrant, ConsentGrant.consent_id == Consent.id)
        .join(Agency, Agency.id == Consent.agency_id)
        .where(Consent.workspace_id == workspace_id, Consent.purpose != SHARING, grant_active())
        .order_by(Agency.name, Consent.purpose, Consent.granted_at)
    )).all()
    out: dict[uuid.UUID, dict[str, Any]] = {}
    for consent, name, domain in rows:
        item = out.setdefault(consent.id, {"id": consent.id, "agency": name, "purpose": consent.purpose,
                                           "method": consent.method, "domains": []})
        item["domains"].append(domain)
    return list(out.values())


async def withdraw(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, consent_id: uuid.UUID) -> Consent:
    """The job seeker withdraws a whole consent; it stops counting at once."""
    consent = await session.get(Consent, consent_id)
    if consent is None or consent.workspace_id != workspace_id:
        raise NotFound(t("error.workspace_not_found"))
    if await session.get(ConsentRevocation, consent_id) is None:
        await revoke_consent(session, actor, workspace_id, consent_id, reason=t("portal.revoke_reason"))
    return consent


async def restore(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, consent_id: uuid.UUID) -> Consent:
    """Undo a withdrawal on the portal: a new consent with the same agency, purpose and domains."""
    old = await session.get(Consent, consent_id)
    if old is None or old.workspace_id != workspace_id or await session.get(ConsentRevocation, consent_id) is None:
        raise NotFound(t("error.workspace_not_found"))
    member = await session.scalar(select(Membership.id).where(
        Membership.workspace_id == workspace_id, Membership.agency_id == old.agency_id))
    if member is None:
        raise NotFound(t("error.agency_not_found"))
    return await grant_consent(session, actor, workspace_id, ConsentIn(
        agency_id=old.agency_id, purpose=old.purpose,  # type: ignore[arg-type]  # a stored purpose is one of the literals
        life_domains=list(old.life_domains), method="portal",
        valid_until=old.valid_until, text_version=PORTAL_TEXT_VERSION))

"""Consent rules: record (append-only), withdraw, list, and the grid of active grants."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.announce import announce_consent
from w2.consent.domains import LIFE_DOMAINS
from w2.consent.models import AccessLogEntry, Consent, ConsentGrant, ConsentNotice, ConsentRevocation
from w2.consent.policy import grant_active, log_access, today
from w2.consent.schemas import ConsentIn, ConsentOut, NoticeOut
from w2.platform.actor import Actor
from w2.platform.db.base import utcnow
from w2.platform.errors import Conflict, Forbidden, Invalid, NotFound
from w2.platform.i18n import t
from w2.platform.models import Membership, User, Workspace
from w2.platform.workspaces import get_workspace, require_coordinator


def check_domains(codes: list[str], field: str = "life_domains") -> list[str]:
    """Known life-domain codes, deduplicated in template order; 422 naming the first unknown one."""
    for code in codes:
        if code not in LIFE_DOMAINS:
            raise Invalid(field, t("consent.error.unknown_domain", code=code))
    return [d for d in LIFE_DOMAINS if d in set(codes)]


async def _may_manage(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> Workspace:
    """The workspace, if the actor may record or withdraw its consents.

    The job seeker manages their own; among professionals only a coordinator of the coordinating
    agency records consents (they prepare the round table with the job seeker). Nobody else does.
    """
    if actor.is_jobseeker:
        return await get_workspace(session, actor, workspace_id)
    if actor.is_platform_admin:
        raise Forbidden(t("consent.error.no_case_content"))
    return await require_coordinator(session, actor, workspace_id)


async def grant_consent(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, data: ConsentIn) -> Consent:
    """Record a consent and its per-domain grants; a professional's recording is announced."""
    ws = await _may_manage(session, actor, workspace_id)
    domains = check_domains(list(data.life_domains))
    member = await session.scalar(
        select(Membership.id).where(Membership.workspace_id == ws.id, Membership.agency_id == data.agency_id)
    )
    if member is None:
        raise Invalid("agency_id", t("consent.error.agency_not_member"))
    if data.valid_until is not None and data.valid_until < today():
        raise Invalid("valid_until", t("consent.error.valid_until_past"))
    if actor.is_jobseeker and data.method != "portal":
        raise Invalid("method", t("consent.error.jobseeker_portal_only"))
    # With a professional at the counter it is not the job seeker alone: recorded as `assisted`, by
    # that professional, and announced like any consent staff record (DESIGN rule 11).
    method = actor.portal_method if actor.is_jobseeker else data.method
    if data.method == "verbal" and data.witness_user_id is None:
        raise Invalid("witness_user_id", t("consent.error.witness_required"))
    if data.witness_user_id is not None:
        witness = await session.get(User, data.witness_user_id)
        if witness is None or not witness.active:
            raise Invalid("witness_user_id", t("consent.error.witness_not_user"))
        if witness.id == actor.user_id:
            raise Invalid("witness_user_id", t("consent.error.witness_is_recorder"))
    reference = (data.legal_reference or "").strip() or None
    if data.legal_basis == "case_consultation" and reference is None:
        raise Invalid("legal_reference", t("consent.error.legal_reference_required"))
    consent = Consent(
        workspace_id=ws.id,
        agency_id=data.agency_id,
        purpose=data.purpose,
        life_domains=domains,
        method=method,
        witness_user_id=data.witness_user_id,
        granted_by=data.granted_by,
        legal_basis=data.legal_basis,
        legal_reference=reference,
        recorded_by_user_id=actor.acting_user_id,
        recorded_by_jobseeker=actor.is_jobseeker and not actor.is_assisted,
        text_version=data.text_version,
        valid_until=data.valid_until,
    )
    session.add(consent)
    await session.flush()
    for d in domains:
        session.add(ConsentGrant(consent_id=consent.id, life_domain=d, workspace_id=ws.id,
                                 agency_id=data.agency_id, purpose=data.purpose, valid_until=data.valid_until))
    await log_access(session, actor, action="grant", resource_type="consent", workspace_id=ws.id,
                     resource_id=consent.id)
    if not actor.is_jobseeker or actor.is_assisted:
        await announce_consent(session, consent)
    await session.flush()
    return consent


async def revoke_consent(
    session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, consent_id: uuid.UUID, reason: str | None = None
) -> Consent:
    """Withdraw a consent in one step; 409 when it already ended."""
    ws = await _may_manage(session, actor, workspace_id)
    consent = await session.scalar(select(Consent).where(Consent.id == consent_id, Consent.workspace_id == ws.id))
    if consent is None:
        raise NotFound(t("consent.error.not_found"))
    ended = await session.get(ConsentRevocation, consent.id)
    if ended is not None or (consent.valid_until is not None and consent.valid_until < today()):
        raise Conflict(t("consent.error.already_ended"), kind="consent-ended")
    session.add(ConsentRevocation(consent_id=consent.id, kind="withdrawn",
                                  revoked_by_user_id=actor.acting_user_id,
                                  revoked_by_jobseeker=actor.is_jobseeker, reason=reason))
    await log_access(session, actor, action="revoke", resource_type="consent", workspace_id=ws.id,
                     resource_id=consent.id)
    await session.flush()
    return consent


async def list_consents(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> list[ConsentOut]:
    """All consents of a workspace with their state, newest first (members and the job seeker)."""
    if actor.is_platform_admin:
        raise Forbidden(t("consent.error.no_case_content"))
    ws = await get_workspace(session, actor, workspace_id)
    rows = (
        await session.execute(
            select(Consent, ConsentRevocation, ConsentNotice)
            .outerjoin(ConsentRevocation, ConsentRevocation.consent_id == Consent.id)
            .outerjoin(ConsentNotice, ConsentNotice.consent_id == Consent.id)
            .where(Consent.workspace_id == ws.id)
            .order_by(Consent.granted_at.desc(), Consent.id)
        )
    ).all()
    await log_access(session, actor, action="read", resource_type="consent", workspace_id=ws.id)
    day = today()
    return [consent_out(c, r, day, n) for c, r, n in rows]


async def get_consent_out(session: AsyncSession, consent: Consent) -> ConsentOut:
    """One consent with its current state."""
    notice = await session.scalar(select(ConsentNotice).where(ConsentNotice.consent_id == consent.id))
    return consent_out(consent, await session.get(ConsentRevocation, consent.id), today(), notice)


def consent_status(consent: Consent, revocation: ConsentRevocation | None, day: date) -> str:
    """active, revoked or expired."""
    if revocation is not None:
        return "expired" if revocation.kind == "expired" else "revoked"
    if consent.valid_until is not None and consent.valid_until < day:
        return "expired"
    return "active"


def consent_out(consent: Consent, revocation: ConsentRevocation | None, day: date,
                notice: ConsentNotice | None = None) -> ConsentOut:
    """The API shape of a consent."""
    revoked_at: datetime | None = revocation.revoked_at if revocation else None
    return ConsentOut(
        id=consent.id, workspace_id=consent.workspace_id, agency_id=consent.agency_id, purpose=consent.purpose,
        life_domains=list(consent.life_domains), method=consent.method, witness_user_id=consent.witness_user_id,
        granted_by=consent.granted_by, legal_basis=consent.legal_basis, legal_reference=consent.legal_reference,
        recorded_by_user_id=consent.recorded_by_user_id, recorded_by_jobseeker=consent.recorded_by_jobseeker,
        text_version=consent.text_version, granted_at=consent.granted_at, valid_until=consent.valid_until,
        status=consent_status(consent, revocation, day), revoked_at=revoked_at,
        revocation_kind=revocation.kind if revocation else None,
        revocation_reason=revocation.reason if revocation else None,
        notice=NoticeOut(channel=notice.channel, handed_over_at=notice.handed_over_at,
                         handed_over_by_user_id=notice.handed_over_by_user_id) if notice else None,
    )


async def confirm_notice_handed_over(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID,
                                     consent_id: uuid.UUID) -> Consent:
    """The professional who recorded a consent confirms handing the printed notice to the job seeker."""
    ws = await get_workspace(session, actor, workspace_id)
    row = (await session.execute(
        select(Consent, ConsentNotice).join(ConsentNotice, ConsentNotice.consent_id == Consent.id)
        .where(Consent.id == consent_id, Consent.workspace_id == ws.id)
    )).one_or_none()
    if row is None:
        raise NotFound(t("consent.error.not_found"))
    consent, notice = row
    if notice.channel != "letter":
        raise Conflict(t("consent.error.notice_not_printed"), kind="notice-not-printed")
    if consent.recorded_by_user_id != actor.acting_user_id:
        raise Forbidden(t("consent.error.notice_not_yours"))
    if notice.handed_over_at is None:
        notice.handed_over_at = utcnow()
        notice.handed_over_by_user_id = actor.acting_user_id
        await log_access(session, actor, action="hand_over", resource_type="consent_notice", workspace_id=ws.id,
                         resource_id=consent.id)
        await session.flush()
    return consent


async def notice_document(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID,
                          consent_id: uuid.UUID) -> bytes:
    """The printable notice (PDF) for a consent recorded in the job seeker's name."""
    from w2.consent.notice import notice_pdf

    ws = await get_workspace(session, actor, workspace_id)
    consent = await session.scalar(select(Consent).where(Consent.id == consent_id, Consent.workspace_id == ws.id))
    if consent is None:
        raise NotFound(t("consent.error.not_found"))
    return await notice_pdf(session, consent)


async def consent_grid(session: AsyncSession, workspace_id: uuid.UUID) -> dict[uuid.UUID, dict[str, set[str]]]:
    """Active grants of a workspace as {agency_id: {purpose: {domains}}} (for pages; no access check)."""
    rows = await session.execute(
        select(ConsentGrant.agency_id, ConsentGrant.purpose, ConsentGrant.life_domain)
        .where(ConsentGrant.workspace_id == workspace_id, grant_active())
    )
    grid: dict[uuid.UUID, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for agency_id, purpose, domain in rows:
        grid[agency_id][purpose].add(domain)
    return {a: dict(p) for a, p in grid.items()}


async def expire_due(session: AsyncSession, on: date | None = None) -> list[uuid.UUID]:
    """Add an `expired` revocation to every consent whose end date has passed (beat job)."""
    day = on or today()
    ids = list(
        await session.scalars(
            select(Consent.id).where(
                Consent.valid_until.is_not(None),
                Consent.valid_until < day,
                ~select(ConsentRevocation.consent_id).where(ConsentRevocation.consent_id == Consent.id).exists(),
            )
        )
    )
    for cid in ids:
        session.add(ConsentRevocation(consent_id=cid, kind="expired", reason="end date passed"))
    await session.flush()
    return ids


async def access_log(
    session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, limit: int = 100, offset: int = 0
) -> tuple[list[AccessLogEntry], int]:
    """Access-log lines of a workspace: all for the job seeker, the own agency's for staff."""
    if actor.is_platform_admin:
        raise Forbidden(t("consent.error.no_case_content"))
    ws = await get_workspace(session, actor, workspace_id)
    cond = [AccessLogEntry.workspace_id == ws.id]
    if not actor.is_jobseeker:
        own = AccessLogEntry.agency_id == actor.agency_id
        # The coordinating agency also sees every refusal in the workspace (consent rule 7).
        coordinating = actor.agency_id == ws.coordinating_agency_id
        cond.append(or_(own, AccessLogEntry.outcome == "denied") if coordinating else own)
    total = await session.scalar(select(func.count()).select_from(AccessLogEntry).where(*cond)) or 0
    rows = await session.scalars(
        select(AccessLogEntry).where(*cond).order_by(AccessLogEntry.at.desc(), AccessLogEntry.id)
        .limit(limit).offset(offset)
    )
    return list(rows), total

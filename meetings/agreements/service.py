"""Agreement rules: create, list (consented domains only), the partner list across workspaces, update."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from functools import cache
from typing import Any

import msgspec
from sqlalchemy import bindparam, exists, func, not_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.domains import LIFE_DOMAINS
from w2.consent.policy import (
    AGENCY_PARAM,
    ConsentMissing,
    actor_params,
    can_read_domain,
    can_read_domain_bound,
    log_access,
    log_denial,
    log_reads,
    reader,
    require_grant,
)
from w2.consent.service import check_domains
from w2.meetings.agreements.models import AGREEMENT_STATUSES, CANCELLED, Agreement, AgreementNote
from w2.meetings.agreements.paging import (
    TOTAL_CAP,
    Page,
    after,
    capped_count,
    count_column,
    encode_cursor,
    notes_column,
    notes_from_json,
)
from w2.meetings.agreements.schemas import (
    AgreementIn,
    AgreementOut,
    AgreementPatch,
    CancelIn,
    NoteOut,
    OwnerIn,
    OwnerOut,
)
from w2.meetings.models import Meeting
from w2.platform.actor import Actor
from w2.platform.db.base import utcnow
from w2.platform.db.ops import dialect_name
from w2.platform.errors import Conflict, Forbidden, Invalid, NotFound
from w2.platform.i18n import t
from w2.platform.models import Confidant, Membership, User
from w2.platform.workspaces import get_workspace

PURPOSE = "information_sharing"


def _no_admin(actor: Actor) -> None:
    if actor.is_platform_admin:
        raise Forbidden(t("consent.error.no_case_content"))


async def _resolve_owner(
    session: AsyncSession, workspace_id: uuid.UUID, domain: str, owner: OwnerIn, field: str = "owner"
) -> dict[str, Any]:
    """Owner columns for an agreement; an agency (or a user's agency) needs consent for the domain."""
    cols: dict[str, Any] = {"owner_kind": owner.kind, "owner_agency_id": None, "owner_user_id": None,
                            "owner_confidant_id": None}
    if owner.kind == "agency":
        if owner.agency_id is None:
            raise Invalid(f"{field}.agency_id", t("agreement.error.owner_missing"))
        agency_id = owner.agency_id
        if not await _is_member(session, workspace_id, agency_id):
            raise Invalid(f"{field}.agency_id", t("agreement.error.owner_agency_not_member"))
        cols["owner_agency_id"] = agency_id
    elif owner.kind == "user":
        user = await session.get(User, owner.user_id) if owner.user_id else None
        if user is None or not user.active or not await _is_member(session, workspace_id, user.agency_id):
            raise Invalid(f"{field}.user_id", t("agreement.error.owner_user_unknown"))
        cols.update(owner_user_id=user.id, owner_agency_id=user.agency_id)
    elif owner.kind == "confidant":
        conf = await session.get(Confidant, owner.confidant_id) if owner.confidant_id else None
        if conf is None or conf.workspace_id != workspace_id:
            raise Invalid(f"{field}.confidant_id", t("agreement.error.owner_confidant_unknown"))
        cols["owner_confidant_id"] = conf.id
    if cols["owner_agency_id"] is not None:
        await require_grant(session, workspace_id, cols["owner_agency_id"], PURPOSE, domain)
    return cols


async def _is_member(session: AsyncSession, workspace_id: uuid.UUID, agency_id: uuid.UUID) -> bool:
    return bool(await session.scalar(
        select(Membership.id).where(Membership.workspace_id == workspace_id, Membership.agency_id == agency_id)))


async def _require_domain_access(
    session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, domain: str, action: str, resource_id: Any = None
) -> None:
    """The actor's own agency must hold information_sharing for the domain to add or change content."""
    if actor.is_jobseeker:
        return
    assert actor.agency_id is not None
    try:
        await require_grant(session, workspace_id, actor.agency_id, PURPOSE, domain)
    except ConsentMissing:
        await log_denial(session, actor, action=action, resource_type="agreement", workspace_id=workspace_id,
                         resource_id=resource_id, life_domain=domain)
        raise


async def _require_meeting_of(session: AsyncSession, workspace_id: uuid.UUID, meeting_id: uuid.UUID) -> None:
    """An agreement may only point at a round table of its own workspace that is neither cancelled nor closed."""
    status = await session.scalar(select(Meeting.status).where(
        Meeting.id == meeting_id, Meeting.workspace_id == workspace_id, Meeting.status != "cancelled"))
    if status is None:
        raise Invalid("meeting_id", t("agreement.error.meeting_unknown"))
    if status == "finalized":  # it would reach task lists but never the frozen report
        raise Conflict(t("meetings.error.agreement_after_finalize"), kind="meeting-finalized",
                       extra={"status": status})


async def create_agreement(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, data: AgreementIn) -> Agreement:
    """Make an agreement; refused with 409 when the caller's or the owner's agency lacks consent for the domain."""
    _no_admin(actor)
    ws = await get_workspace(session, actor, workspace_id)
    domain = check_domains([data.life_domain], "life_domain")[0]
    if data.meeting_id is not None:
        await _require_meeting_of(session, ws.id, data.meeting_id)
    await _require_domain_access(session, actor, ws.id, domain, "create")
    try:
        owner = await _resolve_owner(session, ws.id, domain, data.owner)
    except ConsentMissing:
        await log_denial(session, actor, action="assign", resource_type="agreement", workspace_id=ws.id,
                         life_domain=domain)
        raise
    agreement = Agreement(workspace_id=ws.id, life_domain=domain, description=data.description.strip(),
                          due_date=data.due_date, meeting_id=data.meeting_id, status="open", informs=data.informs,
                          created_by_user_id=actor.user_id if actor.is_staff else None, **owner)
    session.add(agreement)
    await session.flush()
    await log_access(session, actor, action="create", resource_type="agreement", workspace_id=ws.id,
                     resource_id=agreement.id, life_domain=domain)
    await session.flush()
    return agreement


def _order(stmt: Any) -> Any:
    return stmt.order_by(Agreement.due_date.is_(None), Agreement.due_date, Agreement.created_at, Agreement.id)


async def _log_reads(session: AsyncSession, actor: Actor, items: list[Agreement]) -> None:
    # One line per (workspace, domain) shown keeps the log readable for the job seeker.
    await log_reads(session, actor, "agreement", {(a.workspace_id, a.life_domain) for a in items})


async def list_workspace_agreements(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> list[Agreement]:
    """Agreements of a workspace in the domains the caller may read, by due date."""
    rows, _ = await workspace_agreements(session, actor, workspace_id)
    return rows


async def workspace_agreements(
    session: AsyncSession, actor: Actor, workspace_id: uuid.UUID
) -> tuple[list[Agreement], dict[uuid.UUID, list[NoteOut]] | None]:
    """The list and (on PostgreSQL) its notes in one statement; 404 when the workspace is not visible."""
    _no_admin(actor)
    dialect = dialect_name(session)
    result = (await session.execute(_workspace_list(reader(actor), dialect),
                                    {"workspace_id": workspace_id, **actor_params(actor)})).all()
    if not result:
        # A readable agreement implies a visible workspace; only an empty list needs the check.
        await get_workspace(session, actor, workspace_id)
    rows = [r[0] for r in result]
    await _log_reads(session, actor, rows)
    await session.flush()
    return rows, ({r[0].id: notes_from_json(r[1]) for r in result} if dialect == "postgresql" else None)


@cache
def _workspace_list(who: str, dialect: str) -> Any:
    """The workspace list's statement, built once per reader kind: a request only binds its values."""
    notes_col = notes_column(dialect)
    cols: list[Any] = [Agreement] + ([notes_col] if notes_col is not None else [])
    return _order(select(*cols).where(Agreement.workspace_id == bindparam("workspace_id"),
                                      can_read_domain_bound(who, Agreement.workspace_id, Agreement.life_domain)))


async def partner_agreements(
    session: AsyncSession, actor: Actor, *, limit: int = 50, offset: int = 0, **filters: Any
) -> tuple[list[Agreement], int]:
    """The partner list as (items, total); see partner_page."""
    page = await partner_page(session, actor, limit=limit, offset=offset, **filters)
    return page.items, page.total


async def partner_page(
    session: AsyncSession,
    actor: Actor,
    *,
    owner: str | None = None,
    status: str | None = None,
    due_before: date | None = None,
    life_domain: str | None = None,
    limit: int = 50,
    offset: int = 0,
    cursor: str | None = None,
) -> Page:
    """Agreements across all workspaces of the caller's agency that it may read, soonest due first."""
    _no_admin(actor)
    if not actor.is_staff or actor.agency_id is None:
        raise Forbidden(t("error.staff_only"))
    if owner not in (None, "me", "my_agency"):
        raise Invalid("owner", t("agreement.error.owner_filter"))
    params: dict[str, Any] = {**actor_params(actor), "owner_user": actor.user_id, "limit": limit + 1,
                              "offset": offset, "due_before": due_before}
    if status:
        params["statuses"] = [s.strip() for s in status.split(",") if s.strip()]
        for s in params["statuses"]:
            if s not in AGREEMENT_STATUSES:
                raise Invalid("status", t("agreement.error.unknown_status", code=s))
    if life_domain:
        params["life_domain"] = check_domains([life_domain], "life_domain")[0]
    shape = (owner, bool(status), due_before is not None, bool(life_domain))
    dialect = dialect_name(session)
    if cursor:
        # After a cursor the WHERE starts at it, so a capped count of its own is needed.
        cond = list(_partner_conditions(*shape))
        notes_col = notes_column(dialect)
        cols: list[Any] = [Agreement, count_column(cond)] + ([notes_col] if notes_col is not None else [])
        stmt = _order(select(*cols).where(*cond, after(cursor))).limit(bindparam("limit"))
    else:
        stmt = _partner_first_page(dialect, shape, bool(offset))
    result = (await session.execute(stmt, params)).all()
    has_more = len(result) > limit
    result = result[:limit]
    rows = [r[0] for r in result]
    if result:
        total, capped = min(result[0][1], TOTAL_CAP), result[0][1] > TOTAL_CAP
    elif cursor or offset:
        total, capped = await capped_count(session, list(_partner_conditions(*shape)), params)
    else:
        total, capped = 0, False
    notes = {r[0].id: notes_from_json(r[2]) for r in result} if dialect == "postgresql" else None
    await _log_reads(session, actor, rows)
    await session.flush()
    return Page(rows, total, capped, has_more, encode_cursor(rows[-1]) if has_more else None, notes)


@cache
def _partner_conditions(owner: str | None, status: bool, due_before: bool, life_domain: bool) -> tuple[Any, ...]:
    """The partner list's conditions for one combination of filters, as parameters (see partner_page)."""
    cond: list[Any] = [can_read_domain_bound("staff", Agreement.workspace_id, Agreement.life_domain)]
    if owner == "me":
        cond.append(Agreement.owner_user_id == bindparam("owner_user"))
    elif owner == "my_agency":
        cond.append(Agreement.owner_agency_id == bindparam(AGENCY_PARAM))
    if status:
        cond.append(Agreement.status.in_(bindparam("statuses", expanding=True)))
    if due_before:
        cond.append(Agreement.due_date < bindparam("due_before"))
    if life_domain:
        cond.append(Agreement.life_domain == bindparam("life_domain"))
    return tuple(cond)


@cache
def _partner_first_page(dialect: str, shape: tuple[Any, ...], offset: bool) -> Any:
    """A page without a cursor, built once per combination of filters. The count is a window over the rows
    the page reads anyway (the top-N sort scans them all), so the consent check runs once; on PostgreSQL
    each row's notes come in the same statement."""
    notes_col = notes_column(dialect)
    cols: list[Any] = [Agreement, func.count().over()] + ([notes_col] if notes_col is not None else [])
    stmt = _order(select(*cols).where(*_partner_conditions(*shape)))
    if offset:
        stmt = stmt.offset(bindparam("offset"))
    return stmt.limit(bindparam("limit"))


async def _find(session: AsyncSession, actor: Actor, agreement_id: uuid.UUID, action: str) -> Agreement:
    _no_admin(actor)
    row = await session.scalar(select(Agreement).where(
        Agreement.id == agreement_id, can_read_domain(actor, Agreement.workspace_id, Agreement.life_domain)))
    if row is None:
        await log_denial(session, actor, action=action, resource_type="agreement", workspace_id=None,
                         resource_id=agreement_id,
                         workspace_of=select(Agreement.workspace_id).where(Agreement.id == agreement_id))
        raise NotFound(t("agreement.error.not_found"))
    return row


async def get_agreement(session: AsyncSession, actor: Actor, agreement_id: uuid.UUID) -> Agreement:
    """One agreement; 404 when the caller may not read its domain."""
    row = await _find(session, actor, agreement_id, "read")
    await log_access(session, actor, action="read", resource_type="agreement", workspace_id=row.workspace_id,
                     resource_id=row.id, life_domain=row.life_domain)
    await session.flush()
    return row


async def update_agreement(session: AsyncSession, actor: Actor, agreement_id: uuid.UUID, data: AgreementPatch) -> Agreement:
    """Change status, text, due date or owner (re-checking consent), or add a progress note."""
    row = await _find(session, actor, agreement_id, "update")
    if row.status == CANCELLED:
        raise Conflict(t("agreement.error.cancelled"), kind="agreement-cancelled")
    changes: dict[str, Any] = {}
    if data.owner is not msgspec.UNSET:
        try:
            changes.update(await _resolve_owner(session, row.workspace_id, row.life_domain, data.owner))
        except ConsentMissing:
            await log_denial(session, actor, action="assign", resource_type="agreement",
                             workspace_id=row.workspace_id, resource_id=row.id, life_domain=row.life_domain)
            raise
    if data.due_date is not msgspec.UNSET:
        changes["due_date"] = data.due_date
    if data.description is not msgspec.UNSET:
        if not data.description.strip():
            raise Invalid("description", t("agreement.error.description_blank"))
        changes["description"] = data.description.strip()
    new_status = None
    if data.status is not msgspec.UNSET and data.status not in AGREEMENT_STATUSES:
        raise Invalid("status", t("agreement.error.unknown_status", code=data.status))
    if data.status is not msgspec.UNSET and data.status != row.status:
        new_status = changes["status"] = data.status
    for key, value in changes.items():
        setattr(row, key, value)
    if new_status is not None or data.note is not msgspec.UNSET:
        session.add(AgreementNote(agreement_id=row.id, author_user_id=actor.user_id if actor.is_staff else None,
                                  author_is_jobseeker=actor.is_jobseeker, status=new_status,
                                  note=data.note.strip() if data.note is not msgspec.UNSET else ""))
    await log_access(session, actor, action="update", resource_type="agreement", workspace_id=row.workspace_id,
                     resource_id=row.id, life_domain=row.life_domain)
    await session.flush()
    return row


async def cancel_agreement(session: AsyncSession, actor: Actor, agreement_id: uuid.UUID, data: CancelIn) -> Agreement:
    """Strike an agreement with a reason: kept (never deleted), logged, and in the next report version."""
    row = await _find(session, actor, agreement_id, "cancel")
    if not actor.is_staff:
        raise Forbidden(t("error.staff_only"))
    reason = data.reason.strip()
    if not reason:
        raise Invalid("reason", t("agreement.error.reason_blank"))
    if row.status == CANCELLED:
        raise Conflict(t("agreement.error.cancelled"), kind="agreement-cancelled")
    if row.status == "done":
        raise Conflict(t("agreement.error.cancel_done"), kind="agreement-done")
    row.status, row.cancel_reason = CANCELLED, reason
    row.cancelled_at, row.cancelled_by_user_id = utcnow(), actor.user_id
    session.add(AgreementNote(agreement_id=row.id, author_user_id=actor.user_id, status=CANCELLED, note=reason))
    await log_access(session, actor, action="cancel", resource_type="agreement", workspace_id=row.workspace_id,
                     resource_id=row.id, life_domain=row.life_domain)
    await session.flush()
    return row


async def agreements_out(session: AsyncSession, rows: list[Agreement],
                         loaded: dict[uuid.UUID, list[NoteOut]] | None = None) -> list[AgreementOut]:
    """API shapes with their notes (one query for all notes, unless the list query `loaded` them)."""
    notes: dict[uuid.UUID, list[NoteOut]] = defaultdict(list, loaded or {})
    if rows and loaded is None:
        for n in await session.scalars(select(AgreementNote).where(
                AgreementNote.agreement_id.in_([r.id for r in rows])).order_by(AgreementNote.created_at)):
            notes[n.agreement_id].append(NoteOut(id=n.id, note=n.note, status=n.status,
                                                 author_user_id=n.author_user_id,
                                                 author_is_jobseeker=n.author_is_jobseeker, created_at=n.created_at))
    return [
        AgreementOut(
            id=r.id, workspace_id=r.workspace_id, life_domain=r.life_domain, description=r.description,
            owner=OwnerOut(kind=r.owner_kind, agency_id=r.owner_agency_id, user_id=r.owner_user_id,
                           confidant_id=r.owner_confidant_id),
            due_date=r.due_date, status=r.status, meeting_id=r.meeting_id, created_by_user_id=r.created_by_user_id,
            created_at=r.created_at, updated_at=r.updated_at, notes=notes.get(r.id, []), informs=r.informs,
            cancel_reason=r.cancel_reason,
        )
        for r in rows
    ]



async def hidden_own_counts(session: AsyncSession, actor: Actor,
                            workspace_id: uuid.UUID | None = None) -> dict[str, int]:
    """Per life domain, how many of the caller agency's own agreements a consent withdrawal now hides.

    Counts only, never ids or text: on PostgreSQL the app role cannot see those rows under row-level
    security, so a SECURITY DEFINER function (migration pages_0002) counts them for the sealed scope.
    """
    if not actor.is_staff or actor.agency_id is None or actor.is_platform_admin:
        return {}
    if session.bind.dialect.name == "postgresql":
        rows = await session.execute(text("SELECT life_domain, hidden FROM w2_hidden_own_agreements(CAST(:ws AS uuid))"),
                                     {"ws": str(workspace_id) if workspace_id else None})
    else:  # the embedded default has no row-level security: the same rule as a plain query
        cond = [Agreement.owner_agency_id == actor.agency_id, Agreement.status != "cancelled",
                exists(select(1).where(Membership.workspace_id == Agreement.workspace_id,
                                       Membership.agency_id == actor.agency_id)),
                not_(can_read_domain(actor, Agreement.workspace_id, Agreement.life_domain))]
        if workspace_id is not None:
            cond.append(Agreement.workspace_id == workspace_id)
        rows = await session.execute(select(Agreement.life_domain, func.count()).where(*cond)
                                     .group_by(Agreement.life_domain))
    found = {str(domain): int(n) for domain, n in rows if n}
    return {d: found[d] for d in LIFE_DOMAINS if d in found}

"""The one access policy: SQL conditions deciding which case content a caller may read."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Date,
    and_,
    bindparam,
    case,
    exists,
    false,
    insert,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.domains import LIFE_DOMAINS
from w2.consent.models import AccessLogEntry, ConsentAccess, ConsentGrant, ConsentRevocation
from w2.platform.actor import Actor
from w2.platform.db.base import UTCDateTime, utcnow
from w2.platform.db.engine import W2Session
from w2.platform.db.ops import dialect_name
from w2.platform.db.scope import SYSTEM_SCOPE
from w2.platform.errors import ConsentMissing
from w2.platform.models import Agency, User
from w2.platform.settings import get_settings
from w2.platform.visibility import workspace_visible

__all__ = [
    "ConsentMissing",
    "actor_params",
    "agencies_granted",
    "can_read_domain",
    "can_read_domain_bound",
    "grant_active",
    "has_grant",
    "log_access",
    "log_denial",
    "log_reads",
    "reader",
    "today",
    "workspace_visible",
]


def today() -> date:
    """The local calendar date (consent end dates are local dates)."""
    return datetime.now(ZoneInfo(get_settings().timezone)).date()


def grant_active(on: date | None = None) -> ColumnElement[bool]:
    """Condition on ConsentGrant: not past its end date and not revoked or expired."""
    day = on or today()
    return and_(
        or_(ConsentGrant.valid_until.is_(None), ConsentGrant.valid_until >= day),
        ~exists(select(1).where(ConsentRevocation.consent_id == ConsentGrant.consent_id)),
    )


def access_active(on: Any = None) -> ColumnElement[bool]:
    """Condition on ConsentAccess: its end date, if any, is not past (compared in the query)."""
    day = today() if on is None else on
    return or_(ConsentAccess.valid_until.is_(None), ConsentAccess.valid_until >= day)


def has_grant(agency_id: Any, workspace_id_col: Any, domain_col: Any, purpose: str,
              on: Any = None) -> ColumnElement[bool]:
    """SQL condition: member `agency_id` holds an active `purpose` consent for this workspace and domain."""
    return exists(
        select(1).where(
            ConsentAccess.agency_id == agency_id,
            ConsentAccess.workspace_id == workspace_id_col,
            ConsentAccess.purpose == purpose,
            ConsentAccess.life_domain == domain_col,
            access_active(on),
        )
    )


def reader(actor: Actor) -> str:
    """Which branch of the domain rule applies: 'jobseeker' (with a workspace), 'staff' (of an agency) or 'nobody'."""
    if actor.is_jobseeker:
        return "jobseeker" if actor.workspace_id else "nobody"
    if actor.agency_id is None or actor.is_platform_admin:
        return "nobody"
    return "staff"


def can_read_domain(actor: Actor, workspace_id_col: Any, domain_col: Any) -> ColumnElement[bool]:
    """SQL condition for reading case content tagged with a life domain. No role bypasses it."""
    return _domain_rule(reader(actor), workspace_id_col, domain_col, actor.agency_id, actor.workspace_id, None)


def can_read_domain_bound(who: str, workspace_id_col: Any, domain_col: Any) -> ColumnElement[bool]:
    """The same rule for a statement built once per `reader` kind: the actor's ids and today's date are
    parameters (values from `actor_params`; the date is taken at each execution)."""
    return _domain_rule(who, workspace_id_col, domain_col, bindparam(AGENCY_PARAM), bindparam(WORKSPACE_PARAM),
                        bindparam("w2_today", callable_=lambda: today(), type_=Date))


AGENCY_PARAM, WORKSPACE_PARAM = "w2_actor_agency", "w2_actor_workspace"


def actor_params(actor: Actor) -> dict[str, Any]:
    """Values for the parameters of `can_read_domain_bound`."""
    return {AGENCY_PARAM: actor.agency_id, WORKSPACE_PARAM: actor.workspace_id}


def _domain_rule(who: str, workspace_id_col: Any, domain_col: Any, agency: Any, workspace: Any,
                 on: Any) -> ColumnElement[bool]:
    if who == "jobseeker":
        return cast(ColumnElement[bool], workspace_id_col == workspace)
    if who == "staff":
        # consent_access holds member agencies' grants only, so membership is part of the probe.
        return has_grant(agency, workspace_id_col, domain_col, "information_sharing", on)
    return false()


def progress_shared(workspace_id_col: Any, owner_kind_col: Any, owner_agency_col: Any, owner_user_col: Any,
                    domain_col: Any) -> ColumnElement[bool]:
    """SQL condition: how an agreement goes may be shown to the job seeker on their own pages.

    The job seeker's and their confidants' own progress always; a service's (or one of its people's) only
    while that service shares in the agreement's life domain, i.e. holds the job seeker's
    `information_sharing` consent for it. Without it the service takes no part in that domain's exchange,
    so its status and notes stay with the service.
    """
    user_agency = select(User.agency_id).where(User.id == owner_user_col).scalar_subquery()
    agency = case((owner_kind_col == "agency", owner_agency_col), else_=user_agency)
    return or_(owner_kind_col.in_(("jobseeker", "confidant")),
               has_grant(agency, workspace_id_col, domain_col, "information_sharing"))


def can_read_identity(actor: Actor, workspace_id_col: Any) -> ColumnElement[bool]:
    """SQL condition for identity/logistics of a workspace."""
    return workspace_visible(actor, workspace_id_col)


async def granted_domains(
    session: AsyncSession, workspace_id: uuid.UUID, agency_id: uuid.UUID, purpose: str
) -> set[str]:
    """The life domains an agency currently holds for a purpose in a workspace."""
    rows = await session.scalars(
        select(ConsentAccess.life_domain).where(
            ConsentAccess.agency_id == agency_id,
            ConsentAccess.workspace_id == workspace_id,
            ConsentAccess.purpose == purpose,
            access_active(),
        )
    )
    return set(rows)


async def readable_domains(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> set[str]:
    """The life domains the actor may read in a workspace (all of them for the job seeker)."""
    if actor.is_jobseeker:
        return set(LIFE_DOMAINS) if actor.workspace_id == workspace_id else set()
    if actor.agency_id is None or actor.is_platform_admin:
        return set()
    # Membership is part of consent_access: a non-member agency gets nothing here.
    return await granted_domains(session, workspace_id, actor.agency_id, "information_sharing")


async def require_grant(
    session: AsyncSession, workspace_id: uuid.UUID, agency_id: uuid.UUID, purpose: str, life_domain: str
) -> None:
    """Raise ConsentMissing unless the agency holds the purpose for the domain."""
    if life_domain not in await granted_domains(session, workspace_id, agency_id, purpose):

        agency = await session.get(Agency, agency_id)
        raise ConsentMissing(agency_id, purpose, life_domain, agency.name if agency else "")


def agencies_granted(workspace_id_col: Any, purpose: str, domain: str | None = None) -> Any:
    """Select of agency ids holding an active purpose consent (any domain, or one)."""
    cond = [ConsentGrant.workspace_id == workspace_id_col, ConsentGrant.purpose == purpose, grant_active()]
    if domain is not None:
        cond.append(ConsentGrant.life_domain == domain)
    return select(ConsentGrant.agency_id).where(*cond).distinct()


async def log_access(
    session: AsyncSession,
    actor: Actor | None,
    *,
    action: str,
    resource_type: str,
    workspace_id: uuid.UUID | None,
    resource_id: Any = None,
    life_domain: str | None = None,
    outcome: str = "allowed",
) -> None:
    """Append an access-log row in the caller's transaction."""
    session.add(AccessLogEntry(**_who(actor), workspace_id=workspace_id, action=action, resource_type=resource_type,
                               resource_id=str(resource_id) if resource_id is not None else None,
                               life_domain=life_domain, outcome=outcome))


def _who(actor: Actor | None) -> dict[str, Any]:
    """The access log's columns naming who acted."""
    if actor is None:
        return {"actor_kind": "system", "actor_user_id": None, "actor_name": None, "agency_id": None}
    # In an assisted session the professional is named, under the kind `assisted`.
    return {"actor_kind": actor.log_kind, "actor_user_id": actor.acting_user_id,
            "actor_name": actor.assisted_by_name if actor.is_assisted else actor.name,
            "agency_id": actor.agency_id or actor.assisted_by_agency_id}



async def log_reads(session: AsyncSession, actor: Actor, resource_type: str,
                    seen: set[tuple[uuid.UUID, str]]) -> None:
    """Append one `read` row per (workspace, life domain) shown, in one INSERT in the caller's transaction."""
    # A Core INSERT, not the unit of work: on a list request the ORM's flush cost more CPU than the list.
    if not seen:
        return
    pairs = sorted(seen, key=str)
    if dialect_name(session) == "postgresql":
        # One statement whatever the number of rows, built once: no executemany, no cache-key walk.
        await session.execute(_READS_PG, {**_who(actor), "at": utcnow(), "resource_type": resource_type,
                                          "workspaces": [ws for ws, _ in pairs], "domains": [d for _, d in pairs]})
        return
    entry = {**_who(actor), "action": "read", "resource_type": resource_type, "resource_id": None,
             "outcome": "allowed"}
    await session.execute(insert(AccessLogEntry), [{**entry, "workspace_id": ws, "life_domain": d} for ws, d in pairs])


_READS_PG = text(
    "INSERT INTO access_log (id, at, actor_kind, actor_user_id, actor_name, agency_id, workspace_id, action, "
    "resource_type, resource_id, life_domain, outcome) "
    # Each row a microsecond after the one before, as separate inserts would be: the log reads newest first.
    "SELECT gen_random_uuid(), CAST(:at AS timestamptz) + u.n * interval '1 microsecond', CAST(:actor_kind AS varchar), "
    "CAST(:actor_user_id AS uuid), CAST(:actor_name AS varchar), CAST(:agency_id AS uuid), u.ws, 'read', "
    "CAST(:resource_type AS varchar), NULL, u.domain, 'allowed' "
    "FROM unnest(CAST(:workspaces AS uuid[]), CAST(:domains AS varchar[])) WITH ORDINALITY AS u(ws, domain, n)"
).bindparams(bindparam("at", type_=UTCDateTime()))


async def log_denial(
    session: AsyncSession,
    actor: Actor | None,
    *,
    action: str,
    resource_type: str,
    workspace_id: uuid.UUID | None,
    resource_id: Any = None,
    life_domain: str | None = None,
    workspace_of: Any = None,
) -> None:
    """Record a refusal in its own committed transaction: the request's own one is rolled back on 4xx.

    `workspace_of` (a select of one workspace id) finds the workspace of a resource the caller may not
    read, so the denial lands in that workspace's log, where the job seeker and the coordinator see it."""
    bind = session.bind
    # Own transaction, system scope: it only looks up which workspace the refused resource belongs to.
    async with AsyncSession(bind, sync_session_class=W2Session, info={"rls": dict(SYSTEM_SCOPE)}) as own, \
            own.begin():
        if workspace_id is None and workspace_of is not None:
            workspace_id = await own.scalar(workspace_of)
        await log_access(own, actor, action=action, resource_type=resource_type, workspace_id=workspace_id,
                         resource_id=resource_id, life_domain=life_domain, outcome="denied")

def domain_filtered(actor: Actor, workspace_id_col: Any, fields: dict[str, tuple[Any, str]]) -> list[Any]:
    """Select columns for case-content fields {label: (column, life domain)}: NULL unless the actor may read it."""
    return [
        case((can_read_domain(actor, workspace_id_col, literal(domain)), column), else_=None).label(label)
        for label, (column, domain) in fields.items()
    ]

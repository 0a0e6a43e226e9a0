"""Shared rules of the instruments, and the spiral: record the phase, read the phase history."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import ConsentMissing, can_read_domain, log_access, log_denial, require_grant
from w2.instruments.models import PhaseChange
from w2.instruments.phases import BY_CODE, PHASE_DOMAIN, PHASES, direction
from w2.instruments.schemas import PhaseChangeOut, PhaseIn, PhaseOut
from w2.platform.actor import Actor
from w2.platform.errors import Forbidden, Invalid
from w2.platform.i18n import t
from w2.platform.models import User
from w2.platform.workspaces import get_workspace


def no_admin(actor: Actor) -> None:
    """A platform administrator manages accounts and reads no case content."""
    if actor.is_platform_admin or (actor.is_staff and actor.agency_id is None):
        raise Forbidden(t("error.platform_admin_no_cases"))


async def require_write(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, domains: Iterable[str],
                        resource_type: str) -> None:
    """A professional's agency needs information_sharing consent for every domain it writes in."""
    if actor.is_jobseeker:
        return
    assert actor.agency_id is not None
    for domain in sorted(set(domains)):
        try:
            await require_grant(session, workspace_id, actor.agency_id, "information_sharing", domain)
        except ConsentMissing:
            await log_denial(session, actor, action="write", resource_type=resource_type,
                             workspace_id=workspace_id, life_domain=domain)
            raise


async def log_reads(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, domains: Iterable[str],
                    resource_type: str) -> None:
    """One access-log line per life domain shown."""
    for domain in sorted(set(domains)):
        await log_access(session, actor, action="read", resource_type=resource_type, workspace_id=workspace_id,
                         life_domain=domain)
    await session.flush()


async def user_names(session: AsyncSession, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """Names of the given users (one query)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {u.id: u.name for u in await session.scalars(select(User).where(User.id.in_(wanted)))}


def catalogue() -> list[PhaseOut]:
    """The phases of the spiral, bottom first."""
    return [PhaseOut(code=p.code, name=p.name, cycle=p.cycle, order=p.order) for p in PHASES]


async def record_phase(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, data: PhaseIn) -> PhaseChange:
    """Enter a phase; going back is allowed and recorded as `back`, never refused."""
    no_admin(actor)
    ws = await get_workspace(session, actor, workspace_id)
    if data.code not in BY_CODE:
        raise Invalid("code", t("instruments.error.phase_unknown"))
    note = (data.note or "").strip() or None
    await require_write(session, actor, ws.id, [PHASE_DOMAIN], "phase")
    current = await session.scalar(
        select(PhaseChange.code).where(PhaseChange.workspace_id == ws.id)
        .order_by(PhaseChange.since.desc(), PhaseChange.created_at.desc()).limit(1))
    row = PhaseChange(workspace_id=ws.id, life_domain=PHASE_DOMAIN, code=data.code,
                      direction=direction(current, data.code), note=note,
                      recorded_by_user_id=actor.user_id, recorded_by_jobseeker=actor.is_jobseeker)
    session.add(row)
    await session.flush()
    await log_access(session, actor, action="write", resource_type="phase", workspace_id=ws.id,
                     resource_id=row.id, life_domain=PHASE_DOMAIN)
    await session.flush()
    return row


async def phase_history(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> list[PhaseChange]:
    """The phase history the caller may read (filtered in the query), oldest first; the read is logged."""
    no_admin(actor)
    ws = await get_workspace(session, actor, workspace_id)
    rows = list(await session.scalars(
        select(PhaseChange).where(PhaseChange.workspace_id == ws.id,
                                  can_read_domain(actor, PhaseChange.workspace_id, PhaseChange.life_domain))
        .order_by(PhaseChange.since, PhaseChange.created_at)))
    await log_reads(session, actor, ws.id, {r.life_domain for r in rows}, "phase")
    return rows


async def phase_changes_out(session: AsyncSession, rows: list[PhaseChange]) -> list[PhaseChangeOut]:
    """API shapes with the recorder's name."""
    names = await user_names(session, [r.recorded_by_user_id for r in rows])
    out = []
    for r in rows:
        p = BY_CODE[r.code]
        who = t("instruments.jobseeker") if r.recorded_by_jobseeker else names.get(r.recorded_by_user_id or uuid.UUID(int=0))
        out.append(PhaseChangeOut(id=r.id, code=r.code, name=p.name, cycle=p.cycle, direction=r.direction,
                                  since=r.since, note=r.note, recorded_by=who))
    return out

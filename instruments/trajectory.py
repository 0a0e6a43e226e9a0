"""The trajectovereenkomst: SMART goals per version, both sides' signatures, in force once both signed."""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.domains import LIFE_DOMAINS, METHODS
from w2.consent.policy import can_read_domain, log_access
from w2.instruments.models import TrajectoryAgreement, TrajectoryGoal, TrajectorySignature
from w2.instruments.schemas import (
    GoalOut,
    SignatureIn,
    SignatureOut,
    TrajectoryAgreementIn,
    TrajectoryAgreementOut,
)
from w2.instruments.service import log_reads, no_admin, require_write, user_names
from w2.platform.actor import Actor
from w2.platform.errors import Conflict, Forbidden, Invalid, NotFound
from w2.platform.i18n import t
from w2.platform.models import Membership, User
from w2.platform.workspaces import get_workspace

SIDES = ("jobseeker", "counsellor")
MAX_GOALS = 20


def check_goals(data: TrajectoryAgreementIn) -> list[list[str]]:
    """Validate goals (SMART: every part filled in) and map each action to its goal; Invalid names the field."""
    if not data.goals:
        raise Invalid("goals", t("instruments.error.goals_empty"))
    if len(data.goals) > MAX_GOALS:
        raise Invalid("goals", t("instruments.error.goals_many", max=MAX_GOALS))
    actions: list[list[str]] = []
    for i, g in enumerate(data.goals):
        if g.life_domain not in LIFE_DOMAINS:
            raise Invalid(f"goals[{i}].life_domain", t("instruments.error.domain"))
        for field in ("text", "measure"):
            if not getattr(g, field).strip():
                raise Invalid(f"goals[{i}].{field}", t("instruments.error.text_empty"))
        own = [a.strip() for a in g.actions]
        if any(not a for a in own):
            raise Invalid(f"goals[{i}].actions", t("instruments.error.text_empty"))
        actions.append(own)
    for j, a in enumerate(data.actions):
        if not 0 <= a.goal < len(data.goals):
            raise Invalid(f"actions[{j}].goal", t("instruments.error.action_goal"))
        if not a.text.strip():
            raise Invalid(f"actions[{j}].text", t("instruments.error.text_empty"))
        actions[a.goal].append(a.text.strip())
    return actions


async def create_version(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID,
                         data: TrajectoryAgreementIn) -> TrajectoryAgreement:
    """A new version (the first, or an adjustment); it needs both signatures anew."""
    no_admin(actor)
    if not actor.is_staff:
        raise Forbidden(t("error.staff_only"))
    ws = await get_workspace(session, actor, workspace_id)
    actions = check_goals(data)
    await require_write(session, actor, ws.id, {g.life_domain for g in data.goals}, "trajectory_agreement")
    latest = await session.scalar(select(func.max(TrajectoryAgreement.version))
                                  .where(TrajectoryAgreement.workspace_id == ws.id)) or 0
    agreement = TrajectoryAgreement(workspace_id=ws.id, version=latest + 1, created_by_user_id=actor.user_id)
    session.add(agreement)
    await session.flush()
    for i, (g, acts) in enumerate(zip(data.goals, actions, strict=True)):
        session.add(TrajectoryGoal(agreement_id=agreement.id, workspace_id=ws.id, position=i, area=g.area,
                                   life_domain=g.life_domain, text=g.text.strip(), measure=g.measure.strip(),
                                   due_date=g.due_date, helped_by=(g.helped_by or "").strip() or None,
                                   actions=acts))
    await session.flush()
    for domain in sorted({g.life_domain for g in data.goals}):
        await log_access(session, actor, action="create", resource_type="trajectory_agreement",
                         workspace_id=ws.id, resource_id=agreement.id, life_domain=domain)
    await session.flush()
    return agreement


async def _agreement(session: AsyncSession, actor: Actor, agreement_id: uuid.UUID) -> TrajectoryAgreement:
    row = await session.get(TrajectoryAgreement, agreement_id)
    if row is None:
        raise NotFound(t("instruments.error.agreement_not_found"))
    await get_workspace(session, actor, row.workspace_id)  # 404 outside the caller's workspaces
    return row


async def sign(session: AsyncSession, actor: Actor, agreement_id: uuid.UUID, data: SignatureIn) -> TrajectorySignature:
    """Record one side's signature; the same side twice is 409."""
    no_admin(actor)
    row = await _agreement(session, actor, agreement_id)
    if data.by not in SIDES:
        raise Invalid("by", t("instruments.error.side"))
    if data.method not in METHODS:
        raise Invalid("method", t("instruments.error.method"))
    if actor.is_jobseeker and data.by != "jobseeker":
        raise Forbidden(t("instruments.error.sign_own_side"))
    if data.method == "portal" and not actor.is_jobseeker:
        raise Invalid("method", t("instruments.error.portal_self"))
    if data.method != "portal" and actor.is_jobseeker:
        raise Invalid("method", t("instruments.error.portal_self"))
    witness = None
    if data.method == "verbal":
        if data.witness_user_id is None or data.witness_user_id == actor.user_id:
            raise Invalid("witness_user_id", t("instruments.error.witness"))
        witness = await session.scalar(select(User.id).join(Membership, Membership.agency_id == User.agency_id)
                                       .where(User.id == data.witness_user_id, User.active.is_(True),
                                              Membership.workspace_id == row.workspace_id))
        if witness is None:
            raise Invalid("witness_user_id", t("instruments.error.witness"))
    elif data.witness_user_id is not None:
        raise Invalid("witness_user_id", t("instruments.error.witness_only_verbal"))
    sig = TrajectorySignature(agreement_id=row.id, workspace_id=row.workspace_id, signed_by=data.by,
                              method=actor.portal_method if actor.is_jobseeker else data.method,
                              witness_user_id=witness, recorded_by_user_id=actor.acting_user_id)
    try:
        async with session.begin_nested():
            session.add(sig)
            await session.flush()
    except IntegrityError as exc:
        raise Conflict(t("instruments.error.signed_twice", side=t(f"instruments.side.{data.by}"))) from exc
    await log_access(session, actor, action="sign", resource_type="trajectory_agreement",
                     workspace_id=row.workspace_id, resource_id=row.id)
    await session.flush()
    return sig


async def list_versions(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> list[TrajectoryAgreementOut]:
    """Every version, newest first, with only the goals the caller may read (filtered in the query)."""
    no_admin(actor)
    ws = await get_workspace(session, actor, workspace_id)
    versions = list(await session.scalars(select(TrajectoryAgreement).where(TrajectoryAgreement.workspace_id == ws.id)
                                          .order_by(TrajectoryAgreement.version.desc())))
    if not versions:
        return []
    ids = [v.id for v in versions]
    goals = list(await session.scalars(select(TrajectoryGoal).where(
        TrajectoryGoal.agreement_id.in_(ids),
        can_read_domain(actor, TrajectoryGoal.workspace_id, TrajectoryGoal.life_domain))
        .order_by(TrajectoryGoal.position)))
    sigs = list(await session.scalars(select(TrajectorySignature).where(TrajectorySignature.agreement_id.in_(ids))
                                      .order_by(TrajectorySignature.signed_at)))
    await log_reads(session, actor, ws.id, {g.life_domain for g in goals}, "trajectory_agreement")
    return await _out(session, versions, goals, sigs)


async def _out(session: AsyncSession, versions: list[TrajectoryAgreement], goals: list[TrajectoryGoal],
               sigs: list[TrajectorySignature]) -> list[TrajectoryAgreementOut]:
    names = await user_names(session, [s.recorded_by_user_id for s in sigs])
    by_goal: dict[uuid.UUID, list[GoalOut]] = defaultdict(list)
    for g in goals:
        by_goal[g.agreement_id].append(GoalOut(id=g.id, area=g.area, life_domain=g.life_domain, text=g.text,
                                               measure=g.measure, due_date=g.due_date, helped_by=g.helped_by,
                                               actions=list(g.actions)))
    by_sig: dict[uuid.UUID, list[SignatureOut]] = defaultdict(list)
    for s in sigs:
        by_sig[s.agreement_id].append(SignatureOut(id=s.id, by=s.signed_by, method=s.method,
                                                   witness_user_id=s.witness_user_id,
                                                   recorded_by=names.get(s.recorded_by_user_id)
                                                   if s.recorded_by_user_id else t("instruments.jobseeker"),
                                                   signed_at=s.signed_at))
    signed = {v.id for v in versions if {s.by for s in by_sig[v.id]} == set(SIDES)}
    newest_signed = max((v.version for v in versions if v.id in signed), default=0)
    # A fully signed version stays in force until a later version is signed by both sides.
    return [TrajectoryAgreementOut(id=v.id, workspace_id=v.workspace_id, version=v.version, goals=by_goal[v.id],
                                   signatures=by_sig[v.id], in_force=v.id in signed and v.version == newest_signed,
                                   superseded=v.version < newest_signed, created_at=v.created_at)
            for v in versions]


async def one_version(session: AsyncSession, actor: Actor, agreement_id: uuid.UUID) -> TrajectoryAgreementOut:
    """One version as the caller may see it."""
    row = await _agreement(session, actor, agreement_id)
    for item in await list_versions(session, actor, row.workspace_id):
        if item.id == row.id:
            return item
    raise NotFound(t("instruments.error.agreement_not_found"))

"""Competentiekaarten: card 1 (job -> tasks -> competences) and card 2 (the job seeker's profile), in work_training."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import can_read_domain, log_access
from w2.instruments.competences import codes
from w2.instruments.models import CompetenceCard
from w2.instruments.schemas import CompetenceCardIn, CompetenceCardOut, TaskOut
from w2.instruments.service import log_reads, no_admin, require_write
from w2.platform.actor import Actor
from w2.platform.errors import Forbidden, Invalid
from w2.platform.i18n import t
from w2.platform.workspaces import get_workspace

CARD_DOMAIN = "work_training"
MAX_TARGETS = 2
MAX_ITEMS = 40


def _texts(values: list[str], field: str) -> list[str]:
    out = [v.strip() for v in values]
    if any(not v for v in out):
        raise Invalid(field, t("instruments.error.text_empty"))
    if len(out) > MAX_ITEMS:
        raise Invalid(field, t("instruments.error.too_many", max=MAX_ITEMS))
    return out


def _codes(values: list[str], field: str) -> list[str]:
    known = set(codes())
    for i, c in enumerate(values):
        if c not in known:
            raise Invalid(f"{field}[{i}]", t("instruments.error.competence_unknown", code=c))
    if len(set(values)) != len(values):
        raise Invalid(field, t("instruments.error.duplicate"))
    return list(values)


def check_card(data: CompetenceCardIn) -> dict[str, object]:
    """The card's columns, or Invalid naming the field (nothing is stored then)."""
    if data.kind == "profile":
        if data.job_title is not None or data.tasks:
            raise Invalid("kind", t("instruments.error.card_fields"))
        if len(data.job_targets) > MAX_TARGETS:
            raise Invalid("job_targets", t("instruments.error.job_targets", max=MAX_TARGETS))
        cols: dict[str, object] = {
            "key_competences": _codes(data.key_competences, "key_competences"),
            "technical_competences": _texts(data.technical_competences, "technical_competences"),
            "job_targets": _texts(data.job_targets, "job_targets"), "job_title": None, "tasks": []}
        if not any((cols["key_competences"], cols["technical_competences"], cols["job_targets"])):
            raise Invalid("key_competences", t("instruments.error.card_empty"))
        return cols
    if data.key_competences or data.technical_competences or data.job_targets:
        raise Invalid("kind", t("instruments.error.card_fields"))
    title = (data.job_title or "").strip()
    if not title:
        raise Invalid("job_title", t("instruments.error.text_empty"))
    if not data.tasks:
        raise Invalid("tasks", t("instruments.error.tasks_empty"))
    tasks = []
    for i, task in enumerate(data.tasks):
        if not task.text.strip():
            raise Invalid(f"tasks[{i}].text", t("instruments.error.text_empty"))
        tasks.append({"text": task.text.strip(),
                      "key_competences": _codes(task.key_competences, f"tasks[{i}].key_competences"),
                      "technical_competences": _texts(task.technical_competences,
                                                      f"tasks[{i}].technical_competences")})
    return {"job_title": title, "tasks": tasks, "key_competences": [], "technical_competences": [],
            "job_targets": []}


async def create_card(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID,
                      data: CompetenceCardIn) -> CompetenceCard:
    """Store a card; staff need work_training consent; the job seeker names their own competences."""
    no_admin(actor)
    ws = await get_workspace(session, actor, workspace_id)
    if actor.is_jobseeker and data.named_by == "counsellor":
        raise Forbidden(t("instruments.error.sign_own_side"))
    cols = check_card(data)
    await require_write(session, actor, ws.id, [CARD_DOMAIN], "competence_card")
    card = CompetenceCard(workspace_id=ws.id, life_domain=CARD_DOMAIN, kind=data.kind,
                          named_by="jobseeker" if actor.is_jobseeker else (data.named_by or "counsellor"),
                          created_by_user_id=actor.user_id, **cols)
    session.add(card)
    await session.flush()
    await log_access(session, actor, action="create", resource_type="competence_card", workspace_id=ws.id,
                     resource_id=card.id, life_domain=CARD_DOMAIN)
    await session.flush()
    return card


async def list_cards(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> list[CompetenceCard]:
    """Cards the caller may read (filtered in the query), newest first; the read is logged."""
    no_admin(actor)
    ws = await get_workspace(session, actor, workspace_id)
    rows = list(await session.scalars(select(CompetenceCard).where(
        CompetenceCard.workspace_id == ws.id,
        can_read_domain(actor, CompetenceCard.workspace_id, CompetenceCard.life_domain))
        .order_by(CompetenceCard.created_at.desc())))
    await log_reads(session, actor, ws.id, {r.life_domain for r in rows}, "competence_card")
    return rows


def card_out(c: CompetenceCard) -> CompetenceCardOut:
    """API shape of a card."""
    return CompetenceCardOut(
        id=c.id, workspace_id=c.workspace_id, kind=c.kind, life_domain=c.life_domain, named_by=c.named_by,
        job_title=c.job_title,
        tasks=[TaskOut(text=str(x["text"]), key_competences=list(x["key_competences"]),  # type: ignore[call-overload]  # card rows are JSON of the shape written by the seed
                       technical_competences=list(x["technical_competences"])) for x in c.tasks],  # type: ignore[call-overload]  # card rows are JSON of the shape written by the seed
        key_competences=list(c.key_competences), technical_competences=list(c.technical_competences),
        job_targets=list(c.job_targets), created_at=c.created_at)

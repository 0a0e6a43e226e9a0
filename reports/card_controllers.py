"""The printable one-page competence card (read through the consent policy, like the API)."""

from __future__ import annotations

import asyncio
import uuid

from litestar import Response, get
from sqlalchemy.ext.asyncio import AsyncSession

from w2.instruments import cards, competences
from w2.instruments.models import CompetenceCard
from w2.platform.actor import Actor
from w2.platform.auth import signed_in
from w2.platform.errors import NotFound
from w2.platform.i18n import t
from w2.reports import sandbox
from w2.reports.schemas import CardCompetence, CardTask, CompetenceCardContent
from w2.reports.scoring_controllers import PDF, _names, pdf_response


async def card_content(db: AsyncSession, actor: Actor, card_id: uuid.UUID) -> CompetenceCardContent:
    """One card the caller may read (404 otherwise), with glossary names and definitions."""
    row = await db.get(CompetenceCard, card_id)
    if row is None:
        raise NotFound(t("instruments.error.card_not_found"))
    found = [c for c in await cards.list_cards(db, actor, row.workspace_id) if c.id == card_id]
    if not found:
        raise NotFound(t("instruments.error.card_not_found"))
    card = found[0]
    name, _ = await _names(db, actor, card.workspace_id)
    glossary = {i["code"]: i for i in competences.glossary(actor.language)}
    return CompetenceCardContent(
        jobseeker=name, kind=card.kind, named_by=card.named_by, made_on=card.created_at.date(),
        job_title=card.job_title,
        tasks=[CardTask(text=str(x["text"]), key_competences=[glossary[k]["name"] for k in x["key_competences"]],  # type: ignore[attr-defined]  # card rows are JSON of the shape written by the seed
                        technical_competences=list(x["technical_competences"])) for x in card.tasks],  # type: ignore[call-overload]  # card rows are JSON of the shape written by the seed
        key_competences=[CardCompetence(name=glossary[k]["name"], definition=glossary[k]["definition"])
                         for k in card.key_competences],
        technical_competences=list(card.technical_competences), job_targets=list(card.job_targets))


@get("/competentiekaart/{card_id:uuid}/afdruk.pdf", guards=[signed_in], include_in_schema=False, media_type=PDF)
async def card_pdf_page(card_id: uuid.UUID, db: AsyncSession, actor: Actor) -> Response[bytes]:
    """The card on one page (staff, or the job seeker on their own workspace)."""
    content = await card_content(db, actor, card_id)
    data = await asyncio.to_thread(sandbox.render_card, content, actor.language)
    return pdf_response(data, "competentiekaart.pdf")


PAGES = [card_pdf_page]

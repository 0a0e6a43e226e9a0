"""Member agencies' questions as case content: the text only where the consent policy allows it."""

from __future__ import annotations

import uuid
from typing import NamedTuple

from sqlalchemy import case, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import can_read_domain, log_access
from w2.platform.actor import Actor
from w2.platform.models import Membership


class QuestionView(NamedTuple):
    """A member's question as one caller sees it."""

    text: str | None
    life_domain: str
    withheld: bool  # there is a question, but this caller may not read it


async def readable_questions(session: AsyncSession, actor: Actor,
                             workspace_id: uuid.UUID) -> dict[uuid.UUID, QuestionView]:
    """Per member agency: its question if it is the caller's own, or in a life domain the caller holds
    `information_sharing` for (filtered in the query; no role bypasses it). Each shown domain is logged."""
    # The question is addressed to that agency: it always reads its own (the job seeker reads all).
    own = Membership.agency_id == actor.agency_id if actor.agency_id and not actor.is_jobseeker else false()
    may = or_(own, can_read_domain(actor, Membership.workspace_id, Membership.life_domain))
    rows = await session.execute(
        select(Membership.agency_id, Membership.life_domain, Membership.question.is_not(None),
               case((may, Membership.question), else_=None))
        .where(Membership.workspace_id == workspace_id)
    )
    out = {agency: QuestionView(text, domain, bool(has) and text is None) for agency, domain, has, text in rows}
    if not actor.is_jobseeker:
        for domain in sorted({v.life_domain for v in out.values() if v.text}):
            await log_access(session, actor, action="read", resource_type="member_question",
                             workspace_id=workspace_id, life_domain=domain)
    return out

"""Shared drawings as data: draaglast-draagkracht balance, afgebakende weegschaal, ecogram; consent-filtered in SQL."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.domains import LIFE_DOMAINS
from w2.consent.policy import can_read_domain, log_access
from w2.instruments.models import Drawing
from w2.instruments.schemas import DrawingIn, DrawingOut
from w2.instruments.service import log_reads, no_admin, require_write
from w2.platform.actor import Actor
from w2.platform.errors import Invalid, NotFound
from w2.platform.i18n import t
from w2.platform.workspaces import get_workspace

SIDES = {"balance": ("burden", "support"), "scale": ("pro", "con")}
MEANINGS = ("positive", "negative", "neutral")
DEFAULT_DOMAIN = {"balance": "other", "scale": "work_training", "ecogram": "network"}
MAX_ITEMS = 30


def check_drawing(data: DrawingIn) -> tuple[str, list[dict[str, Any]]]:
    """The drawing's life domain and items, or Invalid naming the field (nothing is stored then)."""
    if not data.items:
        raise Invalid("items", t("instruments.error.drawing_empty"))
    if len(data.items) > MAX_ITEMS:
        raise Invalid("items", t("instruments.error.too_many", max=MAX_ITEMS))
    domain = data.life_domain or DEFAULT_DOMAIN[data.kind]
    if domain not in LIFE_DOMAINS:
        raise Invalid("life_domain", t("instruments.error.domain"))
    if data.kind == "scale" and not (data.title or "").strip():
        raise Invalid("title", t("instruments.error.scale_title"))
    items = []
    for i, it in enumerate(data.items):
        if not it.label.strip():
            raise Invalid(f"items[{i}].label", t("instruments.error.text_empty"))
        if data.kind in SIDES:
            if it.side not in SIDES[data.kind]:
                raise Invalid(f"items[{i}].side", t("instruments.error.drawing_side", sides=", ".join(SIDES[data.kind])))
            items.append({"label": it.label.strip(), "side": it.side, "size": it.size})
        else:
            if it.meaning not in MEANINGS:
                raise Invalid(f"items[{i}].meaning", t("instruments.error.drawing_meaning"))
            items.append({"label": it.label.strip(), "relation": (it.relation or "").strip() or None,
                          "meaning": it.meaning})
    return domain, items


async def save_drawing(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, data: DrawingIn) -> Drawing:
    """Save a drawing as a new version (the job seeker may draw too)."""
    no_admin(actor)
    ws = await get_workspace(session, actor, workspace_id)
    domain, items = check_drawing(data)
    await require_write(session, actor, ws.id, [domain], "drawing")
    row = Drawing(workspace_id=ws.id, life_domain=domain, kind=data.kind, title=(data.title or "").strip() or None,
                  items=items, created_by_user_id=actor.user_id, created_by_jobseeker=actor.is_jobseeker)
    session.add(row)
    await session.flush()
    await log_access(session, actor, action="create", resource_type="drawing", workspace_id=ws.id,
                     resource_id=row.id, life_domain=domain)
    await session.flush()
    return row


async def list_drawings(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> list[Drawing]:
    """Drawings the caller may read (filtered in the query), newest first; the read is logged."""
    no_admin(actor)
    ws = await get_workspace(session, actor, workspace_id)
    rows = list(await session.scalars(select(Drawing).where(
        Drawing.workspace_id == ws.id, can_read_domain(actor, Drawing.workspace_id, Drawing.life_domain))
        .order_by(Drawing.created_at.desc())))
    await log_reads(session, actor, ws.id, {r.life_domain for r in rows}, "drawing")
    return rows


async def one_drawing(session: AsyncSession, actor: Actor, drawing_id: uuid.UUID) -> Drawing:
    """One drawing the caller may read (filtered in the query, the read logged); 404 otherwise, also without consent."""
    no_admin(actor)
    # Under row-level security this look-up already returns nothing outside the caller's consent.
    workspace_id = await session.scalar(select(Drawing.workspace_id).where(Drawing.id == drawing_id))
    if workspace_id is None:
        raise NotFound(t("instruments.error.drawing_not_found"))
    ws = await get_workspace(session, actor, workspace_id)
    row = await session.scalar(select(Drawing).where(
        Drawing.id == drawing_id, Drawing.workspace_id == ws.id,
        can_read_domain(actor, Drawing.workspace_id, Drawing.life_domain)))
    if row is None:
        raise NotFound(t("instruments.error.drawing_not_found"))
    await log_access(session, actor, action="read", resource_type="drawing", workspace_id=ws.id,
                     resource_id=row.id, life_domain=row.life_domain)
    await session.flush()
    return row


def text_alternative(d: Drawing, lang: str = "nl") -> str:
    """What the drawing shows, in words (for screen readers and the export)."""
    if d.kind in SIDES:
        parts = []
        for side in SIDES[d.kind]:
            mine = [f"{i['label']} ({i['size']})" for i in d.items if i["side"] == side]
            parts.append(f"{t('instruments.drawing.side.' + side, lang)}: {', '.join(mine) or '-'}")
        head = t(f"instruments.drawing.kind.{d.kind}", lang) + (f" – {d.title}" if d.title else "")
        return head + ". " + ". ".join(parts) + "."
    people = [f"{i['label']}" + (f" ({i['relation']})" if i.get("relation") else "")
              + f": {t('instruments.drawing.meaning.' + str(i['meaning']), lang)}" for i in d.items]
    return t("instruments.drawing.kind.ecogram", lang) + ". " + "; ".join(people) + "."


def drawing_out(d: Drawing, lang: str = "nl") -> DrawingOut:
    """API shape with its text alternative."""
    return DrawingOut(id=d.id, kind=d.kind, life_domain=d.life_domain, title=d.title, items=list(d.items),
                      text_alternative=text_alternative(d, lang), created_at=d.created_at,
                      by_jobseeker=d.created_by_jobseeker)

"""Scoretabel service: record a sheet, read scores (consent-gated per theme's life domain), voortgang data."""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.domains import LIFE_DOMAINS
from w2.consent.policy import (
    ConsentMissing,
    can_read_domain,
    log_access,
    log_denial,
    readable_domains,
    require_grant,
    today,
)
from w2.platform.actor import Actor
from w2.platform.errors import Forbidden, Invalid
from w2.platform.i18n import t
from w2.platform.workspaces import get_workspace
from w2.reports.models import ScoreEntry
from w2.reports.schemas import ProgressContent, ProgressSheet, ScoreOut, ScoreRow, ScoresIn
from w2.reports.themes import FILLED_BY, FREE, THEMES, Theme


def resolve(data: ScoresIn) -> list[tuple[Theme, str | None]]:
    """Each item's theme (free themes get their own), or Invalid naming the bad field."""
    out: list[tuple[Theme, str | None]] = []
    seen: set[str] = set()
    for i, item in enumerate(data.items):
        if item.theme == FREE:
            if not item.label or not item.label.strip():
                raise Invalid(f"items[{i}].label", t("error.free_theme_label"))
            domain = item.life_domain or "other"
            if domain not in LIFE_DOMAINS:
                raise Invalid(f"items[{i}].life_domain", t("error.unknown_domain"))
            theme, label, key = Theme(FREE, "free", domain), item.label.strip(), "free:" + item.label.strip().lower()
        else:
            found = THEMES.get(item.theme)
            if found is None:
                raise Invalid(f"items[{i}].theme", t("error.unknown_theme"))
            if item.life_domain not in (None, found.life_domain) or item.label is not None:
                raise Invalid(f"items[{i}].theme", t("error.unknown_theme"))
            theme, label, key = found, None, found.code
        if item.start is None and item.now is None and item.future is None:
            raise Invalid(f"items[{i}]", t("error.score_empty"))
        if key in seen:
            raise Invalid(f"items[{i}].theme", t("error.duplicate_theme"))
        seen.add(key)
        out.append((theme, label))
    return out


async def record_scores(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID,
                        data: ScoresIn) -> list[ScoreEntry]:
    """Store one sheet; a professional needs information_sharing consent for every domain it touches."""
    ws = await get_workspace(session, actor, workspace_id)
    if actor.is_jobseeker and data.filled_by != "jobseeker":
        raise Forbidden(t("error.forbidden"))
    if actor.is_staff and (actor.is_platform_admin or actor.agency_id is None):
        raise Forbidden(t("error.platform_admin_no_cases"))
    themes = resolve(data)
    if actor.is_staff:
        assert actor.agency_id is not None
        for domain in sorted({th.life_domain for th, _ in themes}):
            try:
                await require_grant(session, ws.id, actor.agency_id, "information_sharing", domain)
            except ConsentMissing:
                await log_denial(session, actor, action="write", resource_type="score", workspace_id=ws.id,
                                 life_domain=domain)
                raise
    sheet_id = uuid.uuid4()
    rows = [
        ScoreEntry(sheet_id=sheet_id, workspace_id=ws.id, filled_by=data.filled_by, taken_on=data.taken_on or today(),
                   theme=th.code, label=label, group=th.group, life_domain=th.life_domain,
                   start=item.start, now=item.now, future=item.future,
                   recorded_by_user_id=actor.user_id, recorded_by_jobseeker=actor.is_jobseeker)
        for (th, label), item in zip(themes, data.items, strict=True)
    ]
    session.add_all(rows)
    await session.flush()
    for domain in sorted({r.life_domain for r in rows}):
        await log_access(session, actor, action="write", resource_type="score", workspace_id=ws.id,
                         resource_id=sheet_id, life_domain=domain)
    await session.flush()
    return rows


async def visible_scores(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID,
                         filled_by: str | None = None) -> list[ScoreEntry]:
    """Score rows the actor may read (filtered in the query), newest sheet first; each domain read is logged."""
    ws = await get_workspace(session, actor, workspace_id)
    stmt = select(ScoreEntry).where(
        ScoreEntry.workspace_id == ws.id,
        can_read_domain(actor, ScoreEntry.workspace_id, ScoreEntry.life_domain),
    )
    if filled_by:
        stmt = stmt.where(ScoreEntry.filled_by == filled_by)
    rows = list(await session.scalars(stmt.order_by(ScoreEntry.taken_on.desc(), ScoreEntry.created_at.desc(),
                                                    ScoreEntry.id)))
    for domain in sorted({r.life_domain for r in rows}):
        await log_access(session, actor, action="read", resource_type="score", workspace_id=ws.id,
                         life_domain=domain)
    await session.flush()
    return rows


def label_of(row: ScoreEntry, language: str = "nl") -> str:
    """The theme's name as people read it."""
    return row.label if row.theme == FREE and row.label else t(f"theme.{row.theme}", language)


def score_out(row: ScoreEntry) -> ScoreOut:
    """API shape of a score row."""
    return ScoreOut(id=row.id, sheet_id=row.sheet_id, filled_by=row.filled_by, taken_on=row.taken_on,
                    theme=row.theme, label=label_of(row), group=row.group, life_domain=row.life_domain,
                    start=row.start, now=row.now, future=row.future, created_at=row.created_at)


def latest_sheets(rows: list[ScoreEntry], language: str = "nl") -> list[ProgressSheet]:
    """The newest sheet per perspective, themes in scoretabel order (free themes last)."""
    sheets: dict[uuid.UUID, list[ScoreEntry]] = defaultdict(list)
    for r in rows:
        sheets[r.sheet_id].append(r)
    order = {code: k for k, code in enumerate(THEMES)}
    out = []
    for who in FILLED_BY:
        mine = [rs for rs in sheets.values() if rs[0].filled_by == who]
        if not mine:
            continue
        newest = max(mine, key=lambda rs: (rs[0].taken_on, max(r.created_at for r in rs)))
        newest.sort(key=lambda r: (order.get(r.theme, len(order)), label_of(r, language)))
        out.append(ProgressSheet(filled_by=who, taken_on=newest[0].taken_on, rows=[
            ScoreRow(theme=r.theme, label=label_of(r, language), group=r.group, life_domain=r.life_domain,
                     start=r.start, now=r.now, future=r.future) for r in newest]))
    return out


async def progress_content(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID,
                           jobseeker_name: str, recipient: str | None, language: str = "nl") -> ProgressContent:
    """What the caller's voortgang PDF shows."""
    rows = await visible_scores(session, actor, workspace_id)
    allowed = await readable_domains(session, actor, workspace_id)
    return ProgressContent(jobseeker=jobseeker_name, sheets=latest_sheets(rows, language),
                           some_withheld=set(LIFE_DOMAINS) - allowed != set(), recipient=recipient)

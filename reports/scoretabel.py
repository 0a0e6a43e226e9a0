"""The scoretabel over time: sheets, cirkels across moments, where the two views differ, and when to fill a new one."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from w2.instruments.service import phase_history
from w2.platform.actor import Actor
from w2.platform.i18n import t
from w2.reports import charts
from w2.reports.models import ScoreEntry
from w2.reports.scoring import label_of
from w2.reports.themes import THEMES

PROMPT_AFTER = timedelta(days=91)  # the handbook suggests a new sheet every three months
MOMENTS = 4  # the newest moments drawn in one circle


@dataclass
class Sheet:
    """One filled-in scoretabel."""

    id: uuid.UUID
    filled_by: str
    taken_on: date
    rows: list[ScoreEntry] = field(default_factory=list)


def sheets_of(rows: list[ScoreEntry]) -> list[Sheet]:
    """Rows grouped into sheets, oldest first (every sheet is kept)."""
    by_id: dict[uuid.UUID, Sheet] = {}
    for r in rows:
        by_id.setdefault(r.sheet_id, Sheet(r.sheet_id, r.filled_by, r.taken_on)).rows.append(r)
    order = {code: k for k, code in enumerate(THEMES)}
    for s in by_id.values():
        s.rows.sort(key=lambda r: (order.get(r.theme, len(order)), r.label or ""))
    return sorted(by_id.values(), key=lambda s: (s.taken_on, min(r.created_at for r in s.rows)))


def _axes(sheets: list[Sheet], group: str, language: str) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for s in sheets:
        for r in s.rows:
            if r.group == group or (group == "inside" and r.group == "free"):
                seen.setdefault(r.theme if r.theme != "free" else f"free:{r.label}", label_of(r, language))
    order = list(THEMES)
    return sorted(seen.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[1]))


def _value(sheet: Sheet, key: str) -> int | None:
    for r in sheet.rows:
        if (r.theme if r.theme != "free" else f"free:{r.label}") == key:
            return r.now
    return None


def over_time(sheets: list[Sheet], language: str = "nl") -> list[dict[str, object]]:
    """Per perspective and group: one circle with the 'now' score of the newest moments overlaid."""
    figures = []
    for who in ("jobseeker", "counsellor"):
        mine = [s for s in sheets if s.filled_by == who][-MOMENTS:]
        if not mine:
            continue
        for group in ("outside", "inside"):
            axes = _axes(mine, group, language)
            if not axes:
                continue
            offset = MOMENTS - len(mine)
            series = [charts.Series(f"m{offset + k}", s.taken_on.strftime("%d/%m/%Y"),
                                    [_value(s, key) for key, _ in axes]) for k, s in enumerate(mine)]
            title = t("scoretabel.over_time", language, group=t(f"progress.group.{group}", language),
                      who=t(f"progress.by.{who}", language))
            figures.append({"title": title, "svg": Markup(charts.radar_svg(title, [a for _, a in axes], series))})
    return figures


def differences(sheets: list[Sheet], language: str = "nl") -> list[dict[str, object]]:
    """Themes where the newest job seeker's and counsellor's 'now' differ by two or more: a conversation starter."""
    js = [s for s in sheets if s.filled_by == "jobseeker"]
    co = [s for s in sheets if s.filled_by == "counsellor"]
    if not js or not co:
        return []
    a, b = js[-1], co[-1]
    out = []
    for key, label in _axes([a, b], "outside", language) + _axes([a, b], "inside", language):
        x, y = _value(a, key), _value(b, key)
        if x is not None and y is not None and abs(x - y) >= 2:
            out.append({"label": label, "jobseeker": x, "counsellor": y})
    return out


async def prompt(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, sheets: list[Sheet],
                 today: date) -> str | None:
    """Why a new sheet is due: none yet, three months since the last, or the trajectory moved back since."""
    if not sheets:
        return "first"
    last = sheets[-1]
    if today - last.taken_on >= PROMPT_AFTER:
        return "three_months"
    changes = await phase_history(session, actor, workspace_id)
    if any(c.direction == "back" and c.since.date() >= last.taken_on for c in changes):
        return "moved_back"
    return None


def grouped(sheets: list[Sheet]) -> dict[str, list[Sheet]]:
    """Sheets per perspective, newest first."""
    out: dict[str, list[Sheet]] = defaultdict(list)
    for s in reversed(sheets):
        out[s.filled_by].append(s)
    return out

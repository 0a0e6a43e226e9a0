"""Scoretabel pages: the counsellor's table, the job seeker's one-theme-at-a-time flow, the cirkels over time."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import ConsentMissing, today
from w2.platform.auth import signed_in, staff
from w2.platform.errors import Forbidden, Invalid
from w2.platform.i18n import t
from w2.platform.models import Jobseeker
from w2.platform.page_kit import (
    form_fields,
    page_language,
    page_router,
    render,
    require_jobseeker,
    require_staff,
)
from w2.platform.workspaces import get_workspace
from w2.reports import scoretabel, scoring
from w2.reports.schemas import ScoreItemIn, ScoresIn
from w2.reports.themes import INSIDE, OUTSIDE, PERIODS, THEMES

ORDER = [th.code for th in (*OUTSIDE, *INSIDE)]
SESSION_KEY = "scoretabel"


def _score(raw: str | None, field: str) -> int | None:
    """A 0-10 score from a form field, empty for none; anything else is refused naming the field."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 0 <= int(raw) <= 10:
        raise Invalid(field, t("scoretabel.error.range"))
    return int(raw)


async def _sheets(db: AsyncSession, actor: Any, workspace_id: uuid.UUID) -> list[scoretabel.Sheet]:
    return scoretabel.sheets_of(await scoring.visible_scores(db, actor, workspace_id))


async def staff_page(db: AsyncSession, request: Request[Any, Any, Any], workspace_id: uuid.UUID, status: int = 200,
                     error: str | None = None, form: dict[str, str] | None = None) -> Template:
    """The counsellor's page: the prompt, the table to fill, every sheet, the cirkels over time."""
    actor = require_staff(request)
    ws = await get_workspace(db, actor, workspace_id)
    js = await db.get(Jobseeker, ws.jobseeker_id)
    lang = page_language(request)
    sheets = await _sheets(db, actor, ws.id)
    return render(request, "scoretabel/staff.html", status=status, ws=ws, js=js, outside=OUTSIDE, inside=INSIDE,
                  periods=PERIODS, sheets=scoretabel.grouped(sheets), figures=scoretabel.over_time(sheets, lang),
                  differences=scoretabel.differences(sheets, lang),
                  prompt=await scoretabel.prompt(db, actor, ws.id, sheets, today()), error=error,
                  form=form or {"taken_on": today().isoformat()}, label=lambda r: scoring.label_of(r, lang))


@get("/workspaces/{workspace_id:uuid}/scoretabel", guards=[staff])
async def staff_view(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Template:
    """The scoretabel of a workspace."""
    return await staff_page(db, request, workspace_id)


@post("/workspaces/{workspace_id:uuid}/scoretabel", guards=[staff])
async def staff_submit(request: Request[Any, Any, Any], db: AsyncSession,
                       workspace_id: uuid.UUID) -> Template | Redirect:
    """Store a new sheet (older sheets are kept)."""
    actor = require_staff(request)
    v = await form_fields(request)
    try:
        items = []
        for code in ORDER:
            scores = {p: _score(v.get(f"{code}-{p}"), f"{code}-{p}") for p in PERIODS}
            if any(x is not None for x in scores.values()):
                items.append(ScoreItemIn(theme=code, **scores))
        if not items:
            raise Invalid("items", t("scoretabel.error.empty"))
        try:
            taken_on = date.fromisoformat(v.get("taken_on", ""))
        except ValueError:
            raise Invalid("taken_on", t("scoretabel.error.date")) from None
        if taken_on > today():
            raise Invalid("taken_on", t("scoretabel.error.date"))
        filled_by = v.get("filled_by", "")
        if filled_by not in ("jobseeker", "counsellor"):
            raise Invalid("filled_by", t("scoretabel.error.filled_by"))
        await scoring.record_scores(db, actor, workspace_id, ScoresIn(filled_by=filled_by, items=items,  # type: ignore[arg-type]  # form values, checked by msgspec in the service
                                                                      taken_on=taken_on))
    except (Invalid, Forbidden) as exc:
        return await staff_page(db, request, workspace_id, 422, exc.detail, v)
    except ConsentMissing as exc:
        await db.rollback()
        lang = page_language(request)
        return await staff_page(db, request, workspace_id, 409, t(
            "error.consent_missing", lang, agency=exc.agency_name, purpose=t(f"purpose.{exc.purpose}", lang),
            domain=t(f"domain.{exc.life_domain}", lang)), v)
    return Redirect(f"/workspaces/{workspace_id}/scoretabel#bladen")


def _flash(request: Request[Any, Any, Any]) -> str | None:
    session = request.scope.get("session")
    return session.pop("flash", None) if isinstance(session, dict) else None


def _draft(request: Request[Any, Any, Any]) -> dict[str, dict[str, int | None]]:
    session = request.scope.get("session")
    if not isinstance(session, dict):
        return {}
    return session.setdefault(SESSION_KEY, {})


@get("/scoretabel", guards=[signed_in])
async def portal_start(request: Request[Any, Any, Any], db: AsyncSession) -> Template:
    """The job seeker's scoretabel: why now, start, and the cirkels of earlier moments."""
    actor = require_jobseeker(request)
    assert actor.workspace_id is not None
    lang = page_language(request)
    sheets = await _sheets(db, actor, actor.workspace_id)
    return render(request, "scoretabel/portal_start.html", total=len(ORDER),
                  prompt=await scoretabel.prompt(db, actor, actor.workspace_id, sheets, today()),
                  figures=scoretabel.over_time(sheets, lang), count=len(sheets), flash=_flash(request))


def _step_page(request: Request[Any, Any, Any], step: int, status: int = 200, error: str | None = None) -> Template:
    code = ORDER[step - 1]
    saved = _draft(request).get(code, {})
    return render(request, "scoretabel/portal_step.html", status=status, step=step, total=len(ORDER), code=code,
                  group=THEMES[code].group, periods=PERIODS, saved=saved, error=error)


@get("/scoretabel/{step:int}", guards=[signed_in])
async def portal_step(request: Request[Any, Any, Any], step: int) -> Template | Redirect:
    """One theme: where were you at the start, where are you now, where do you expect to be."""
    require_jobseeker(request)
    if not 1 <= step <= len(ORDER):
        return Redirect("/portal/scoretabel")
    return _step_page(request, step)


@post("/scoretabel/{step:int}", guards=[signed_in])
async def portal_step_save(request: Request[Any, Any, Any], step: int) -> Template | Redirect:
    """Keep this theme's answers (in the session) and go on."""
    require_jobseeker(request)
    if not 1 <= step <= len(ORDER):
        return Redirect("/portal/scoretabel")
    form = await request.form()
    try:
        scores = {p: _score(form.get(p), p) for p in PERIODS}
    except Invalid as exc:
        return _step_page(request, step, 422, exc.detail)
    draft = _draft(request)
    draft[ORDER[step - 1]] = scores if form.get("action") != "skip" else {}
    session = request.scope.get("session")
    if isinstance(session, dict):
        session[SESSION_KEY] = draft  # reassign so the session store notices the change
    if form.get("action") == "back" and step > 1:
        return Redirect(f"/portal/scoretabel/{step - 1}")
    return Redirect(f"/portal/scoretabel/{step + 1}" if step < len(ORDER) else "/portal/scoretabel/klaar")


@get("/scoretabel/klaar", guards=[signed_in])
async def portal_done(request: Request[Any, Any, Any]) -> Template:
    """What you filled in, before saving."""
    require_jobseeker(request)
    draft = _draft(request)
    rows = [(code, draft[code]) for code in ORDER if any(v is not None for v in draft.get(code, {}).values())]
    return render(request, "scoretabel/portal_done.html", rows=rows, periods=PERIODS)


@post("/scoretabel/klaar", guards=[signed_in])
async def portal_save(request: Request[Any, Any, Any], db: AsyncSession) -> Template | Redirect:
    """Save the sheet as the job seeker's own view."""
    actor = require_jobseeker(request)
    assert actor.workspace_id is not None
    draft = _draft(request)
    items = [ScoreItemIn(theme=code, **draft[code]) for code in ORDER
             if any(v is not None for v in draft.get(code, {}).values())]
    if not items:
        return render(request, "scoretabel/portal_done.html", status=422, rows=[], periods=PERIODS,
                      error=t("scoretabel.error.empty", page_language(request)))
    await scoring.record_scores(db, actor, actor.workspace_id, ScoresIn(filled_by="jobseeker", items=items))
    session = request.scope.get("session")
    if isinstance(session, dict):
        session.pop(SESSION_KEY, None)
        session["flash"] = t("scoretabel.portal.saved", page_language(request))
    return Redirect("/portal/scoretabel")


SCORETABEL_PAGES = page_router("/", [staff_view, staff_submit])
PORTAL_SCORETABEL_PAGES = page_router("/portal", [portal_start, portal_done, portal_save, portal_step,
                                                  portal_step_save])

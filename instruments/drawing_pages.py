"""Pages for the shared drawings: the counsellor's and the job seeker's (phone-friendly editor, SVG, words)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.domains import LIFE_DOMAINS
from w2.consent.policy import ConsentMissing
from w2.instruments import drawings
from w2.instruments.drawing_svg import drawing_svg
from w2.instruments.schemas import DrawingIn, DrawingItemIn
from w2.platform.auth import signed_in, staff
from w2.platform.errors import Invalid
from w2.platform.i18n import t
from w2.platform.models import Jobseeker
from w2.platform.page_kit import page_language, page_router, render, require_jobseeker, require_staff
from w2.platform.portal_kit import set_flash
from w2.platform.workspaces import get_workspace

ROWS = 6


def _from_form(v: dict[str, str]) -> DrawingIn:
    kind = v.get("kind", "")
    if kind not in ("balance", "scale", "ecogram"):
        raise Invalid("kind", t("instruments.error.drawing_kind"))
    items = []
    for i in range(ROWS):
        label = v.get(f"i{i}-label", "")
        if not label:
            continue
        if len(label) > 300 or len(v.get(f"i{i}-relation", "")) > 300:
            raise Invalid(f"i{i}-label", t("pages.error.too_long", max=300))
        size = v.get(f"i{i}-size", "1")
        items.append(DrawingItemIn(label=label, side=v.get(f"i{i}-side") if kind != "ecogram" else None,
                                   size=int(size) if size in ("1", "2", "3") else 1,
                                   relation=v.get(f"i{i}-relation") or None,
                                   meaning=v.get(f"i{i}-meaning") if kind == "ecogram" else None))
    if len(v.get("title", "")) > 300:
        raise Invalid("title", t("pages.error.too_long", max=300))
    return DrawingIn(kind=kind, items=items, title=v.get("title") or None,  # type: ignore[arg-type]  # form values, checked by msgspec in the service
                     life_domain=v.get("life_domain") or None)


def _helpers(request: Request[Any, Any, Any]) -> dict[str, Any]:
    lang = page_language(request)
    return {"svg": lambda d: drawing_svg(d, lang), "words": lambda d: drawings.text_alternative(d, lang),
            "rows": range(ROWS)}


async def _staff_page(db: AsyncSession, request: Request[Any, Any, Any], workspace_id: uuid.UUID, status: int = 200,
                      error: str | None = None, form: dict[str, str] | None = None) -> Template:
    actor = require_staff(request)
    ws = await get_workspace(db, actor, workspace_id)
    js = await db.get(Jobseeker, ws.jobseeker_id)
    return render(request, "instruments/drawings.html", status=status, ws=ws, js=js, error=error, form=form or {},
                  drawings=await drawings.list_drawings(db, actor, ws.id), domains=LIFE_DOMAINS, **_helpers(request))


@get("/workspaces/{workspace_id:uuid}/tekeningen", guards=[staff])
async def staff_drawings(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Template:
    """The drawings of a workspace."""
    return await _staff_page(db, request, workspace_id)


@post("/workspaces/{workspace_id:uuid}/tekeningen", guards=[staff])
async def staff_drawing_save(request: Request[Any, Any, Any], db: AsyncSession,
                             workspace_id: uuid.UUID) -> Template | Redirect:
    """Save a drawing made together."""
    actor = require_staff(request)
    v = {k: (val or "").strip() for k, val in (await request.form()).items()}
    try:
        await drawings.save_drawing(db, actor, workspace_id, _from_form(v))
    except (Invalid, ConsentMissing) as exc:
        await db.rollback()
        msg = exc.detail if isinstance(exc, Invalid) else t(
            "error.consent_missing", page_language(request), agency=exc.agency_name,
            purpose=t(f"purpose.{exc.purpose}", page_language(request)),
            domain=t(f"domain.{exc.life_domain}", page_language(request)))
        return await _staff_page(db, request, workspace_id, 422 if isinstance(exc, Invalid) else 409, msg, v)
    return Redirect(f"/workspaces/{workspace_id}/tekeningen")


async def _portal_page(db: AsyncSession, request: Request[Any, Any, Any], status: int = 200,
                       error: str | None = None, form: dict[str, str] | None = None) -> Template:
    actor = require_jobseeker(request)
    assert actor.workspace_id is not None
    session = request.scope.get("session")
    flash = session.pop("flash", None) if isinstance(session, dict) else None
    return render(request, "instruments/portal_drawings.html", status=status, error=error, form=form or {},
                  flash=flash, drawings=await drawings.list_drawings(db, actor, actor.workspace_id),
                  **_helpers(request))


@get("/tekeningen", guards=[signed_in])
async def my_drawings(request: Request[Any, Any, Any], db: AsyncSession) -> Template:
    """My drawings, and a new one."""
    return await _portal_page(db, request)


@post("/tekeningen", guards=[signed_in])
async def my_drawing_save(request: Request[Any, Any, Any], db: AsyncSession) -> Template | Redirect:
    """Save a drawing I made (with my counsellor or alone)."""
    actor = require_jobseeker(request)
    assert actor.workspace_id is not None
    v = {k: (val or "").strip() for k, val in (await request.form()).items()}
    v.pop("life_domain", None)
    try:
        await drawings.save_drawing(db, actor, actor.workspace_id, _from_form(v))
    except Invalid as exc:
        return await _portal_page(db, request, 422, exc.detail, v)
    set_flash(request, t("instruments.portal.drawing_saved", page_language(request)))
    return Redirect("/portal/tekeningen")


DRAWING_PAGES = page_router("/", [staff_drawings, staff_drawing_save])
PORTAL_DRAWING_PAGES = page_router("/portal", [my_drawings, my_drawing_save])

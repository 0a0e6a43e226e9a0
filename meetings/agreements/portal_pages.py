"""The job seeker's own agreements in the portal."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.domains import LIFE_DOMAINS
from w2.consent.policy import log_access, today
from w2.consent.portal_service import involved
from w2.meetings.agreements.models import Agreement
from w2.meetings.agreements.portal import agreements_for, shared_progress
from w2.meetings.agreements.schemas import AgreementPatch
from w2.meetings.agreements.service import update_agreement
from w2.platform.auth import signed_in
from w2.platform.errors import NotFound
from w2.platform.i18n import t
from w2.platform.page_kit import page_language, render, require_jobseeker
from w2.platform.portal_kit import local_tz, own_workspace, portal_router, take_flash

NOTE_MAX = 1000


def _said(request: Request[Any, Any, Any]) -> dict[str, str]:
    session = request.scope.get("session")
    said = session.pop("said", None) if isinstance(session, dict) else None
    return said if isinstance(said, dict) else {}


async def _page(request: Request[Any, Any, Any], db: AsyncSession, status: int = 200,
                errors: dict[str, str] | None = None, values: dict[str, str] | None = None) -> Template:
    actor = require_jobseeker(request)
    ws, _ = await own_workspace(db, actor)
    rows = await agreements_for(db, actor, ws.id)
    names = {m.agency_id: m.agency_name for m in await involved(db, ws.id)}
    await log_access(db, actor, action="read", resource_type="agreements", workspace_id=ws.id)
    groups = [(d, [a for a in rows if a.life_domain == d]) for d in LIFE_DOMAINS]
    return render(request, "portal/agreements.html", status=status, agreements=rows,
                  groups=[(d, items) for d, items in groups if items], names=names, flash=take_flash(request),
                  shared=await shared_progress(db, rows),
                  tz=local_tz(), today=today(), said=_said(request), errors=errors or {}, values=values or {})


@get("/afspraken", guards=[signed_in])
async def agreements_page(request: Request[Any, Any, Any], db: AsyncSession) -> Template:
    """My agreements, per part of my life: who does what, by when."""
    return await _page(request, db)


@post("/afspraken/{agreement_id:uuid}", guards=[signed_in])
async def own_progress(request: Request[Any, Any, Any], db: AsyncSession, agreement_id: uuid.UUID) -> Template | Redirect:
    """Mark one of my own agreements done, or say it does not work out, with a short note."""
    actor = require_jobseeker(request)
    form = await request.form()
    status, note = form.get("status") or "", (form.get("note") or "").replace("\r\n", "\n").strip()
    lang = page_language(request)
    row = await db.get(Agreement, agreement_id)
    if row is None or row.workspace_id != actor.workspace_id or row.owner_kind != "jobseeker":
        # Another workspace's agreement, or one that someone else does: not theirs to mark.
        raise NotFound(t("portal.agreements.error.not_yours", lang))
    anchor = f"a-{agreement_id}"
    error = None
    if status not in ("done", "not_achieved", "in_progress"):
        error = t("portal.form.choose", lang)
    elif status == "not_achieved" and not note:
        error = t("portal.agreements.error.why", lang)
    elif len(note) > NOTE_MAX:
        error = t("portal.form.too_long", lang, max=NOTE_MAX, now=len(note))
    if error:
        return await _page(request, db, status=422, errors={anchor: error}, values={anchor: note})
    patch = msgspec.convert({"status": status, **({"note": note} if note else {})}, AgreementPatch)
    await update_agreement(db, actor, agreement_id, patch)
    session = request.scope.get("session")
    if isinstance(session, dict):
        session["said"] = {"text": t(f"portal.agreements.marked_{status}", lang), "at": anchor}
    return Redirect(f"/portal/afspraken#{anchor}")


PORTAL_AGREEMENT_PAGES = portal_router([agreements_page, own_progress])

"""Coordinator pages: create a workspace (with the knipperlichtenlijst), its short overview and the sign-in link."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.meetings.agreements.service import list_workspace_agreements
from w2.meetings.home_page import home
from w2.meetings.service import list_meetings
from w2.meetings.workspace_kit import form_values, head, members_of, pivots_of, saved_then
from w2.meetings.workspace_sections import SECTION_PAGES
from w2.platform import rrn
from w2.platform import schemas as s
from w2.platform.auth import staff
from w2.platform.errors import Conflict, Invalid
from w2.platform.i18n import t
from w2.platform.models import Confidant
from w2.platform.page_kit import page_router, render, require_staff
from w2.platform.portal_invitations import INVITE_CHANNELS, address_of, invite, masked
from w2.platform.screening import RUBRICS, assess
from w2.platform.workspaces import create_workspace

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()./-]{6,30}$")
JS_LANGUAGES = {"nl": "Nederlands", "fr": "Frans", "en": "Engels", "de": "Duits", "ar": "Arabisch",
                "tr": "Turks", "pl": "Pools", "ro": "Roemeens"}
FIELDS = ("given_name", "family_name", "birth_date", "national_number", "email", "phone", "preferred_language")


def _check_jobseeker(v: dict[str, Any]) -> tuple[dict[str, str], s.JobseekerIn | None]:
    """Validate every field at once, so the person sees all problems in one go."""
    e: dict[str, str] = {}
    for f in ("given_name", "family_name"):
        if not v.get(f):
            e[f] = t("pages.error.required")
        elif len(v[f]) > 200:
            e[f] = t("pages.error.too_long", max=200)
    birth = None
    if v.get("birth_date"):
        try:
            birth = date.fromisoformat(v["birth_date"])
            if birth > date.today() or birth.year < 1900:
                e["birth_date"] = t("pages.error.birth_date")
        except ValueError:
            e["birth_date"] = t("pages.error.date")
    if v.get("national_number"):
        number = rrn.normalize(v["national_number"])
        if number is None:
            e["national_number"] = t("error.national_number")
        elif birth and not rrn.birth_date_matches(number, birth):
            e["national_number"] = t("error.national_number_birth")
    if v.get("email") and not EMAIL.match(v["email"]):
        e["email"] = t("pages.error.email")
    if v.get("phone") and not PHONE.match(v["phone"]):
        e["phone"] = t("pages.error.phone")
    if (v.get("preferred_language") or "nl") not in JS_LANGUAGES:
        e["preferred_language"] = t("error.language")
    if e:
        return e, None
    return e, s.JobseekerIn(given_name=v["given_name"], family_name=v["family_name"], birth_date=birth,
                            national_number=v.get("national_number") or None, email=v.get("email") or None,
                            phone=v.get("phone") or None, preferred_language=v.get("preferred_language") or "nl")


def _new_page(request: Request[Any, Any, Any], values: dict[str, Any], errors: dict[str, str],
              status: int = 200, show_result: bool = False) -> Template:
    checked = set(values.get("indicators") or [])
    summary = [(f"f-{k}" if k in FIELDS else "f-given_name", errors[k])
               for k in sorted(errors, key=lambda k: FIELDS.index(k) if k in FIELDS else 0)]
    return render(request, "workspace/new.html", status=status, v=values, errors=errors, summary=summary,
                  rubrics=RUBRICS,
                  checked=checked, assessment=assess(checked) if show_result else None, languages=JS_LANGUAGES)


@get("/workspaces/nieuw", guards=[staff])
async def new_workspace_page(request: Request[Any, Any, Any]) -> Template:
    """The create form with the screening aid."""
    require_staff(request)
    return _new_page(request, {"preferred_language": "nl"}, {})


@post("/workspaces/nieuw", guards=[staff])
async def new_workspace_submit(request: Request[Any, Any, Any], db: AsyncSession) -> Template | Redirect:
    """'Bereken' shows the screening; 'Maak' creates the workspace. Errors keep every value."""
    actor = require_staff(request)
    v = await form_values(request)
    if v.get("action") == "screen":
        return _new_page(request, v, {}, show_result=True)
    errors, data = _check_jobseeker(v)
    if data is None:
        return _new_page(request, v, errors, status=422, show_result=bool(v.get("indicators")))
    try:
        ws = await create_workspace(db, actor, s.WorkspaceIn(jobseeker=data))
    except Invalid as exc:
        field = exc.extra["errors"][0]["key"].rsplit(".", 1)[-1]
        return _new_page(request, v, {field: exc.detail}, status=422)
    # The screening is an aid for this conversation; it is not stored (only what the case needs is kept).
    # The next step is always adding the services around the job seeker: land there, not on the overview.
    return saved_then(request, "created", f"/workspaces/{ws.id}/diensten")


async def overview_with(db: AsyncSession, request: Request[Any, Any, Any], workspace_id: uuid.UUID,
                        status: int = 200, **extra: Any) -> Template:
    """The short overview: who is involved, what comes next, what is overdue, open requests of the job seeker."""
    actor = require_staff(request)
    top = await head(db, request, workspace_id)
    ws, js = top["ws"], top["js"]
    # Agreements: only domains this agency may read, decided in the query by the consent policy (and logged).
    agreements = await list_workspace_agreements(db, actor, ws.id)
    today = date.today()
    open_ones = [a for a in agreements if a.status in ("open", "in_progress") and a.due_date]
    meetings = await list_meetings(db, actor, ws.id)
    invite_to = {c: masked(c, a) for c in INVITE_CHANNELS if js and (a := address_of(js, c))}
    confidants = list(await db.scalars(select(Confidant).where(Confidant.workspace_id == ws.id,
                                                             Confidant.removed_at.is_(None))))
    if extra.get("invite_error"):
        top["errors"] = [("invite-channel" if invite_to else "portaal", extra["invite_error"])]
    return render(request, "workspace/overview.html", status=status, section="overview", **top,
                  members=await members_of(db, ws.id), pivot=next(iter(await pivots_of(db, ws.id)), None),
                  confidants=confidants,
                  overdue=[a for a in open_ones if a.due_date < today],
                  due_soon=[a for a in open_ones if today <= a.due_date <= today + timedelta(days=14)],
                  upcoming=[m for m in meetings if m.status not in ("finalized", "cancelled")],
                  requests=[m for m in meetings if m.requested_by_kind == "jobseeker" and m.status == "requested"],
                  invite_to=invite_to, may_invite=not actor.is_platform_admin and (
                      actor.has_role("coordinator") or actor.has_role("worker")), **extra)


@get("/workspaces/{workspace_id:uuid}", guards=[staff])
async def workspace_page(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Template:
    """A workspace at a glance."""
    return await overview_with(db, request, workspace_id)


@post("/workspaces/{workspace_id:uuid}/aanmeldlink", guards=[staff])
async def portal_invite_submit(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Template:
    """Send the job seeker a sign-in link on their own phone or mail; the page shows only where it went."""
    actor = require_staff(request)
    channel = (await form_values(request)).get("channel", "")
    if channel not in INVITE_CHANNELS:
        return await overview_with(db, request, workspace_id, status=422,
                                   invite_error=t("pages.error.choose_channel"))
    try:
        inv = await invite(db, actor, workspace_id, channel)
    except Conflict as exc:
        return await overview_with(db, request, workspace_id, status=409, invite_error=exc.detail)
    return await overview_with(db, request, workspace_id, invite_notice=t("portal_invite.sent", sent_to=inv.sent_to))


WORKSPACE_PAGES = page_router("/", [home, new_workspace_page, new_workspace_submit, workspace_page, portal_invite_submit,
                                    *SECTION_PAGES])

"""Coordinator pages: create a workspace (with the knipperlichtenlijst) and the workspace overview."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.domains import LIFE_DOMAINS, PURPOSES
from w2.consent.questions import readable_questions
from w2.consent.service import consent_grid
from w2.meetings.agreements.service import list_workspace_agreements
from w2.meetings.service import list_meetings
from w2.platform import rrn
from w2.platform import schemas as s
from w2.platform.auth import staff
from w2.platform.errors import Conflict, Invalid
from w2.platform.i18n import t
from w2.platform.models import QUESTION_TYPES, Agency, Confidant, Jobseeker, Membership, PivotAssignment, User
from w2.platform.page_kit import page_router, render, require_staff
from w2.platform.portal_invitations import INVITE_CHANNELS, address_of, invite, masked
from w2.platform.screening import RUBRICS, assess
from w2.platform.visibility import contact_visible
from w2.platform.workspaces import add_member, create_workspace, get_workspace, set_pivot

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()./-]{6,30}$")
JS_LANGUAGES = {"nl": "Nederlands", "fr": "Frans", "en": "Engels", "de": "Duits", "ar": "Arabisch",
                "tr": "Turks", "pl": "Pools", "ro": "Roemeens"}
FIELDS = ("given_name", "family_name", "birth_date", "national_number", "email", "phone", "preferred_language")


async def _form(request: Request[Any, Any, Any]) -> dict[str, Any]:
    form = await request.form()
    return {k: form.getall(k) if k == "indicators" else (form.get(k) or "").strip() for k in form}


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
    return render(request, "workspace/new.html", status=status, v=values, errors=errors, rubrics=RUBRICS,
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
    v = await _form(request)
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
    return Redirect(f"/workspaces/{ws.id}")


async def overview_with(db: AsyncSession, request: Request[Any, Any, Any], workspace_id: uuid.UUID,
                    **extra: Any) -> Template:
    actor = require_staff(request)
    ws = await get_workspace(db, actor, workspace_id)
    js = await db.get(Jobseeker, ws.jobseeker_id)
    agencies = {a.id: a for a in await db.scalars(select(Agency).order_by(Agency.name))}
    members = list((await db.execute(
        select(Membership, User).outerjoin(User, User.id == Membership.contact_user_id)
        .where(Membership.workspace_id == ws.id).order_by(Membership.created_at))).all())
    member_ids = [m.agency_id for m, _ in members]
    pivots = list((await db.execute(
        select(PivotAssignment, User).join(User, User.id == PivotAssignment.user_id)
        .where(PivotAssignment.workspace_id == ws.id).order_by(PivotAssignment.since.desc()))).all())
    confidants = list(await db.scalars(select(Confidant).where(Confidant.workspace_id == ws.id,
                                                             Confidant.removed_at.is_(None))))
    grid: dict[tuple[Any, str], set[str]] = {}
    for agency_id, purposes in (await consent_grid(db, ws.id)).items():
        for purpose, domains in purposes.items():
            for domain in domains:
                grid.setdefault((agency_id, domain), set()).add(purpose)
    # Agreements: only domains this agency may read, decided in the query by the consent policy (and logged).
    agreements = await list_workspace_agreements(db, actor, ws.id)
    readable = {d for (a, d), p in grid.items() if a == actor.agency_id and "information_sharing" in p}
    by_domain = {d: [a for a in agreements if a.life_domain == d] for d in LIFE_DOMAINS}
    candidates = list(await db.scalars(select(User).where(User.agency_id.in_(member_ids), User.active.is_(True))
                                       .order_by(User.name)))
    is_coordinator = actor.agency_id == ws.coordinating_agency_id and actor.has_role("coordinator")
    # Where a sign-in link can go, masked: the page never holds the address's link, only its destination.
    invite_to = {c: masked(c, a) for c in INVITE_CHANNELS if js and (a := address_of(js, c))}
    may_invite = not actor.is_platform_admin and (actor.has_role("coordinator") or actor.has_role("worker"))
    may_contact = bool(await db.scalar(select(contact_visible(actor, ws.id))))
    return render(request, "workspace/overview.html", status=extra.pop("status", 200), ws=ws, js=js,
                  may_contact=may_contact, questions=await readable_questions(db, actor, ws.id),
                  agencies=agencies, members=members, pivots=pivots, confidants=confidants, grid=grid,
                  domains=LIFE_DOMAINS, purposes=PURPOSES, by_domain=by_domain, readable=readable,
                  candidates=candidates, question_types=QUESTION_TYPES, is_coordinator=is_coordinator,
                  invite_to=invite_to, may_invite=may_invite,
                  meetings=await _meetings(db, actor, ws.id),
                  **{"member_form": {}, "member_errors": {}, "meeting_form": {}, **extra})


async def _meetings(db: AsyncSession, actor: Any, workspace_id: uuid.UUID) -> list[Any]:

    return await list_meetings(db, actor, workspace_id)


@get("/workspaces/{workspace_id:uuid}", guards=[staff])
async def workspace_page(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Template:
    """A workspace at a glance."""
    return await overview_with(db, request, workspace_id)


@post("/workspaces/{workspace_id:uuid}/leden", guards=[staff])
async def add_member_submit(request: Request[Any, Any, Any], db: AsyncSession,
                            workspace_id: uuid.UUID) -> Template | Redirect:
    """Add an agency with its question (individuele sociale kaart)."""
    actor = require_staff(request)
    v = await _form(request)
    errors: dict[str, str] = {}
    agency_id = contact_id = None
    try:
        agency_id = uuid.UUID(v.get("agency_id", ""))
    except ValueError:
        errors["agency_id"] = t("pages.error.choose_agency")
    if v.get("contact_user_id"):
        try:
            contact_id = uuid.UUID(v["contact_user_id"])
        except ValueError:
            errors["contact_user_id"] = t("error.user_not_found")
    if v.get("question_type") not in QUESTION_TYPES:
        errors["question_type"] = t("pages.error.question_type")
    if len(v.get("question", "")) > 2000:
        errors["question"] = t("pages.error.too_long", max=2000)
    if v.get("life_domain", "other") not in LIFE_DOMAINS:
        errors["life_domain"] = t("pages.error.domain")
    if not errors and agency_id is not None:
        try:
            await add_member(db, actor, workspace_id, s.MemberIn(
                agency_id=agency_id, contact_user_id=contact_id, question_type=v["question_type"],
                question=v.get("question") or None, life_domain=v.get("life_domain") or "other"))
            return Redirect(f"/workspaces/{workspace_id}#leden")
        except (Invalid, Conflict) as exc:
            key = exc.extra.get("errors", [{}])[0].get("key", "agency_id") if exc.extra else "agency_id"
            errors[key] = exc.detail
    return await overview_with(db, request, workspace_id, status=422, member_form=v, member_errors=errors)


@post("/workspaces/{workspace_id:uuid}/spilfiguur", guards=[staff])
async def pivot_submit(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Template | Redirect:
    """Change the pivot; the history keeps the previous one."""
    actor = require_staff(request)
    v = await _form(request)
    try:
        user_id = uuid.UUID(v.get("user_id", ""))
        witness = uuid.UUID(v["witness_user_id"]) if v.get("witness_user_id") else None
        # Staff propose; only with a witness does a choice made at the counter count as the job seeker's.
        await set_pivot(db, actor, workspace_id, s.PivotIn(user_id=user_id, chosen_by_jobseeker=witness is not None,
                                                           witness_user_id=witness))
    except ValueError:
        return await overview_with(db, request, workspace_id, status=422, member_form={}, member_errors={},
                               pivot_error=t("pages.error.choose_person"))
    except Invalid as exc:
        return await overview_with(db, request, workspace_id, status=422, member_form={}, member_errors={},
                               pivot_error=exc.detail)
    return Redirect(f"/workspaces/{workspace_id}#spilfiguur")


@post("/workspaces/{workspace_id:uuid}/aanmeldlink", guards=[staff])
async def portal_invite_submit(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Template:
    """Send the job seeker a sign-in link on their own phone or mail; the page shows only where it went."""
    actor = require_staff(request)
    channel = (await _form(request)).get("channel", "")
    if channel not in INVITE_CHANNELS:
        return await overview_with(db, request, workspace_id, status=422, invite_error=t("pages.error.choose_channel"))
    try:
        inv = await invite(db, actor, workspace_id, channel)
    except Conflict as exc:
        return await overview_with(db, request, workspace_id, status=409, invite_error=exc.detail)
    return await overview_with(db, request, workspace_id, invite_notice=t("portal_invite.sent", sent_to=inv.sent_to))


WORKSPACE_PAGES = page_router("/", [new_workspace_page, new_workspace_submit, workspace_page, add_member_submit,
                                    pivot_submit, portal_invite_submit])

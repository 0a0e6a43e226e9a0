"""Partner pages: "onze afspraken" (my agency's agreements across workspaces) and the personal ICS feed."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import msgspec
from litestar import Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.domains import LIFE_DOMAINS
from w2.consent.policy import today
from w2.meetings import work_list
from w2.meetings.agreements.models import AGREEMENT_STATUSES
from w2.meetings.agreements.schemas import AgreementPatch, CancelIn, OwnerIn
from w2.meetings.agreements.service import (
    cancel_agreement,
    get_agreement,
    hidden_own_counts,
    update_agreement,
)
from w2.meetings.feed import calendar_for_user, feed_owner, feed_url, meetings_for_user, rotate_feed
from w2.meetings.scheduling import caller_invitation
from w2.platform.auth import public, staff
from w2.platform.db.base import utcnow
from w2.platform.errors import ConsentMissing, Forbidden, NotFound, W2Error, consent_missing_text
from w2.platform.i18n import t
from w2.platform.models import User
from w2.platform.page_kit import page_router, render, require_staff
from w2.platform.portal_kit import set_flash, take_flash
from w2.platform.settings import get_settings

OPEN_STATUSES = ("open", "in_progress")
NOTE_MAX = 2000
TEXT_MAX = 5000


class UpdateForm(msgspec.Struct):
    """Status change and/or a progress note."""

    status: str = ""
    note: str = ""


class EditForm(msgspec.Struct):
    """New text, due date and owner (an agency id; empty keeps the owner) of an agreement."""

    description: str = ""
    due_date: str = ""
    owner: str = ""


class CancelForm(msgspec.Struct):
    """Why the agreement is struck."""

    reason: str = ""


FIELD_IDS = {"status": "st", "note": "no", "edit_description": "ed", "edit_due_date": "dd", "edit_owner": "ow",
             "cancel_reason": "cr"}


def webcal_url(url: str) -> str:
    """The same feed as a webcal:// link, which calendar apps open as a subscription."""
    return "webcal://" + url.split("://", 1)[1]


def _parse_filters(request: Request[Any, Any, Any]) -> tuple[dict[str, str], dict[str, str]]:
    qp = request.query_params
    values = {k: qp.get(k) or "" for k in ("status", "view", "domain", "person")}
    errors: dict[str, str] = {}
    if values["status"] and values["status"] not in AGREEMENT_STATUSES:
        errors["status"] = t("pages.error.status")
    if values["view"] and values["view"] not in work_list.VIEWS:
        errors["view"] = t("pages.worklist.error_view")
    if values["domain"] and values["domain"] not in LIFE_DOMAINS:
        errors["domain"] = t("pages.error.domain")
    if values["person"] and not work_list.person_filter_ok(values["person"]):
        errors["person"] = t("pages.worklist.error_person")
    return values, errors


async def _page(request: Request[Any, Any, Any], db: AsyncSession, status_code: int = 200,
                form_errors: dict[str, str] | None = None, form_values: dict[str, str] | None = None,
                form_for: str | None = None) -> Template:
    actor = require_staff(request)
    values, errors = _parse_filters(request)
    listing = None
    if not errors:
        listing = await work_list.build(db, actor, **values)
    flash = take_flash(request)
    upcoming = [m for m in await meetings_for_user(db, await db.get(User, actor.user_id))
                if m.starts_at and m.starts_at >= utcnow() and m.status == "scheduled"] if actor.user_id else []
    feed = await feed_url(db, actor.user_id) if actor.user_id else None
    # One error summary for the filters and the row forms; each link lands in its field.
    summary = [(f"f-{k}", v) for k, v in errors.items()] + [
        (f"{FIELD_IDS.get(k, 'st')}-{form_for}", v) for k, v in (form_errors or {}).items()]
    return render(request, "partner/agreements.html", upcoming=upcoming, summary_errors=summary, tz=ZoneInfo(get_settings().timezone),
                  status=status_code, listing=listing, filters=values, filter_errors=errors,
                  statuses=AGREEMENT_STATUSES, domains=LIFE_DOMAINS, today=today(), may_edit=work_list.may_edit(actor),
                  feed_url=feed, flash=flash, webcal_url=webcal_url(feed) if feed else None,
                  form_errors=form_errors or {}, form_values=form_values or {}, form_for=form_for,
                  hidden_counts=await hidden_own_counts(db, actor))


async def _editable(request: Request[Any, Any, Any], db: AsyncSession, agreement_id: uuid.UUID) -> tuple[Any, Any]:
    """The signed-in worker and the agreement they may change (403 for read-only roles, 404 without consent)."""
    actor = require_staff(request)
    if not work_list.may_edit(actor):
        raise Forbidden(t("pages.worklist.read_only"))
    return actor, await get_agreement(db, actor, agreement_id)


@get("/afspraken", guards=[staff])
async def our_agreements(request: Request[Any, Any, Any], db: AsyncSession) -> Template:
    """Onze afspraken: my agency's agreements across workspaces."""
    return await _page(request, db)


@post("/afspraken/{agreement_id:uuid}", guards=[staff])
async def update_agreement_page(
    request: Request[Any, Any, Any], db: AsyncSession, agreement_id: uuid.UUID,
    data: Annotated[UpdateForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    """Change the status and/or add a progress note; bad input comes back with the values kept."""
    actor, agreement = await _editable(request, db, agreement_id)
    errors: dict[str, str] = {}
    note = data.note.strip()
    if data.status and data.status not in AGREEMENT_STATUSES:
        errors["status"] = t("pages.error.status")
    if len(note) > NOTE_MAX:
        errors["note"] = t("pages.error.note_too_long", max=NOTE_MAX)
    if not errors and (not data.status or data.status == agreement.status) and not note:
        errors["note"] = t("pages.error.nothing_changed")
    if errors:
        return await _page(request, db, 422, errors, {"status": data.status, "note": data.note},
                           str(agreement_id))
    patch = AgreementPatch(status=data.status or msgspec.UNSET, note=note or msgspec.UNSET)
    await update_agreement(db, actor, agreement.id, patch)
    set_flash(request, t("pages.agreements.saved"))
    return Redirect(f"/afspraken#a-{agreement.id}")


@post("/afspraken/{agreement_id:uuid}/wijzig", guards=[staff])
async def edit_agreement_page(
    request: Request[Any, Any, Any], db: AsyncSession, agreement_id: uuid.UUID,
    data: Annotated[EditForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    """Change the text and due date; bad input comes back with the values kept and nothing saved."""
    actor, agreement = await _editable(request, db, agreement_id)
    errors: dict[str, str] = {}
    text = data.description.strip()
    due: date | None = None
    if not text:
        errors["edit_description"] = t("pages.error.required")
    elif len(text) > TEXT_MAX:
        errors["edit_description"] = t("pages.error.too_long", max=TEXT_MAX)
    if data.due_date:
        try:
            due = date.fromisoformat(data.due_date)
        except ValueError:
            errors["edit_due_date"] = t("pages.error.date")
    owner: OwnerIn | msgspec.UnsetType = msgspec.UNSET
    if data.owner and data.owner != str(agreement.owner_agency_id):
        if not work_list.person_filter_ok(data.owner):
            errors["edit_owner"] = t("pages.error.choose_owner")
        else:
            owner = OwnerIn(kind="agency", agency_id=uuid.UUID(data.owner))
    kept = {"edit_description": data.description, "edit_due_date": data.due_date, "edit_owner": data.owner}
    if errors:
        return await _page(request, db, 422, errors, kept, str(agreement_id))
    try:
        await update_agreement(db, actor, agreement.id, AgreementPatch(description=text, due_date=due, owner=owner))
    except (W2Error, ConsentMissing) as exc:
        await db.rollback()  # nothing is saved: the new owner lacks consent, or is no member
        message = consent_missing_text(exc) if isinstance(exc, ConsentMissing) else exc.detail
        return await _page(request, db, 422, {"edit_owner": message}, kept, str(agreement_id))
    set_flash(request, t("pages.agreements.saved"))
    return Redirect(f"/afspraken#a-{agreement.id}")


@post("/afspraken/{agreement_id:uuid}/schrap", guards=[staff])
async def cancel_agreement_page(
    request: Request[Any, Any, Any], db: AsyncSession, agreement_id: uuid.UUID,
    data: Annotated[CancelForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    """Strike an agreement with a reason; without a reason nothing changes and the form says why."""
    actor, agreement = await _editable(request, db, agreement_id)
    reason = data.reason.strip()
    error = t("pages.error.cancel_reason") if not reason else (
        t("pages.error.too_long", max=NOTE_MAX) if len(reason) > NOTE_MAX else None)
    if error is None:
        try:
            await cancel_agreement(db, actor, agreement.id, CancelIn(reason=reason))
        except W2Error as exc:
            await db.rollback()
            error = exc.detail
    if error is not None:
        return await _page(request, db, 422, {"cancel_reason": error}, {"cancel_reason": data.reason},
                           str(agreement_id))
    set_flash(request, t("pages.agreements.cancelled"))
    return Redirect("/afspraken")


@get("/agenda/{user_id:uuid}/{token:str}", guards=[public])
async def ics_feed(db: AsyncSession, user_id: uuid.UUID, token: str) -> Response[bytes]:
    """The user's round tables as an iCalendar feed: times, places and links only, no case content."""
    user = await feed_owner(db, user_id, token[:-4]) if token.endswith(".ics") else None
    if user is None:
        raise NotFound(t("pages.error.feed_not_found"))
    body = await calendar_for_user(db, user)
    return Response(body, media_type="text/calendar",
                    headers={"Content-Disposition": 'inline; filename="w2-overleg.ics"'})


@post("/agenda/nieuw", guards=[staff])
async def new_feed_link(request: Request[Any, Any, Any], db: AsyncSession) -> Redirect:
    """Replace my calendar address: the old one answers 404 from now on (a forwarded or lost link)."""
    actor = require_staff(request)
    if actor.user_id is None:
        raise Forbidden(t("pages.feed.no_user"))
    await rotate_feed(db, actor.user_id)
    set_flash(request, t("pages.feed.renewed"))
    return Redirect("/afspraken#agenda")


@get("/meetings/{meeting_id:uuid}/uitnodiging.ics", guards=[staff])
async def my_invitation(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Response[bytes]:
    """My own invitation for one round table, to add to a calendar."""
    body = await caller_invitation(db, require_staff(request), meeting_id)
    return Response(body, media_type="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="w2-overleg.ics"'})


PARTNER_PAGES = page_router("/", [our_agreements, update_agreement_page, edit_agreement_page, cancel_agreement_page,
                                  ics_feed, new_feed_link,
                                  my_invitation])

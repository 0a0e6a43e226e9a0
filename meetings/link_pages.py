"""The public personal link page: answer the poll or reply to the invitation without an account."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from w2.meetings import schemas as s
from w2.meetings.poll import link_answer, link_view, when_range
from w2.platform.auth import public
from w2.platform.errors import W2Error
from w2.platform.i18n import t

TEMPLATE = "meetings/link.html"


def _context(view: s.LinkViewOut | None, **extra: Any) -> dict[str, Any]:
    ctx: dict[str, Any] = {"t": t, "view": view, "error": None, "saved": False, "missing": None, **extra}
    if view is not None:
        ctx["slots"] = [{"id": x.id, "when": when_range(x.starts_at, x.ends_at), "location": x.location,
                         "answer": x.answer} for x in view.slots]
        ctx["when"] = when_range(view.starts_at, view.ends_at) if view.starts_at and view.ends_at else ""
    return ctx


def _error(exc: W2Error) -> Template:
    return Template(TEMPLATE, context=_context(None, error=exc.detail), status_code=exc.status)


@get("/m/{token:str}", guards=[public], include_in_schema=False)
async def link_page(token: str, db: AsyncSession) -> Template:
    """Show the slots (or the fixed moment) of the person's meeting: date, time and place only."""
    try:
        view = await link_view(db, token)
    except W2Error as exc:
        return _error(exc)
    return Template(TEMPLATE, context=_context(view))


@post("/m/{token:str}", guards=[public], include_in_schema=False)
async def link_submit(token: str, request: Request[Any, Any, Any], db: AsyncSession) -> Template:
    """Store the answers from the form."""
    form = await request.form()
    votes = [{"slot_id": k.removeprefix("slot_"), "answer": v} for k, v in form.items() if k.startswith("slot_")]
    raw: dict[str, Any] = {"votes": votes}
    if form.get("rsvp"):
        raw["rsvp"] = form.get("rsvp")
    if not votes and not form.get("rsvp"):
        # Nothing chosen: say so next to the form instead of thanking for an answer never given.
        try:
            view = await link_view(db, token)
        except W2Error as exc:
            return _error(exc)
        key = "meetings.page.nothing_chosen" if view.status == "polling" else "meetings.page.nothing_chosen_rsvp"
        return Template(TEMPLATE, context=_context(view, missing=t(key)), status_code=422)
    try:
        data = msgspec.convert(raw, s.LinkAnswerIn)
    except msgspec.ValidationError:
        return _error(W2Error(t("error.validation")))
    try:
        view = await link_answer(db, token, data)
    except W2Error as exc:
        return _error(exc)
    return Template(TEMPLATE, context=_context(view, saved=True))


PAGES = [link_page, link_submit]

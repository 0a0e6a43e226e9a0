"""The job seeker's own round-table pages: ask for one, see it, say who comes, add their voice, vote."""

from __future__ import annotations

import uuid
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.meetings import checkin
from w2.meetings import portal_service as svc
from w2.meetings.scheduling import caller_invitation
from w2.meetings.service import OPEN, list_meetings, meeting_out
from w2.platform.auth import signed_in
from w2.platform.db.base import utcnow
from w2.platform.errors import Invalid, NotFound, W2Error
from w2.platform.i18n import t
from w2.platform.models import Confidant
from w2.platform.page_kit import form_fields, page_language, page_router, render, require_jobseeker
from w2.platform.settings import get_settings

ASK_FIELDS = {"reason": True, "goal": True, "wished_people": False, "at_ease": False}
VOICE_FIELDS = {"questions": False, "agenda": False, "at_ease": False, "wished_people": False}


async def _form(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return await form_fields(request, multi=("needs",), strip=False)


def _say(request: Request[Any, Any, Any], key: str, anchor: str, **params: Any) -> None:
    """A short confirmation shown next to the control that was used (role=status there)."""
    session = request.scope.get("session")
    if isinstance(session, dict):
        session["said"] = {"text": t(key, page_language(request), **params), "at": anchor}


def _said(request: Request[Any, Any, Any]) -> dict[str, str]:
    session = request.scope.get("session")
    said = session.pop("said", None) if isinstance(session, dict) else None
    return said if isinstance(said, dict) else {}


def _uuid(raw: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None


def _tz() -> ZoneInfo:
    return ZoneInfo(get_settings().timezone)


def upcoming(m: Any) -> bool:
    """Still to come: open, and not past its end (held and finalized meetings are past)."""
    return m.status in OPEN and (m.ends_at is None or m.ends_at >= utcnow())


@get("/overleg", guards=[signed_in])
async def meetings_page(request: Request[Any, Any, Any], db: AsyncSession) -> Template:
    """My round tables: what is still to come, and what was."""
    actor = require_jobseeker(request)
    rows = [m for m in await list_meetings(db, actor, actor.workspace_id) if m.status != "cancelled"]  # type: ignore[arg-type]  # a job seeker always has a workspace_id
    coming = sorted([m for m in rows if upcoming(m)], key=lambda m: (m.starts_at is None, m.starts_at or m.created_at))
    past = [m for m in rows if not upcoming(m)]
    return render(request, "portal/meeting_list.html", coming=coming, past=past, tz=_tz(), said=_said(request))


@get("/overleg/vragen", guards=[signed_in])
async def ask_page(request: Request[Any, Any, Any]) -> Template:
    """A short form: ask for a round table."""
    require_jobseeker(request)
    return render(request, "portal/meeting_ask.html", values={}, errors={})


@post("/overleg/vragen", guards=[signed_in])
async def ask_submit(request: Request[Any, Any, Any], db: AsyncSession) -> Template | Redirect:
    """Send the request to the coordinator; with a mistake, the form comes back and nothing is stored."""
    actor = require_jobseeker(request)
    values = await _form(request)
    data, errors = svc.clean_text(values, ASK_FIELDS, page_language(request))
    if errors:
        return render(request, "portal/meeting_ask.html", status=422, values=values, errors=errors)
    m = await svc.ask_for_meeting(db, actor, {**data, "needs": values.get("needs", [])})
    _say(request, "portal.ask.sent", "top")
    return Redirect(f"/portal/overleg/{m.id}")


async def _detail(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID, status: int = 200,
                  errors: dict[str, str] | None = None, values: dict[str, Any] | None = None) -> Template:
    actor = require_jobseeker(request)
    m = await svc.own_meeting(db, actor, meeting_id)
    out = await meeting_out(db, actor, m)
    answers = {i.id: i.jobseeker_answer for i in await svc.active_invitees(db, m.id)}
    confidants = list(await db.scalars(select(Confidant).where(
        Confidant.workspace_id == m.workspace_id, Confidant.removed_at.is_(None)).order_by(Confidant.created_at)))
    coming = {i.confidant_id for i in out.invitees if i.kind == "confidant"}
    me = next((i for i in out.invitees if i.kind == "jobseeker"), None)
    agreed = bool(out.jobseeker_agreement and out.jobseeker_agreement.current)
    # What was typed in the form that came back, and what is stored for the other forms on the page.
    voice = {"questions": m.jobseeker_questions or "", "agenda": m.jobseeker_agenda or "",
             "at_ease": m.jobseeker_at_ease or "", "wished_people": m.jobseeker_wished_people or "",
             "progress": m.jobseeker_progress or "", **(values or {})}
    return render(request, "portal/meeting.html", status=status, m=out, tz=_tz(), answers=answers,
                  others=[i for i in out.invitees if i.kind == "professional"], confidants=confidants,
                  coming=coming, me=me, agreed=agreed, is_open=m.status in OPEN, voice=voice,
                  errors=errors or {}, said=_said(request),
                  asked_by=await checkin.asked_by(db, m) if m.checkin_asked_at else None,
                  declined=any(a == "no" for a in answers.values()))


@get("/overleg/{meeting_id:uuid}", guards=[signed_in])
async def meeting_page(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Template:
    """One round table: when, where, who; my yes or no per person; my questions; the poll."""
    return await _detail(request, db, meeting_id)


async def _act(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID, anchor: str,
               action: Any) -> Template | Redirect:
    """Do one thing; a refusal rolls back and shows the page with the message next to the control."""
    try:
        await action()
    except W2Error as exc:
        await db.rollback()
        # An id that is not on this page (e.g. another workspace's) gets its message at the top.
        where = "top" if isinstance(exc, NotFound) else anchor
        return await _detail(request, db, meeting_id, status=exc.status, errors={where: exc.detail})
    return Redirect(f"/portal/overleg/{meeting_id}#{anchor}")


@post("/overleg/{meeting_id:uuid}/inbreng", guards=[signed_in])
async def voice_submit(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Template | Redirect:
    """Save my questions and wishes, agenda points and what I need to feel at ease."""
    actor = require_jobseeker(request)
    values = await _form(request)
    data, errors = svc.clean_text(values, VOICE_FIELDS, page_language(request))
    if errors:
        await svc.own_meeting(db, actor, meeting_id)
        return await _detail(request, db, meeting_id, status=422, errors=errors, values=values)

    async def run() -> None:
        await svc.save_voice(db, actor, meeting_id, data)
        _say(request, "portal.meeting.voice_saved", "inbreng")
    return await _act(request, db, meeting_id, "inbreng", run)


@post("/overleg/{meeting_id:uuid}/hoe-gaat-het", guards=[signed_in])
async def checkin_submit(request: Request[Any, Any, Any], db: AsyncSession,
                         meeting_id: uuid.UUID) -> Template | Redirect:
    """My answer to my spilfiguur's "Hoe gaat het? Wat is er verbeterd?" before a follow-up meeting."""
    actor = require_jobseeker(request)
    values = await _form(request)
    data, errors = svc.clean_text(values, {"progress": True}, page_language(request))
    if errors:
        await svc.own_meeting(db, actor, meeting_id)
        return await _detail(request, db, meeting_id, status=422, errors=errors, values=values)

    async def run() -> None:
        m = await svc.own_meeting(db, actor, meeting_id, lock=True)
        await checkin.answer(db, actor, m, str(data["progress"]))
        _say(request, "portal.checkin.saved", "hoe-gaat-het")
    return await _act(request, db, meeting_id, "hoe-gaat-het", run)


@post("/overleg/{meeting_id:uuid}/wie", guards=[signed_in])
async def invitee_submit(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Template | Redirect:
    """Yes or no to one person at the table."""
    actor = require_jobseeker(request)
    values = await _form(request)
    invitee_id = _uuid(values.get("invitee_id"))
    anchor = f"i-{invitee_id}" if invitee_id else "wie"

    async def run() -> None:
        if invitee_id is None:
            raise NotFound(t("meetings.error.invitee_not_found", actor.language))
        inv = await svc.answer_invitee(db, actor, meeting_id, invitee_id, values.get("answer", ""))
        _say(request, f"portal.meeting.answer_{inv.jobseeker_answer}", anchor)
    return await _act(request, db, meeting_id, anchor, run)


@post("/overleg/{meeting_id:uuid}/vertrouwenspersoon", guards=[signed_in])
async def confidant_submit(request: Request[Any, Any, Any], db: AsyncSession,
                           meeting_id: uuid.UUID) -> Template | Redirect:
    """Does one of my confidants come along?"""
    actor = require_jobseeker(request)
    values = await _form(request)
    confidant_id = _uuid(values.get("confidant_id"))
    anchor = f"c-{confidant_id}" if confidant_id else "mee"

    async def run() -> None:
        if confidant_id is None or values.get("comes") not in ("yes", "no"):
            raise NotFound(t("portal.people.error.confidant_unknown", actor.language))
        await svc.bring_confidant(db, actor, meeting_id, confidant_id, values["comes"] == "yes")
        _say(request, f"portal.meeting.confidant_{values['comes']}", anchor)
    return await _act(request, db, meeting_id, anchor, run)


@post("/overleg/{meeting_id:uuid}/stem", guards=[signed_in])
async def vote_submit(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Template | Redirect:
    """My answer for one proposed moment."""
    actor = require_jobseeker(request)
    values = await _form(request)
    slot_id = _uuid(values.get("slot_id"))
    anchor = f"s-{slot_id}" if slot_id else "datum"

    async def run() -> None:
        if slot_id is None:
            raise NotFound(t("meetings.error.slot_not_found", actor.language))
        if values.get("answer") not in ("yes", "maybe", "no"):
            raise Invalid("answer", t("portal.form.choose", actor.language))
        await svc.vote_on_portal(db, actor, meeting_id, slot_id, values["answer"])
        _say(request, "portal.meeting.vote_saved", anchor)
    return await _act(request, db, meeting_id, anchor, run)


@post("/overleg/{meeting_id:uuid}/akkoord", guards=[signed_in])
async def agree_submit(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Template | Redirect:
    """Yes to the round table with these people."""
    actor = require_jobseeker(request)

    async def run() -> None:
        await svc.agree_on_portal(db, actor, meeting_id)
        _say(request, "portal.meetings.agreed", "akkoord")
    return await _act(request, db, meeting_id, "akkoord", run)


@get("/overleg/{meeting_id:uuid}/agenda.ics", guards=[signed_in])
async def calendar_file(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Response[bytes]:
    """The round table for my own calendar app."""
    actor = require_jobseeker(request)
    body = await caller_invitation(db, actor, meeting_id)
    return Response(body, media_type="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="overleg.ics"'})


PORTAL_MEETING_PAGES = page_router("/portal", [
    meetings_page, ask_page, ask_submit, meeting_page, voice_submit, checkin_submit, invitee_submit, confidant_submit, vote_submit,
    agree_submit, calendar_file,
])

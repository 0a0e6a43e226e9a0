"""Round-table wizard pages for the coordinator: request, prepare, invite, poll, schedule, table, finalize."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.domains import LIFE_DOMAINS
from w2.consent.policy import ConsentMissing, readable_domains
from w2.meetings import access, coordination, follow_up, poll, round_table, scheduling, task_list
from w2.meetings import schemas as s
from w2.meetings import service as svc
from w2.meetings.agreements.schemas import AgreementIn
from w2.meetings.agreements.service import create_agreement, list_workspace_agreements
from w2.meetings.models import MeetingSlot
from w2.meetings.workspace_sections import meetings_with
from w2.platform.auth import staff
from w2.platform.db.base import utcnow
from w2.platform.errors import W2Error, consent_missing_text
from w2.platform.i18n import t
from w2.platform.models import Agency, Confidant, Jobseeker, Membership, User, Workspace
from w2.platform.page_kit import form_fields, page_router, render, require_staff
from w2.platform.settings import get_settings

STEPS = ("request", "prepare", "invite", "agree", "poll", "schedule", "table", "finalize")


async def _form(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return await form_fields(request, multi=("practical_needs",))


def _at(day: str, clock: str) -> datetime:
    """A local date and time from the form as an aware datetime."""
    return datetime.combine(date.fromisoformat(day), time.fromisoformat(clock), ZoneInfo(get_settings().timezone))


def _message(exc: Exception) -> str:
    if isinstance(exc, msgspec.ValidationError):
        return t("pages.error.meeting_form")
    if isinstance(exc, ConsentMissing):
        return consent_missing_text(exc)
    if isinstance(exc, ValueError):
        return t("pages.error.date")
    return getattr(exc, "detail", str(exc))


async def _page(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID, status: int = 200,
                step: str | None = None, error: str | None = None, values: dict[str, Any] | None = None) -> Template:
    actor = require_staff(request)
    m = await access.get_meeting(db, actor, meeting_id)
    out = await svc.meeting_out(db, actor, m)
    ws = await db.get(Workspace, m.workspace_id)
    assert ws is not None
    js = await db.get(Jobseeker, ws.jobseeker_id)
    members = list(await db.scalars(select(Membership.agency_id).where(Membership.workspace_id == ws.id)))
    people = list((await db.execute(select(User, Agency).join(Agency, Agency.id == User.agency_id)
                                    .where(User.agency_id.in_(members), User.active.is_(True))
                                    .order_by(Agency.name, User.name))).all())
    confidants = list(await db.scalars(select(Confidant).where(Confidant.workspace_id == ws.id,
                                                             Confidant.removed_at.is_(None))))
    agencies = {a.id: a.name for a in await db.scalars(select(Agency).where(Agency.id.in_(members)))}
    domains = [d for d in LIFE_DOMAINS if d in await readable_domains(db, actor, ws.id)]
    readable = await list_workspace_agreements(db, actor, ws.id)
    agreements = [a for a in readable if a.meeting_id == m.id]
    carried = [a for a in readable if a.id in set(out.carried_agreements)]
    report_ready = m.status == "finalized"
    session = request.scope.get("session")
    saved = session.pop("saved_step", None) if isinstance(session, dict) and status == 200 else None
    return render(request, "meetings/wizard.html", status=status, m=out, ws=ws, js=js, people=people,
                  confidants=confidants, agencies=agencies, domains=domains, all_domains=LIFE_DOMAINS,
                  agreements=agreements, step=step, error=error, values=values or {},
                  is_coordinator=access.is_meeting_coordinator(actor, m, ws),
                  notes={n.life_domain: n.information for n in out.notes}, report_ready=report_ready,
                  note_rows={n.life_domain: n for n in out.notes}, carried=carried, follow_ups=out.follow_ups,
                  tasks=task_list.steps(out, agreements), saved=saved,
                  tz=ZoneInfo(get_settings().timezone), now=utcnow())


async def meeting_page(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID, status: int = 200,
                       step: str | None = None, error: str | None = None,
                       values: dict[str, Any] | None = None) -> Template:
    """The round-table page, with a refusal shown next to its step (on a closed meeting: next to its closing)."""
    m = await access.get_meeting(db, require_staff(request), meeting_id)
    if error and m.status == "finalized":
        step = "finalize"  # the other steps show no forms any more: the message goes where the next step is
    return await _page(request, db, meeting_id, status, step, error, values)


async def _run(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID, step: str,
               action: Any) -> Template | Redirect:
    """Do one wizard step; a refusal rolls everything back and shows the form again with its values."""
    values = await _form(request)
    try:
        await action(values)
    except (W2Error, ConsentMissing, msgspec.ValidationError, ValueError) as exc:
        await db.rollback()
        return await meeting_page(request, db, meeting_id, 422, step, _message(exc), values)
    session = request.scope.get("session")
    if isinstance(session, dict):
        session["saved_step"] = step  # shown once, next to what changed
    return Redirect(f"/meetings/{meeting_id}#{step}")


def urgent_rows(v: dict[str, Any]) -> list[dict[str, str]]:
    """The urgent-theme rows of the preparation form, in order; empty rows are dropped."""
    rows = []
    for n in range(1, 30):
        text = (v.get(f"urgent_text_{n}") or "").strip()
        if text:
            rows.append({"text": text, "life_domain": v.get(f"urgent_domain_{n}") or "other"})
    return rows


@post("/workspaces/{workspace_id:uuid}/overleg/aanvragen", guards=[staff])
async def request_submit(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Template | Redirect:
    """Request a round table from the workspace page."""
    actor = require_staff(request)
    v = await _form(request)
    missing = {f"r-{k}": t("pages.error.required") for k in ("reason", "goal") if not v.get(k)}
    if missing:
        return await meetings_with(db, request, workspace_id, status=422, form=v, errors=missing)
    try:
        data = msgspec.convert({
            "reason": v.get("reason", ""), "goal": v.get("goal", ""),
            "requested_by": {"kind": "professional", "user_id": str(actor.user_id)},
            "jobseeker_participation": v.get("jobseeker_participation") or "full",
            "non_participation_reason": v.get("non_participation_reason") or None,
            "practical_needs": v.get("practical_needs") or [], "urgent_themes": v.get("urgent_themes") or None,
            "invite_coordinator": True,  # the coordinator sits at the table unless they take themselves off
        }, s.MeetingIn, strict=False)
        m = await svc.request_meeting(db, actor, workspace_id, data)
    except (W2Error, msgspec.ValidationError) as exc:
        await db.rollback()
        return await meetings_with(db, request, workspace_id, status=422, form=v, errors={"r-reason": _message(exc)})
    return Redirect(f"/meetings/{m.id}")


@get("/meetings/{meeting_id:uuid}", guards=[staff])
async def wizard(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Template:
    """The round table, step by step."""
    return await _page(request, db, meeting_id)


@post("/meetings/{meeting_id:uuid}/voorbereiding", guards=[staff])
async def prepare_submit(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Template | Redirect:
    """The preparation checklist."""
    actor = require_staff(request)

    async def act(v: dict[str, Any]) -> None:
        data = msgspec.convert({
            "jobseeker_informed": v.get("jobseeker_informed") == "1",
            "jobseeker_participation": v.get("jobseeker_participation") or None,
            "non_participation_reason": v.get("non_participation_reason") or None,
            "prepared_with_user_id": v.get("prepared_with_user_id") or None,
            "practical_needs": v.get("practical_needs") or [],
            "interpreter_language": v.get("interpreter_language") or None,
            "thresholds": v.get("thresholds") or None, "urgent_themes": urgent_rows(v),
            "started_because": v.get("started_because") or None,
            "professional_questions": v.get("professional_questions") or None,
            "strengths": v.get("strengths") or None, "partner_name": v.get("partner_name") or None,
            "children_names": [c.strip() for c in (v.get("children_names") or "").splitlines() if c.strip()],
        }, s.PreparationIn, strict=False)
        await svc.update_preparation(db, actor, meeting_id, data)

    return await _run(request, db, meeting_id, "prepare", act)


@post("/meetings/{meeting_id:uuid}/genodigden", guards=[staff])
async def invite_submit(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Template | Redirect:
    """Invite a professional, the job seeker or a confidant."""
    actor = require_staff(request)

    async def act(v: dict[str, Any]) -> None:
        who = v.get("who", "")
        kind, _, ident = who.partition(":")
        body: dict[str, Any] = {"kind": kind}
        if kind == "professional":
            body["user_id"] = ident
        elif kind == "confidant":
            body["confidant_id"] = ident
        elif kind != "jobseeker":
            raise W2Error(t("pages.error.choose_person"))
        body.update(function=v.get("function") or None, address=v.get("address") or None)
        await svc.add_invitee(db, actor, meeting_id, msgspec.convert(body, s.InviteeIn, strict=False))

    return await _run(request, db, meeting_id, "invite", act)


@post("/meetings/{meeting_id:uuid}/genodigden/iedereen", guards=[staff])
async def invite_everyone_submit(request: Request[Any, Any, Any], db: AsyncSession,
                                 meeting_id: uuid.UUID) -> Template | Redirect:
    """Invite the job seeker and every service's contact person in one step (one page load, not one per person)."""
    actor = require_staff(request)
    m = await access.get_meeting(db, actor, meeting_id)
    contacts = list((await db.execute(
        select(User).join(Membership, Membership.contact_user_id == User.id)
        .where(Membership.workspace_id == m.workspace_id, User.active.is_(True))
        .order_by(Membership.created_at))).scalars())
    wanted: list[tuple[str, Any]] = [("jobseeker", None)] + [("professional", u) for u in contacts]
    skipped: list[str] = []
    for kind, user in wanted:
        body: dict[str, Any] = {"kind": kind} | ({"user_id": str(user.id)} if user else {})
        try:
            async with db.begin_nested():  # one refusal (no consent, already there) leaves the others invited
                await svc.add_invitee(db, actor, meeting_id, msgspec.convert(body, s.InviteeIn, strict=False))
        except ConsentMissing:
            skipped.append(user.name if user else "")
        except W2Error as exc:
            if exc.status != 409:  # already invited is fine; anything else stops here, nothing saved
                await db.rollback()
                return await _page(request, db, meeting_id, 422, "invite", _message(exc))
    if skipped:
        # The others are invited (and saved); the summary names who still needs the job seeker's consent.
        return await _page(request, db, meeting_id, 200, "invite",
                           t("pages.invite_all.skipped", names=", ".join(skipped)))
    session = request.scope.get("session")
    if isinstance(session, dict):
        session["saved_step"] = "invite"
    return Redirect(f"/meetings/{meeting_id}#invite")


async def _slot_moment(db: AsyncSession, meeting_id: uuid.UUID, slot_id: str) -> dict[str, str]:
    """A proposed moment as the schedule form's values: local day and times, and its place."""
    try:
        slot = await db.get(MeetingSlot, uuid.UUID(slot_id))
    except ValueError:
        slot = None
    if slot is None or slot.meeting_id != meeting_id:
        raise W2Error(t("pages.error.slot_not_found"))
    tz = ZoneInfo(get_settings().timezone)
    start, end = slot.starts_at.astimezone(tz), slot.ends_at.astimezone(tz)
    return {"day": start.date().isoformat(), "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M"),
            "location": slot.location or ""}


@post("/meetings/{meeting_id:uuid}/genodigden/{invitee_id:uuid}/weg", guards=[staff])
async def uninvite_submit(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID,
                          invitee_id: uuid.UUID) -> Template | Redirect:
    """Take someone off the list (e.g. the job seeker does not want them at the table)."""
    actor = require_staff(request)

    async def act(v: dict[str, Any]) -> None:
        await svc.remove_invitee(db, actor, meeting_id, invitee_id)

    return await _run(request, db, meeting_id, "invite", act)


@post("/meetings/{meeting_id:uuid}/akkoord", guards=[staff])
async def agree_submit(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Template | Redirect:
    """Record that the job seeker agrees to the meeting and the invitee list."""
    actor = require_staff(request)

    async def act(v: dict[str, Any]) -> None:
        data = msgspec.convert({"method": v.get("method") or "signed_form",
                                "witness_user_id": v.get("witness_user_id") or None}, s.JobseekerAgreementIn, strict=False)
        await svc.record_jobseeker_agreement(db, actor, meeting_id, data)

    return await _run(request, db, meeting_id, "agree", act)


@post("/meetings/{meeting_id:uuid}/momenten", guards=[staff])
async def slot_submit(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Template | Redirect:
    """Propose a moment for the poll."""
    actor = require_staff(request)

    async def act(v: dict[str, Any]) -> None:
        data = s.SlotIn(starts_at=_at(v.get("day", ""), v.get("start", "")), ends_at=_at(v.get("day", ""), v.get("end", "")),
                        location=v.get("location") or None)
        await poll.add_slot(db, actor, meeting_id, data)

    return await _run(request, db, meeting_id, "poll", act)


@post("/meetings/{meeting_id:uuid}/poll-versturen", guards=[staff])
async def poll_send(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Template | Redirect:
    """Mail every invitee their personal poll link."""
    actor = require_staff(request)

    async def act(v: dict[str, Any]) -> None:
        await poll.send_poll_invitations(db, actor, meeting_id)

    return await _run(request, db, meeting_id, "poll", act)


@post("/meetings/{meeting_id:uuid}/plannen", guards=[staff])
async def schedule_submit(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Template | Redirect:
    """Fix moment and place; everyone gets an invitation with a calendar file."""
    actor = require_staff(request)

    async def act(v: dict[str, Any]) -> None:
        if v.get("slot_id"):  # "Kies dit moment": the poll's slot fills the schedule, nothing is retyped
            v.update(await _slot_moment(db, meeting_id, v["slot_id"]))
        data = msgspec.convert({"starts_at": _at(v.get("day", ""), v.get("start", "")).isoformat(),
                                "ends_at": _at(v.get("day", ""), v.get("end", "")).isoformat(),
                                "location": v.get("location", ""), "video_url": v.get("video_url") or None},
                               s.ScheduleIn)
        await scheduling.schedule(db, actor, meeting_id, data)

    return await _run(request, db, meeting_id, "schedule", act)


@post("/meetings/{meeting_id:uuid}/aanwezigheid", guards=[staff])
async def attendance_submit(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Template | Redirect:
    """Present, absent or excused, per invitee."""
    actor = require_staff(request)

    async def act(v: dict[str, Any]) -> None:
        items = [{"invitee_id": k.removeprefix("att_"), "attendance": val} for k, val in v.items()
                 if k.startswith("att_") and val]
        await round_table.record_attendance(db, actor, meeting_id, msgspec.convert({"items": items}, s.AttendanceIn, strict=False))

    return await _run(request, db, meeting_id, "table", act)


@post("/meetings/{meeting_id:uuid}/notities", guards=[staff])
async def note_submit(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Template | Redirect:
    """What was shared in one life domain (consent-checked by the meetings service)."""
    actor = require_staff(request)

    async def act(v: dict[str, Any]) -> None:
        await round_table.write_note(db, actor, meeting_id, v.get("life_domain", ""),
                               msgspec.convert({k: v.get(k) or None for k in ("information", "improved", "title")},
                                               s.NoteIn, strict=False))

    return await _run(request, db, meeting_id, "table", act)


@post("/meetings/{meeting_id:uuid}/afspraken", guards=[staff])
async def agreement_submit(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Template | Redirect:
    """An agreement in one life domain; an owner without consent for it is refused, naming what is missing."""
    actor = require_staff(request)

    async def act(v: dict[str, Any]) -> None:
        m = await access.get_meeting(db, actor, meeting_id)
        owner = v.get("owner", "")
        kind, _, ident = owner.partition(":")
        body: dict[str, Any] = {"kind": kind}
        if kind == "agency":
            body["agency_id"] = ident
        elif kind != "jobseeker":
            raise W2Error(t("pages.error.choose_owner"))
        data = msgspec.convert({"life_domain": v.get("life_domain", ""), "description": v.get("description", ""),
                                "owner": body, "due_date": v.get("due_date") or None, "meeting_id": str(m.id),
                                "informs": v.get("informs") or None},
                               AgreementIn)
        await create_agreement(db, actor, m.workspace_id, data)

    return await _run(request, db, meeting_id, "table", act)


@post("/meetings/{meeting_id:uuid}/afronden", guards=[staff])
async def finalize_submit(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Template | Redirect:
    """Close the round table; the report is rendered for each recipient."""
    actor = require_staff(request)

    async def act(v: dict[str, Any]) -> None:
        early = v.get("took_place_earlier") == "1"
        data = msgspec.convert({"follow_up_date": v.get("follow_up_date") or None, "took_place_earlier": early,
                                "held_on": (v.get("held_on") or None) if early else None}, s.FinalizeIn, strict=False)
        await round_table.finalize(db, actor, meeting_id, data)

    return await _run(request, db, meeting_id, "finalize", act)


@post("/meetings/{meeting_id:uuid}/opvolgen", guards=[staff])
async def follow_up_submit(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Template | Redirect:
    """Plan opvolgoverleg: a new meeting with the same invitees proposed and the open agreements carried."""
    actor = require_staff(request)
    try:
        new = await follow_up.plan_follow_up(db, actor, meeting_id)
    except W2Error as exc:
        await db.rollback()
        return await _page(request, db, meeting_id, 422, "finalize", _message(exc), {})
    return Redirect(f"/meetings/{new.id}")


@post("/meetings/{meeting_id:uuid}/coordinator", guards=[staff])
async def handover_submit(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Template | Redirect:
    """Hand the coordination of this meeting to another professional (both are told, the handover is logged)."""
    actor = require_staff(request)

    async def act(v: dict[str, Any]) -> None:
        if not v.get("user_id"):
            raise W2Error(t("pages.error.choose_coordinator"))
        await coordination.hand_over(db, actor, meeting_id, msgspec.convert({"user_id": v["user_id"]},
                                                                            s.CoordinatorIn, strict=False))

    return await _run(request, db, meeting_id, "coordinator", act)


MEETING_PAGES = page_router("/", [request_submit, wizard, prepare_submit, invite_submit, invite_everyone_submit,
                                  uninvite_submit, agree_submit, slot_submit,
                                  poll_send, schedule_submit, attendance_submit, note_submit, agreement_submit,
                                  finalize_submit, follow_up_submit, handover_submit])

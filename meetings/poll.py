"""Finding a moment: proposed slots, answers through the API or a personal signed link, ranking."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.meetings import schemas as s
from w2.meetings.access import (
    active_invitees,
    get_meeting,
    invitee_identity,
    is_meeting_coordinator,
    require_coordinator,
    require_status,
    start_preparing,
)
from w2.meetings.models import Meeting, MeetingInvitee, MeetingSlot, MeetingVote
from w2.platform.actor import Actor
from w2.platform.db.base import utcnow
from w2.platform.db.scope import SYSTEM_SCOPE, switch_scope
from w2.platform.errors import Conflict, Forbidden, Invalid, NotFound, W2Error
from w2.platform.i18n import t
from w2.platform.models import User, Workspace
from w2.platform.outbox import enqueue
from w2.platform.settings import get_settings

LINK_TTL = timedelta(days=30)
MAX_DURATION = timedelta(hours=8)
_LINK_CONTEXT = b"w2/meeting-link/v1|"


class LinkExpired(W2Error):
    """A personal link past its end date: the person needs a new one."""

    status = 409
    kind = "link-expired"


# ---- time checks shared with scheduling ----


def local_tz() -> ZoneInfo:
    """The platform's time zone (Europe/Brussels unless configured)."""
    return ZoneInfo(get_settings().timezone)


def when_text(at: datetime, language: str = "nl") -> str:
    """A date and time people read, in local time: 'dinsdag 14 april 2026 om 10:00'."""
    loc = {"nl": "nl_BE", "fr": "fr_BE", "en": "en_GB"}.get(language, "nl_BE")
    return format_datetime(at, "EEEE d MMMM y, HH:mm", locale=loc, tzinfo=local_tz())


def when_range(start: datetime, end: datetime, language: str = "nl") -> str:
    """'dinsdag 14 april 2026, 10:00–12:00' in local time."""
    return f"{when_text(start, language)}–{end.astimezone(local_tz()).strftime('%H:%M')}"


def check_period(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """Refuse naive, past, reversed or overlong periods (422 naming the field)."""
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if value.tzinfo is None:
            raise Invalid(name, t("meetings.error.naive_time"))
    if ends_at <= starts_at:
        raise Invalid("ends_at", t("meetings.error.ends_before_start"))
    if starts_at <= utcnow():
        raise Invalid("starts_at", t("meetings.error.in_past"))
    if ends_at - starts_at > MAX_DURATION:
        raise Invalid("ends_at", t("meetings.error.too_long"))
    return starts_at.astimezone(UTC), ends_at.astimezone(UTC)


# ---- slots ----


async def add_slot(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID, data: s.SlotIn) -> MeetingSlot:
    """Propose a moment; the first one opens the poll."""
    m, _ = await require_coordinator(session, actor, meeting_id)
    require_status(m, ("preparing", "polling"))
    starts, ends = check_period(data.starts_at, data.ends_at)
    overlap = await session.scalar(
        select(MeetingSlot.id).where(MeetingSlot.meeting_id == m.id, MeetingSlot.starts_at < ends,
                                     MeetingSlot.ends_at > starts)
    )
    if overlap is not None:
        raise Conflict(t("meetings.error.slot_overlap"), kind="slot-overlap", extra={"overlaps": str(overlap)})
    slot = MeetingSlot(meeting_id=m.id, starts_at=starts, ends_at=ends, location=data.location)
    session.add(slot)
    start_preparing(m, actor)
    m.status = "polling"
    await session.flush()
    return slot


async def _slot_of(session: AsyncSession, m: Meeting, slot_id: uuid.UUID) -> MeetingSlot:
    slot = await session.get(MeetingSlot, slot_id)
    if slot is None or slot.meeting_id != m.id:
        raise NotFound(t("meetings.error.slot_not_found"))
    return slot


async def _active_invitee(session: AsyncSession, m: Meeting, invitee_id: uuid.UUID) -> MeetingInvitee:
    inv = await session.get(MeetingInvitee, invitee_id)
    if inv is None or inv.meeting_id != m.id or inv.removed_at is not None:
        raise NotFound(t("meetings.error.invitee_not_found"))
    return inv


async def _store_vote(session: AsyncSession, slot: MeetingSlot, inv: MeetingInvitee, answer: str, via: str) -> None:
    vote = await session.get(MeetingVote, (slot.id, inv.id))
    if vote is None:
        session.add(MeetingVote(slot_id=slot.id, invitee_id=inv.id, answer=answer, via=via))
    else:
        vote.answer, vote.via, vote.answered_at = answer, via, utcnow()


async def vote(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID, slot_id: uuid.UUID,
               data: s.VoteIn) -> MeetingVote:
    """Record an answer: by the coordinator (heard by phone) or by the invitee themself."""
    m = await get_meeting(session, actor, meeting_id, lock=True)
    slot = await _slot_of(session, m, slot_id)
    inv = await _active_invitee(session, m, data.invitee_id)

    ws = await session.get(Workspace, m.workspace_id)
    is_coord = ws is not None and is_meeting_coordinator(actor, m, ws)
    is_self = (actor.is_staff and inv.user_id == actor.user_id) or (actor.is_jobseeker and inv.kind == "jobseeker")
    if not (is_coord or is_self):
        raise Forbidden(t("meetings.error.vote_not_allowed"))
    require_status(m, ("polling",), "meetings.hint.not_polling")
    await _store_vote(session, slot, inv, data.answer, "api")
    await session.flush()
    stored = await session.get(MeetingVote, (slot.id, inv.id))
    assert stored is not None
    return stored


async def ranked_slots(session: AsyncSession, m: Meeting) -> list[s.SlotOut]:
    """Slots best first: no 'no' from the job seeker, fewest 'no', most 'yes', most 'maybe', earliest."""
    slots = list(await session.scalars(select(MeetingSlot).where(MeetingSlot.meeting_id == m.id)))
    if not slots:
        return []
    invitees = await active_invitees(session, m.id)
    active = {i.id for i in invitees}
    js_id = next((i.id for i in invitees if i.kind == "jobseeker"), None)
    votes = await session.scalars(select(MeetingVote).where(MeetingVote.slot_id.in_([x.id for x in slots])))
    by_slot: dict[uuid.UUID, dict[uuid.UUID, str]] = {x.id: {} for x in slots}
    for v in votes:
        if v.invitee_id in active:
            by_slot[v.slot_id][v.invitee_id] = v.answer
    rows = []
    for slot in slots:
        answers = by_slot[slot.id]
        counts = {a: sum(1 for x in answers.values() if x == a) for a in ("yes", "maybe", "no")}
        js_answer = answers.get(js_id) if js_id else None
        key = (js_answer == "no", counts["no"], -counts["yes"], -counts["maybe"], slot.starts_at)
        rows.append((key, slot, counts, js_answer, len(active) - len(answers)))
    rows.sort(key=lambda r: r[0])
    return [
        s.SlotOut(id=slot.id, starts_at=slot.starts_at, ends_at=slot.ends_at, location=slot.location,
                  yes=c["yes"], maybe=c["maybe"], no=c["no"], unanswered=open_, jobseeker_answer=js, rank=n)
        for n, (_, slot, c, js, open_) in enumerate(rows, start=1)
    ]


# ---- personal links ----


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(payload: bytes) -> bytes:
    key = get_settings().secret_key.encode()
    return hmac.new(key, _LINK_CONTEXT + payload, hashlib.sha256).digest()[:18]


def make_link_token(invitee_id: uuid.UUID, expires_at: datetime) -> str:
    """A signed token naming one invitee until `expires_at`; it grants only answering the poll."""
    payload = invitee_id.bytes + struct.pack(">Q", int(expires_at.timestamp()))
    return f"{_b64(payload)}.{_b64(_sign(payload))}"


def read_link_token(token: str) -> uuid.UUID:
    """The invitee a token names; forged tokens are 404, expired ones 409."""
    try:
        payload_text, sig_text = token.split(".", 1)
        payload, sig = _unb64(payload_text), _unb64(sig_text)
    except (ValueError, TypeError):
        raise NotFound(t("meetings.error.link_invalid"), kind="link-invalid") from None
    if len(payload) != 24 or not hmac.compare_digest(sig, _sign(payload)):
        raise NotFound(t("meetings.error.link_invalid"), kind="link-invalid")
    (expires,) = struct.unpack(">Q", payload[16:])
    if expires < utcnow().timestamp():
        raise LinkExpired(t("meetings.error.link_expired"))
    return uuid.UUID(bytes=payload[:16])


def link_for(invitee_id: uuid.UUID, now: datetime | None = None) -> tuple[str, datetime]:
    """The personal URL of an invitee and when it stops working."""
    expires = (now or utcnow()) + LINK_TTL
    return f"{get_settings().base_url}/m/{make_link_token(invitee_id, expires)}", expires


async def _link_target(session: AsyncSession, token: str) -> tuple[MeetingInvitee, Meeting]:
    invitee_id = read_link_token(token)
    # The signature proved the token names this invitee; the person may be a confidant without any
    # scope of their own, so the link reads as background work does. Only the invitee's own meeting,
    # slots and votes are touched below, and the view holds dates, times and places only.
    await switch_scope(session, SYSTEM_SCOPE)
    inv = await session.get(MeetingInvitee, invitee_id)
    m = await session.get(Meeting, inv.meeting_id) if inv else None
    if inv is None or m is None or inv.removed_at is not None:
        raise NotFound(t("meetings.error.link_invalid"), kind="link-invalid")
    return inv, m


async def link_view(session: AsyncSession, token: str) -> s.LinkViewOut:
    """What the personal link shows: only dates, times and places, and the person's own answers."""
    inv, m = await _link_target(session, token)
    slots: list[s.LinkSlotOut] = []
    if m.status == "polling":
        own = {v.slot_id: v.answer for v in await session.scalars(
            select(MeetingVote).where(MeetingVote.invitee_id == inv.id))}
        rows = await session.scalars(
            select(MeetingSlot).where(MeetingSlot.meeting_id == m.id).order_by(MeetingSlot.starts_at))
        slots = [s.LinkSlotOut(id=x.id, starts_at=x.starts_at, ends_at=x.ends_at, location=x.location,
                               answer=own.get(x.id)) for x in rows]
    scheduled = m.status == "scheduled"
    return s.LinkViewOut(status=m.status, slots=slots, starts_at=m.starts_at if scheduled else None,
                         ends_at=m.ends_at if scheduled else None, location=m.location if scheduled else None,
                         rsvp=inv.rsvp)


async def link_answer(session: AsyncSession, token: str, data: s.LinkAnswerIn) -> s.LinkViewOut:
    """Store answers given through a personal link: votes while polling, a reply once scheduled."""
    inv, m = await _link_target(session, token)
    if session.bind.dialect.name == "postgresql":
        await session.scalar(select(Meeting.id).where(Meeting.id == m.id).with_for_update())
    if data.votes:
        require_status(m, ("polling",), "meetings.hint.not_polling")
        slots = [await _slot_of(session, m, item.slot_id) for item in data.votes]
        for slot, item in zip(slots, data.votes, strict=True):
            await _store_vote(session, slot, inv, item.answer, "link")
    if data.rsvp is not None:
        require_status(m, ("scheduled",), "meetings.hint.not_scheduled")
        inv.rsvp, inv.rsvp_at = data.rsvp, utcnow()
    await session.flush()
    return await link_view(session, token)


async def invitee_link(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID,
                       invitee_id: uuid.UUID) -> s.InviteeLinkOut:
    """The coordinator fetches a personal link to pass on to a confidant or professional without email.

    Never the job seeker's: with it staff could answer in their name (DESIGN consent rule 10). The job
    seeker answers on their own pages or in an assisted session, or through the link in their own mail.
    """
    m, _ = await require_coordinator(session, actor, meeting_id)
    inv = await _active_invitee(session, m, invitee_id)
    if inv.kind == "jobseeker":
        raise Conflict(t("meetings.error.jobseeker_link_refused", actor.language), kind="jobseeker-answers-themself")
    url, expires = link_for(inv.id)
    return s.InviteeLinkOut(invitee_id=inv.id, url=url, expires_at=expires)


async def send_poll_invitations(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID) -> int:
    """Mail every invitee with an address their personal link (no case content)."""
    m, _ = await require_coordinator(session, actor, meeting_id)
    require_status(m, ("polling",), "meetings.hint.not_polling")
    organizer = await session.get(User, actor.user_id) if actor.user_id else None
    now = utcnow()
    sent = 0
    for inv in await active_invitees(session, m.id):
        ident = await invitee_identity(session, inv)
        if not ident["email"]:
            continue
        url, expires = link_for(inv.id, now)
        await enqueue(
            session, key=f"meeting-poll:{m.id}:{inv.id}:{now.isoformat()}", kind="meeting_poll",
            to_address=ident["email"], recipient_user_id=inv.user_id, workspace_id=m.workspace_id,
            language=ident["language"],
            params={"invitee_id": str(inv.id), "name": ident["name"] if inv.kind != "jobseeker" else "", "link": url, "expires": when_text(expires, ident["language"]),
                    "organizer": organizer.name if organizer else "w2"},
        )
        sent += 1
    await session.flush()
    return sent

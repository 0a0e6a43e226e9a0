"""Notification rules: who is told, on which channel and in which language; inbox; send-time checks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import granted_domains
from w2.meetings.agreements.models import Agreement
from w2.notifications.models import CHANNEL_NAMES, InboxItem, NotificationPreference
from w2.platform.actor import Actor
from w2.platform.db.base import utcnow
from w2.platform.errors import Forbidden, Invalid, NotFound
from w2.platform.i18n import languages, t
from w2.platform.models import Jobseeker, Membership, User, Workspace
from w2.platform.outbox import OutboxMessage, enqueue_once
from w2.platform.settings import get_settings
from w2.platform.workspaces import require_coordinator


@dataclass(frozen=True)
class Recipient:
    """Someone to tell, with their resolved preferences (never any case content)."""

    name: str
    email: str | None
    phone: str | None
    language: str
    channel: str
    digest: bool
    agency_id: uuid.UUID | None
    user_id: uuid.UUID | None = None
    audience: str = "staff"  # staff | jobseeker | confidant (the last two get plain-language texts)
    ref: str = ""  # names a recipient without an account in idempotency keys

    @property
    def jobseeker(self) -> bool:
        """The job seeker themself."""
        return self.audience == "jobseeker"

    @property
    def tag(self) -> str:
        """Stable part of idempotency keys naming this recipient."""
        return str(self.user_id) if self.user_id else (self.ref or "js")


@dataclass(frozen=True)
class Preferences:
    """A person's notification preferences."""

    channel: str
    language: str
    digest: bool


def link(path: str) -> str:
    """An absolute link behind sign-in."""
    return f"{get_settings().base_url}{path}"


async def get_preferences(session: AsyncSession, user: User) -> Preferences:
    """The user's preferences, or the defaults (email, their language, no digest)."""
    row = await session.scalar(select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    if row is None:
        return Preferences("email", user.preferred_language or "nl", False)
    return Preferences(row.channel, row.language, row.digest)


def _validate(channel: str | None, language: str | None) -> None:
    if channel is not None and channel not in CHANNEL_NAMES:
        raise Invalid("channel", t("error.channel"))
    if language is not None and language not in languages():
        raise Invalid("language", t("error.language"))


async def set_preferences(session: AsyncSession, actor: Actor, *, channel: str | None = None,
                          language: str | None = None, digest: bool | None = None) -> Preferences:
    """Change the caller's own preferences; unknown channel or language is 422."""
    if not actor.is_staff or actor.user_id is None:
        raise Forbidden(t("error.staff_only"))
    _validate(channel, language)
    user = await session.get(User, actor.user_id)
    assert user is not None
    row = await session.scalar(select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    if row is None:
        row = NotificationPreference(user_id=user.id, channel="email", language=user.preferred_language or "nl",
                                     digest=False)
        session.add(row)
    if channel is not None:
        row.channel = channel
    if language is not None:
        row.language = language
    if digest is not None:
        row.digest = digest
    await session.flush()
    return Preferences(row.channel, row.language, row.digest)


async def set_jobseeker_preferences(session: AsyncSession, jobseeker_id: uuid.UUID, *, channel: str | None = None,
                                    language: str | None = None) -> Preferences:
    """Store how the job seeker wants to be told (the portal and the coordinator call this)."""
    _validate(channel, language)
    if channel == "inapp":
        raise Invalid("channel", t("error.channel"))
    js = await session.get(Jobseeker, jobseeker_id)
    if js is None:
        raise NotFound(t("error.workspace_not_found"))
    row = await session.scalar(select(NotificationPreference).where(NotificationPreference.jobseeker_id == js.id))
    if row is None:
        row = NotificationPreference(jobseeker_id=js.id, channel="email", language=js.preferred_language or "nl",
                                     digest=False)
        session.add(row)
    row.channel = channel or row.channel
    row.language = language or row.language
    await session.flush()
    return Preferences(row.channel, row.language, False)


async def set_jobseeker_preferences_for(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, *,
                                        channel: str | None, language: str | None) -> Preferences:
    """The coordinator records how the job seeker wants to be told."""
    ws = await require_coordinator(session, actor, workspace_id)
    return await set_jobseeker_preferences(session, ws.jobseeker_id, channel=channel, language=language)


async def user_recipient(session: AsyncSession, user_id: uuid.UUID | None) -> Recipient | None:
    """A professional as a recipient (None when unknown or inactive)."""
    user = await session.get(User, user_id) if user_id else None
    if user is None or not user.active:
        return None
    prefs = await get_preferences(session, user)
    return Recipient(name=user.name, email=user.email, phone=user.phone, language=prefs.language,
                     channel=prefs.channel, digest=prefs.digest, agency_id=user.agency_id, user_id=user.id)


async def jobseeker_wants_reminders(session: AsyncSession, workspace_id: uuid.UUID) -> bool:
    """True only when the job seeker opted in to reminders about their own agreements."""
    return bool(await session.scalar(
        select(NotificationPreference.agreement_reminders)
        .join(Workspace, Workspace.jobseeker_id == NotificationPreference.jobseeker_id)
        .where(Workspace.id == workspace_id)))


async def set_agreement_reminders(session: AsyncSession, jobseeker_id: uuid.UUID, on: bool) -> None:
    """The job seeker switches reminders about their own agreements on or off."""
    row = await session.scalar(select(NotificationPreference).where(NotificationPreference.jobseeker_id == jobseeker_id))
    if row is None:
        js = await session.get(Jobseeker, jobseeker_id)
        row = NotificationPreference(jobseeker_id=jobseeker_id, channel="email" if js and js.email else "sms",
                                     language=(js.preferred_language if js else None) or "nl", digest=False)
        session.add(row)
    row.agreement_reminders = on
    await session.flush()


async def jobseeker_recipient(session: AsyncSession, workspace_id: uuid.UUID) -> Recipient | None:
    """The workspace's job seeker as a recipient; answered for by the coordinating agency."""
    row = (await session.execute(
        select(Jobseeker, Workspace.coordinating_agency_id)
        .join(Workspace, Workspace.jobseeker_id == Jobseeker.id)
        .where(Workspace.id == workspace_id)
    )).first()
    if row is None:
        return None
    js, coordinating = row
    pref = await session.scalar(select(NotificationPreference).where(NotificationPreference.jobseeker_id == js.id))
    channel = pref.channel if pref else ("email" if js.email else "sms")
    return Recipient(name=js.given_name, email=js.email, phone=js.phone,
                     language=pref.language if pref else (js.preferred_language or "nl"), channel=channel,
                     digest=False, agency_id=coordinating, audience="jobseeker")


async def contact_of(session: AsyncSession, workspace_id: uuid.UUID, agency_id: uuid.UUID | None) -> Recipient | None:
    """The agency's contact person in this workspace (its Membership row)."""
    if agency_id is None:
        return None
    uid = await session.scalar(select(Membership.contact_user_id).where(
        Membership.workspace_id == workspace_id, Membership.agency_id == agency_id))
    return await user_recipient(session, uid)


async def coordinator_of(session: AsyncSession, workspace_id: uuid.UUID) -> Recipient | None:
    """The coordinating agency's contact person, else whoever created the workspace."""
    ws = await session.get(Workspace, workspace_id)
    if ws is None:
        return None
    return await contact_of(session, ws.id, ws.coordinating_agency_id) or await user_recipient(
        session, ws.created_by_user_id)


async def notify(session: AsyncSession, recipient: Recipient, *, kind: str, key: str, path: str,
                 workspace_id: uuid.UUID | None, life_domain: str | None = None, digestible: bool = True,
                 url: str | None = None, refs: dict[str, str] | None = None) -> int:
    """Queue the messages for one event and one recipient: the inbox item and the chosen channel.

    A professional who prefers the daily digest gets the inbox item now and the digest later.
    Returns how many outbox rows were new (0 when this key already fired).
    """
    kind_for = kind if recipient.audience == "staff" else f"{kind}_{recipient.audience}"
    url = url or (link("/portal") if recipient.jobseeker else link(path))
    params: dict[str, Any] = {"name": recipient.name, "link": url, **(refs or {})}
    common: dict[str, Any] = {"kind": kind_for, "recipient_user_id": recipient.user_id, "params": params,
                              "workspace_id": workspace_id, "language": recipient.language,
                              "life_domain": life_domain, "agency_id": recipient.agency_id}
    created = 0
    if recipient.user_id is not None:
        created += await enqueue_once(session, key=f"{key}:inapp", channel="inapp", to_address=None, **common)
    if recipient.channel == "inapp" or (recipient.digest and digestible):
        return created
    address = recipient.phone if recipient.channel == "sms" else recipient.email
    if recipient.audience != "staff" and not address:
        return created  # a job seeker without an address for their channel is told in person
    created += await enqueue_once(session, key=key, channel=recipient.channel, to_address=address, **common)
    return created


async def inbox(session: AsyncSession, actor: Actor, limit: int, offset: int) -> tuple[list[InboxItem], int]:
    """The caller's own inbox, newest first, and the unread count."""
    if actor.user_id is None:
        return [], 0
    rows = await session.scalars(select(InboxItem).where(InboxItem.user_id == actor.user_id)
                                 .order_by(InboxItem.created_at.desc(), InboxItem.id).limit(limit).offset(offset))
    unread = await session.scalar(select(func.count()).select_from(InboxItem).where(
        InboxItem.user_id == actor.user_id, InboxItem.read_at.is_(None)))
    return list(rows), int(unread or 0)


async def mark_read(session: AsyncSession, actor: Actor, nid: uuid.UUID) -> InboxItem:
    """Mark one of the caller's own items read (404 for anyone else's)."""
    item = await session.scalar(select(InboxItem).where(InboxItem.id == nid, InboxItem.user_id == actor.user_id))
    if item is None:
        raise NotFound(t("error.notification_not_found"))
    if item.read_at is None:
        item.read_at = utcnow()
        await session.flush()
    return item


def answered_by(agency_id: uuid.UUID | None) -> Any:
    """SQL condition: the agency answers for this message's recipient.

    Its own agency_id, else (rows queued by other domains) a recipient who works there, else a
    job seeker of a workspace it coordinates.
    """
    return or_(
        OutboxMessage.agency_id == agency_id,
        and_(OutboxMessage.agency_id.is_(None), OutboxMessage.recipient_user_id.in_(
            select(User.id).where(User.agency_id == agency_id))),
        and_(OutboxMessage.agency_id.is_(None), OutboxMessage.recipient_user_id.is_(None),
             OutboxMessage.workspace_id.in_(
                 select(Workspace.id).where(Workspace.coordinating_agency_id == agency_id))),
    )


def _require_agency_admin(actor: Actor) -> None:
    if not actor.is_staff or actor.agency_id is None or not actor.has_role("agency_admin"):
        raise Forbidden(t("error.agency_admin_only"))


async def failed_messages(session: AsyncSession, actor: Actor, limit: int, offset: int) -> tuple[list[OutboxMessage], int]:
    """Failed messages to recipients the caller's agency answers for (agency admins only)."""
    _require_agency_admin(actor)
    cond = (OutboxMessage.status == "failed", answered_by(actor.agency_id))
    rows = await session.scalars(select(OutboxMessage).where(*cond)
                                 .order_by(OutboxMessage.created_at.desc()).limit(limit).offset(offset))
    total = await session.scalar(select(func.count()).select_from(OutboxMessage).where(*cond))
    return list(rows), int(total or 0)


async def retry_message(session: AsyncSession, actor: Actor, mid: uuid.UUID) -> OutboxMessage:
    """Give a failed message a fresh set of attempts (after fixing the address, say)."""
    _require_agency_admin(actor)
    res = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == mid, answered_by(actor.agency_id), OutboxMessage.status == "failed")
        .values(status="pending", attempts=0, next_attempt_at=utcnow(), enqueued_at=None)
        .execution_options(synchronize_session=False)
    )
    if not res.rowcount:  # type: ignore[attr-defined]  # an UPDATE's result always has a row count
        raise NotFound(t("error.outbox_not_found"))
    msg = await session.get(OutboxMessage, mid, populate_existing=True)
    assert msg is not None
    session.info["outbox_dirty"] = True
    return msg


async def still_relevant(session: AsyncSession, msg: OutboxMessage) -> str | None:
    """Send-time check: an agreement reminder is dropped when the agreement was finished or moved."""
    aid = msg.params.get("agreement_id")
    if not aid:
        return None

    row = await session.get(Agreement, uuid.UUID(aid))
    if row is None or row.status not in ("open", "in_progress"):
        return "de afspraak is afgerond of bestaat niet meer"
    if msg.params.get("due_date") and (row.due_date is None or row.due_date.isoformat() != msg.params["due_date"]):
        return "de datum van de afspraak is veranderd"
    return None


async def still_entitled(session: AsyncSession, msg: OutboxMessage) -> str | None:
    """Send-time check: a professional must still be active, a member, and consented for the domain."""
    if msg.workspace_id is None or msg.recipient_user_id is None:
        return None
    user = await session.get(User, msg.recipient_user_id)
    if user is None or not user.active:
        return "ontvanger is niet meer actief"
    member = await session.scalar(select(Membership.id).where(
        Membership.workspace_id == msg.workspace_id, Membership.agency_id == user.agency_id))
    if member is None:
        return "dienst van de ontvanger is geen lid meer van de werkruimte"
    if msg.life_domain:
        domains = await granted_domains(session, msg.workspace_id, user.agency_id, "information_sharing")
        if msg.life_domain not in domains:
            return f"toestemming voor levensdomein {msg.life_domain} is ingetrokken of verlopen"
    return None


async def announce_consent_by_sms(session: AsyncSession, consent: Any, js: Jobseeker) -> None:
    """A job seeker who prefers SMS also hears by SMS that a consent was recorded in their name."""
    pref = await session.scalar(select(NotificationPreference).where(NotificationPreference.jobseeker_id == js.id))
    if pref is None or pref.channel != "sms" or not js.phone:
        return
    ws_coordinator = await session.scalar(select(Workspace.coordinating_agency_id).where(
        Workspace.id == consent.workspace_id))
    await enqueue_once(session, key=f"consent-recorded:{consent.id}:sms", kind="consent_recorded", channel="sms",
                       to_address=js.phone, language=pref.language, workspace_id=consent.workspace_id,
                       agency_id=ws_coordinator, params={"name": js.given_name, "link": link("/portal")})

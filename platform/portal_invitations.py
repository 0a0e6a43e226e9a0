"""Sending the job seeker a sign-in link on their own phone or mail; staff never see the link.

The invitation holds no token: the outbox message carries only the invitation id, and the sender
mints the link in the transaction that marks the message sent (`delivery_params`).
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform.actor import Actor
from w2.platform.db.base import utcnow
from w2.platform.db.scope import SYSTEM_SCOPE, switch_scope
from w2.platform.errors import Conflict, Forbidden
from w2.platform.i18n import t
from w2.platform.models import Jobseeker, Workspace
from w2.platform.outbox import OutboxMessage, enqueue
from w2.platform.portal_auth import PortalInvitation, create_portal_link, portal_url, void_unused_links
from w2.platform.workspaces import get_workspace

KIND = "portal_invitation"
INVITE_CHANNELS = ("sms", "email")
INVITING_ROLES = ("coordinator", "worker")
# A job seeker asking for a new link themself: at most this many per workspace per hour.
SELF_REQUESTS_PER_HOUR = 3
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def phone_digits(phone: str) -> str:
    """A phone number in international digits (`32470123412`), Belgian numbers assumed without prefix."""
    digits = re.sub(r"\D", "", phone)
    if phone.strip().startswith("+"):
        return digits
    if digits.startswith("00"):
        return digits[2:]
    if digits.startswith("0"):
        return "32" + digits[1:]
    return digits


def mask_phone(phone: str) -> str:
    """`+32 4** ** ** 12`: the country code, the first digit and the last two; nothing else."""
    digits = phone_digits(phone)
    cc_len = 2 if digits[:2] in {"32", "31", "33", "44", "49"} else 3 if len(digits) > 10 else 2
    cc, national = digits[:cc_len], digits[cc_len:]
    if len(national) < 4:
        return f"+{cc} " + "*" * len(national)
    masked = national[0] + "*" * (len(national) - 3) + national[-2:]
    head, rest = masked[:3], masked[3:]
    groups = [rest[i:i + 2] for i in range(0, len(rest), 2)]
    return " ".join([f"+{cc}", head, *groups])


def mask_email(email: str) -> str:
    """`j***@example.be`: the first letter and the domain."""
    local, _, domain = email.strip().partition("@")
    return f"{local[:1]}***@{domain}"


def masked(channel: str, address: str) -> str:
    """The address as the requester may see it."""
    return mask_phone(address) if channel == "sms" else mask_email(address)


def address_of(js: Jobseeker, channel: str) -> str | None:
    """The job seeker's own address for a channel, if they gave one."""
    value = js.phone if channel == "sms" else js.email
    return value.strip() if value and value.strip() else None


async def invite(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, channel: str) -> PortalInvitation:
    """A professional of a member agency asks w2 to send the job seeker a fresh sign-in link."""
    ws = await get_workspace(session, actor, workspace_id)
    if not actor.is_staff or actor.is_platform_admin or not any(actor.has_role(r) for r in INVITING_ROLES):
        raise Forbidden(t("portal_invite.error.not_allowed"))
    js = await session.get(Jobseeker, ws.jobseeker_id)
    assert js is not None
    if address_of(js, channel) is None:
        raise Conflict(t(f"portal_invite.error.no_{channel}"), kind="no-address")
    return await send_invitation(session, ws, js, channel, requested_by="staff", user_id=actor.user_id)


async def send_invitation(session: AsyncSession, ws: Workspace, js: Jobseeker, channel: str, *,
                          requested_by: str, user_id: uuid.UUID | None = None) -> PortalInvitation:
    """Void older unused links, record the invitation and queue its message (which holds no token)."""
    address = address_of(js, channel)
    assert address is not None
    await void_unused_links(session, ws.id)
    inv = PortalInvitation(workspace_id=ws.id, channel=channel, sent_to=masked(channel, address),
                           requested_by=requested_by, created_by_user_id=user_id)
    session.add(inv)
    await session.flush()
    to = "+" + phone_digits(address) if channel == "sms" else address
    await enqueue(session, key=f"{KIND}:{inv.id}", kind=KIND, channel=channel, to_address=to,
                  language=js.preferred_language or "nl", workspace_id=ws.id,
                  agency_id=ws.coordinating_agency_id,
                  params={"invitation_id": str(inv.id), "name": js.given_name})
    return inv


async def delivery_params(session: AsyncSession, msg: OutboxMessage) -> dict[str, Any] | str:
    """At send time: mint the link for this message ({"link": ...}), or say why not to send it."""
    try:
        inv = await session.get(PortalInvitation, uuid.UUID(str(msg.params.get("invitation_id"))))
    except ValueError:
        inv = None
    if inv is None:
        return "uitnodiging bestaat niet"
    newer = await session.scalar(select(exists().where(
        PortalInvitation.workspace_id == inv.workspace_id, PortalInvitation.created_at > inv.created_at)))
    if newer:
        return "er is een nieuwere uitnodiging"
    raw = await create_portal_link(session, inv.workspace_id, channel=inv.channel, invitation_id=inv.id,
                                   created_by_user_id=inv.created_by_user_id)
    inv.delivered_at = utcnow()
    return {"link": portal_url(raw)}


def _stripped(col: Any) -> ColumnElement[str]:
    """A stored phone number without the separators people type (works on PostgreSQL and SQLite)."""
    for ch in (" ", ".", "/", "-", "(", ")", "+"):
        col = func.replace(col, ch, "")
    stripped: ColumnElement[str] = col
    return stripped


def _phone_forms(digits: str) -> set[str]:
    """The ways the same number may have been stored, separators removed."""
    forms = {digits, "00" + digits}
    if digits.startswith("32"):
        forms.add("0" + digits[2:])
    return forms


def parse_address(text: str) -> tuple[str, str] | None:
    """("email", address) or ("sms", international digits) for what the person typed; None if neither."""
    value = text.strip()
    if _EMAIL.match(value) and len(value) <= 320:
        return "email", value.lower()
    digits = phone_digits(value) if re.fullmatch(r"\+?[0-9 ()./-]{8,30}", value) else ""
    return ("sms", digits) if 9 <= len(digits) <= 15 else None


async def request_own_link(session: AsyncSession, channel: str, value: str) -> int:
    """A job seeker asks for a new link to their own registered phone or mail; returns how many were sent.

    The caller answers the same whatever this returns (no hint whether the address is known).
    """
    # Anonymous until here: the address itself is the question, asked across every workspace. The
    # answer goes only to that address and the page never says whether it was found.
    await switch_scope(session, SYSTEM_SCOPE)
    if channel == "email":
        match = func.lower(func.trim(Jobseeker.email)) == value
    else:
        match = or_(*[_stripped(Jobseeker.phone) == f for f in _phone_forms(value)])
    rows = (await session.execute(
        select(Workspace, Jobseeker).join(Jobseeker, Jobseeker.id == Workspace.jobseeker_id).where(match)
    )).all()
    sent = 0
    since = utcnow() - timedelta(hours=1)
    for ws, js in rows:
        recent = await session.scalar(select(func.count()).select_from(PortalInvitation).where(
            PortalInvitation.workspace_id == ws.id, PortalInvitation.requested_by == "jobseeker",
            PortalInvitation.created_at > since))
        if (recent or 0) >= SELF_REQUESTS_PER_HOUR or address_of(js, channel) is None:
            continue
        await send_invitation(session, ws, js, channel, requested_by="jobseeker")
        sent += 1
    return sent

"""The send-time check for meeting invitations (wired by the composition root)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from w2.meetings.access import participation_granted
from w2.meetings.models import Meeting, MeetingInvitee
from w2.platform.outbox import OutboxMessage

INVITATION_KINDS = ("meeting_invitation", "meeting_update", "meeting_poll")


async def invitation_still_due(session: AsyncSession, msg: OutboxMessage) -> str | None:
    """At send time: drop an invitation whose meeting was cancelled, invitee removed or consent withdrawn."""
    if msg.kind not in INVITATION_KINDS:
        return None

    params = msg.params or {}
    invitee_id = params.get("invitee_id")
    inv = await session.get(MeetingInvitee, uuid.UUID(invitee_id)) if invitee_id else None
    if inv is None:
        return None if msg.kind == "meeting_poll" else "invitee unknown"
    m = await session.get(Meeting, inv.meeting_id)
    if m is None or inv.removed_at is not None:
        return "invitee removed"
    if msg.kind != "meeting_poll" and m.status != "scheduled":
        return f"meeting {m.status}"
    if inv.kind == "professional" and inv.agency_id is not None \
            and not await participation_granted(session, m.workspace_id, inv.agency_id):
        return "meeting_participation consent no longer active"
    return None

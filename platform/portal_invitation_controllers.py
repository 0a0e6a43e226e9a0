"""API: ask w2 to send the job seeker a sign-in link on their own phone or mail (the link never comes back)."""

from __future__ import annotations

import uuid
from typing import Literal

import msgspec
from litestar import Controller, post
from litestar.params import JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform.actor import Actor
from w2.platform.api_kit import WRITE
from w2.platform.auth import staff
from w2.platform.portal_invitations import invite


class PortalInvitationIn(msgspec.Struct, forbid_unknown_fields=True):
    """Which of the job seeker's own channels gets the link."""

    channel: Literal["sms", "email"]


class PortalInvitationOut(msgspec.Struct):
    """The invitation as the requester sees it: the address masked, no link."""

    id: uuid.UUID
    channel: str
    sent_to: str


class PortalInvitationController(Controller):
    """Portal access: staff send a link; nobody but the job seeker ever holds it."""

    path = "/workspaces/{workspace_id:uuid}/portal-invitations"
    guards = [staff]
    tags = ["portal access"]

    @post("/", status_code=202, responses=WRITE)
    async def create(self, workspace_id: uuid.UUID, data: JSONBody[PortalInvitationIn], db: AsyncSession,
                     actor: Actor) -> PortalInvitationOut:
        """Send a one-time sign-in link to the job seeker's own phone or mail; 409 when they have none."""
        inv = await invite(db, actor, workspace_id, data.channel)
        await db.flush()
        return PortalInvitationOut(id=inv.id, channel=inv.channel, sent_to=inv.sent_to)

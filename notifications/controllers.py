"""Notifications API: the caller's inbox and preferences; failed messages for the agency admin."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post, put
from litestar.params import JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from w2.notifications import schemas as s
from w2.notifications import service as svc
from w2.notifications.models import InboxItem
from w2.platform.actor import Actor
from w2.platform.api_kit import READ, WRITE, Limit, Offset, problems
from w2.platform.auth import staff
from w2.platform.models import User
from w2.platform.outbox import OutboxMessage


def _item(i: InboxItem) -> s.NotificationOut:
    return s.NotificationOut(id=i.id, kind=i.kind, created_at=i.created_at, read_at=i.read_at, link=i.link)


def _failed(m: OutboxMessage) -> s.FailedMessageOut:
    return s.FailedMessageOut(id=m.id, kind=m.kind, channel=m.channel, to_address=m.to_address,
                              recipient_user_id=m.recipient_user_id, workspace_id=m.workspace_id,
                              attempts=m.attempts, last_error=m.last_error, created_at=m.created_at,
                              status=m.status)


class NotificationController(Controller):
    """The signed-in professional's own inbox and preferences."""

    path = "/notifications"
    guards = [staff]
    tags = ["notifications"]

    @get("/", responses=problems(401, 403))
    async def list_(self, db: AsyncSession, actor: Actor, limit: Limit = 50, offset: Offset = 0) -> s.InboxOut:
        """The caller's notifications, newest first, with the unread count."""
        items, unread = await svc.inbox(db, actor, limit, offset)
        return s.InboxOut(items=[_item(i) for i in items], unread=unread)

    @post("/{nid:uuid}/read", status_code=200, responses=READ)
    async def read(self, nid: uuid.UUID, db: AsyncSession, actor: Actor) -> s.NotificationOut:
        """Mark one of the caller's notifications read."""
        return _item(await svc.mark_read(db, actor, nid))

    @get("/preferences", responses=problems(401, 403))
    async def preferences(self, db: AsyncSession, actor: Actor) -> s.PreferencesOut:
        """How the caller is told: channel, language, daily digest."""
        user = await db.get(User, actor.user_id)
        assert user is not None
        p = await svc.get_preferences(db, user)
        return s.PreferencesOut(channel=p.channel, language=p.language, digest=p.digest)

    @put("/preferences", responses=WRITE)
    async def set_preferences(self, data: JSONBody[s.PreferencesIn], db: AsyncSession,
                              actor: Actor) -> s.PreferencesOut:
        """Change channel (email, sms, inapp), language and digest; anything else is 422."""
        p = await svc.set_preferences(db, actor, channel=data.channel, language=data.language, digest=data.digest)
        return s.PreferencesOut(channel=p.channel, language=p.language, digest=p.digest)


class JobseekerPreferencesController(Controller):
    """How the job seeker wants to be told, set by the coordinator with them (the portal may set it too)."""

    path = "/workspaces/{workspace_id:uuid}/jobseeker/notification-preferences"
    guards = [staff]
    tags = ["notifications"]

    @put("/", responses=WRITE)
    async def set_(self, workspace_id: uuid.UUID, data: JSONBody[s.JobseekerPreferencesIn], db: AsyncSession,
                   actor: Actor) -> s.JobseekerPreferencesOut:
        """Channel (email or sms) and language of the job seeker's messages; anything else is 422."""
        p = await svc.set_jobseeker_preferences_for(db, actor, workspace_id, channel=data.channel,
                                                    language=data.language)
        return s.JobseekerPreferencesOut(channel=p.channel, language=p.language)


class OutboxController(Controller):
    """Messages that could not be delivered, visible to the agency admin who answers for the recipients."""

    path = "/outbox"
    guards = [staff]
    tags = ["notifications"]

    @get("/failed", responses=READ)
    async def failed(self, db: AsyncSession, actor: Actor, limit: Limit = 50, offset: Offset = 0) -> s.FailedListOut:
        """Failed messages to the caller's agency's people and job seekers (agency_admin only)."""
        rows, total = await svc.failed_messages(db, actor, limit, offset)
        return s.FailedListOut(items=[_failed(m) for m in rows], total=total)

    @post("/{mid:uuid}/retry", status_code=200, responses=WRITE)
    async def retry(self, mid: uuid.UUID, db: AsyncSession, actor: Actor) -> s.FailedMessageOut:
        """Put a failed message back in line with fresh attempts."""
        return _failed(await svc.retry_message(db, actor, mid))

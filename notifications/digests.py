"""The daily digest: one message per professional who prefers it, at a local hour, once per day."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from w2.notifications import service
from w2.notifications.channels import DIGEST_KINDS
from w2.notifications.models import InboxItem, NotificationPreference, ReminderFired
from w2.notifications.scan import not_fired
from w2.platform.db.base import utcnow
from w2.platform.db.ops import insert_ignore
from w2.platform.outbox import enqueue_once
from w2.platform.settings import get_settings, load_settings

BATCH = 200


def digest_hour() -> int | None:
    """Local hour at which digests go out (W2_DIGEST_HOUR, default 7; `any` = whichever hour, for tests)."""
    # Read afresh at each scan, not from the process-wide cache: the hour is the scan's own knob.
    return load_settings().digest_hour


async def _counts(session: AsyncSession, user_id: uuid.UUID, since: datetime) -> dict[str, int]:
    rows = await session.execute(
        select(InboxItem.kind, func.count()).where(
            InboxItem.user_id == user_id, InboxItem.created_at >= since, InboxItem.kind.in_(DIGEST_KINDS)
        ).group_by(InboxItem.kind)
    )
    return {kind: int(n) for kind, n in rows}


async def run_digests(sm: async_sessionmaker[AsyncSession], now: datetime | None = None) -> int:
    """Queue today's digests; several beat or worker processes may run this at once."""
    now = now or utcnow()
    local = now.astimezone(ZoneInfo(get_settings().timezone))
    hour = digest_hour()
    if hour is not None and local.hour != hour:
        return 0
    day, since = local.date(), now - timedelta(hours=24)
    queued, after = 0, None
    while True:
        async with sm() as session, session.begin():
            session.info["kick_relay"] = False
            stmt = (select(NotificationPreference.user_id)
                    .where(NotificationPreference.digest.is_(True), NotificationPreference.user_id.is_not(None),
                           not_fired("digest", NotificationPreference.user_id, day))
                    .order_by(NotificationPreference.user_id).limit(BATCH))
            if after is not None:
                stmt = stmt.where(NotificationPreference.user_id > after)
            user_ids = list(await session.scalars(stmt))
            for uid in user_ids:
                counts = await _counts(session, uid, since)
                who = await service.user_recipient(session, uid)
                if not counts or who is None or who.channel == "inapp":
                    continue
                # The ledger row is the "once per day" guard; the outbox key is the second one.
                if not await insert_ignore(session, ReminderFired,
                                           {"rule": "digest", "subject_id": uid, "occurrence": day},
                                           ["rule", "subject_id", "occurrence"]):
                    continue
                address = who.phone if who.channel == "sms" else who.email
                queued += await enqueue_once(
                    session, key=f"digest:{uid}:{day.isoformat()}", kind="digest", channel=who.channel,
                    to_address=address, recipient_user_id=uid, language=who.language, agency_id=who.agency_id,
                    params={"name": who.name, "link": service.link("/"), "counts": counts},
                )
        if len(user_ids) < BATCH:
            return queued
        after = user_ids[-1]

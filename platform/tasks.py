"""Outbox relay and sender: at-least-once hand-off, idempotent delivery, bounded retries."""

from __future__ import annotations

import functools
import logging
import uuid
from datetime import datetime, timedelta

import aiosmtplib
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from w2.platform import portal_invitations, runtime, wiring
from w2.platform.celery_app import celery_app
from w2.platform.db.base import utcnow
from w2.platform.db.ops import dialect_name, skip_locked
from w2.platform.ops.logs import request_id as current_request_id
from w2.platform.outbox import OutboxMessage, outbox_policy

log = logging.getLogger("w2.outbox")
# Defaults; the live values come from outbox_policy() (W2_OUTBOX_* variables).
MAX_ATTEMPTS = 8
REDRIVE_AFTER = timedelta(minutes=3)
BATCH = 200


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 30 s, 1 min, 2 min, ... capped at one hour (scaled by the policy)."""
    policy = outbox_policy()
    seconds = policy.backoff_seconds * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(policy.backoff_cap_seconds, seconds))



async def claim_batch(sm: async_sessionmaker[AsyncSession], limit: int = BATCH,
                      since: datetime | None = None) -> list[tuple[uuid.UUID, str]]:
    """Mark due pending rows as enqueued (or re-drive stale ones); returns (id, channel) pairs.

    `since` is when the calling relay run started: rows it claimed itself are never stale to it.
    """
    now = utcnow()
    cutoff = min(now, since or now) - outbox_policy().redrive_after
    async with sm() as session, session.begin():
        stmt = (
            select(OutboxMessage)
            .where(
                OutboxMessage.status == "pending",
                OutboxMessage.next_attempt_at <= now,
                or_(OutboxMessage.enqueued_at.is_(None), OutboxMessage.enqueued_at < cutoff),
            )
            .order_by(OutboxMessage.next_attempt_at)
            .limit(limit)
        )
        rows = list(await session.scalars(skip_locked(stmt, session)))
        for row in rows:
            row.enqueued_at = now
        return [(r.id, r.channel) for r in rows]


async def claim_due(sm: async_sessionmaker[AsyncSession], limit: int = BATCH) -> list[uuid.UUID]:
    """Like claim_batch, ids only."""
    return [mid for mid, _ in await claim_batch(sm, limit)]


@celery_app.task(name="w2.outbox.relay", ignore_result=True)
def relay() -> int:
    """Hand due outbox rows to workers; beat runs this every minute, requests kick it after commit.

    Rows of an inline channel (a local database write such as the in-app inbox) are delivered
    here rather than as one task each; a relay that dies midway leaves them to the re-drive.
    """
    total, started = 0, utcnow()
    inline = wiring.active().inline_channels
    while True:
        pairs: list[tuple[uuid.UUID, str]] = runtime.run(lambda sm: claim_batch(sm, BATCH, started))
        for mid, channel in pairs:
            if channel in inline:
                runtime.run(functools.partial(deliver_one, message_id=mid))
            else:
                deliver.delay(str(mid))
        total += len(pairs)
        if len(pairs) < BATCH:
            return total


def classify(exc: BaseException) -> str:
    """`permanent` (never retry), `unreachable` (the server is down; not the message's fault) or `transient`."""
    if isinstance(exc, (ValueError, LookupError)):
        return "permanent"
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in exc.recipients]
        return "permanent" if codes and all(c >= 500 for c in codes) else "transient"
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return "permanent" if exc.code >= 500 else "transient"
    if isinstance(exc, (ConnectionError, TimeoutError, OSError)):
        return "unreachable"
    return "transient"


async def deliver_one(sm: async_sessionmaker[AsyncSession], message_id: uuid.UUID) -> str:
    """Send one message unless it is already done; the row lock keeps two workers from both sending."""
    policy = outbox_policy()
    async with sm() as session, session.begin():
        stmt = select(OutboxMessage).where(OutboxMessage.id == message_id)
        if dialect_name(session) == "postgresql":
            stmt = stmt.with_for_update()
        msg = await session.scalar(stmt)
        if msg is None or msg.status != "pending":
            return msg.status if msg else "missing"
        if msg.request_id:
            current_request_id.set(msg.request_id)
        wired = wiring.active()
        for check in wired.send_checks:
            reason = await check(session, msg)
            if reason:
                msg.status, msg.last_error, msg.enqueued_at = "cancelled", reason, None
                log.info("outbox %s cancelled at send time: %s", msg.id, reason)
                return "cancelled"
        if msg.kind == portal_invitations.KIND:
            # The sign-in link exists only from here on: minted in this transaction, in this message.
            extra = await portal_invitations.delivery_params(session, msg)
            if isinstance(extra, str):
                msg.status, msg.last_error, msg.enqueued_at = "cancelled", extra, None
                return "cancelled"
            msg._delivery_params = extra  # type: ignore[attr-defined]  # per-delivery only, never a column
        # Record the outcome before talking to the outside world, so that once the server has
        # accepted the message only the COMMIT remains: a crash in that instant is the one way a
        # message can go out twice (the Message-ID, derived from the key, lets mail clients fold it).
        msg.attempts += 1
        msg.status, msg.sent_at, msg.last_error = "sent", utcnow(), None
        await session.flush()
        try:
            channel = wired.channels.get(msg.channel)
            if channel is None:
                raise LookupError(f"onbekend kanaal {msg.channel!r}")
            after_commit = await channel.send(session, msg)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
            kind = classify(exc)
            msg.status, msg.sent_at = "pending", None
            msg.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            msg.enqueued_at = None
            if kind == "unreachable":
                # A server that is down says nothing about this message: it stays pending, however
                # long the outage, and is retried at least every 5 minutes until the server returns.
                msg.next_attempt_at = utcnow() + min(backoff(msg.attempts), timedelta(minutes=5))
            else:
                if kind == "permanent" or msg.attempts >= policy.max_attempts:
                    msg.status = "failed"
                else:
                    msg.next_attempt_at = utcnow() + backoff(msg.attempts)
            log.warning("outbox %s attempt %s failed (%s): %s", msg.id, msg.attempts, kind, msg.last_error)
            return msg.status
    if after_commit is not None:
        await after_commit()
    return "sent"


@celery_app.task(name="w2.outbox.deliver", ignore_result=True)
def deliver(message_id: str) -> str:
    """Deliver one outbox message (idempotent)."""
    return runtime.run(lambda sm: deliver_one(sm, uuid.UUID(message_id)))

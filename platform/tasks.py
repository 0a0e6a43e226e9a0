"""Outbox relay and sender: at-least-once hand-off, idempotent delivery, bounded retries."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from w2.platform import mail, runtime
from w2.platform.celery_app import celery_app
from w2.platform.db.base import utcnow
from w2.platform.outbox import OutboxMessage

log = logging.getLogger("w2.outbox")
MAX_ATTEMPTS = 8
REDRIVE_AFTER = timedelta(minutes=3)
BATCH = 200
# Checks run at send time (consent re-check, recipient still entitled); a hook returns a reason to cancel.
SEND_CHECKS: list = []


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 30 s, 1 min, 2 min, ... capped at one hour."""
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


def _lock(stmt, session: AsyncSession):  # type: ignore[no-untyped-def]
    return stmt.with_for_update(skip_locked=True) if session.bind.dialect.name == "postgresql" else stmt


async def claim_due(sm: async_sessionmaker[AsyncSession], limit: int = BATCH) -> list[uuid.UUID]:
    """Mark due pending rows as enqueued (or re-drive stale ones) and return their ids."""
    now = utcnow()
    async with sm() as session, session.begin():
        stmt = (
            select(OutboxMessage)
            .where(
                OutboxMessage.status == "pending",
                OutboxMessage.next_attempt_at <= now,
                or_(OutboxMessage.enqueued_at.is_(None), OutboxMessage.enqueued_at < now - REDRIVE_AFTER),
            )
            .order_by(OutboxMessage.next_attempt_at)
            .limit(limit)
        )
        rows = list(await session.scalars(_lock(stmt, session)))
        for row in rows:
            row.enqueued_at = now
        return [r.id for r in rows]


@celery_app.task(name="w2.outbox.relay", ignore_result=True)
def relay() -> int:
    """Hand due outbox rows to workers; beat runs this every minute, requests kick it after commit."""
    total = 0
    while True:
        ids = runtime.run(claim_due)
        for mid in ids:
            deliver.delay(str(mid))
        total += len(ids)
        if len(ids) < BATCH:
            return total


async def deliver_one(sm: async_sessionmaker[AsyncSession], message_id: uuid.UUID) -> str:
    """Send one message unless it is already done; the row lock keeps two workers from both sending."""
    async with sm() as session, session.begin():
        stmt = select(OutboxMessage).where(OutboxMessage.id == message_id)
        if session.bind.dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        msg = await session.scalar(stmt)
        if msg is None or msg.status != "pending":
            return msg.status if msg else "missing"
        for check in SEND_CHECKS:
            reason = await check(session, msg)
            if reason:
                msg.status, msg.last_error = "cancelled", reason
                return "cancelled"
        msg.attempts += 1
        try:
            if not msg.to_address:
                raise ValueError("no address for this recipient")
            email = mail.build(msg.kind, dict(msg.params), msg.language, msg.to_address, msg.idempotency_key)
            await mail.send(email)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
            msg.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            msg.enqueued_at = None
            permanent = isinstance(exc, (ValueError, LookupError))
            if permanent or msg.attempts >= MAX_ATTEMPTS:
                msg.status = "failed"
            else:
                msg.next_attempt_at = utcnow() + backoff(msg.attempts)
            log.warning("outbox %s attempt %s failed: %s", msg.id, msg.attempts, msg.last_error)
            return msg.status
        msg.status, msg.sent_at = "sent", utcnow()
        return "sent"


@celery_app.task(name="w2.outbox.deliver", ignore_result=True)
def deliver(message_id: str) -> str:
    """Deliver one outbox message (idempotent)."""
    return runtime.run(lambda sm: deliver_one(sm, uuid.UUID(message_id)))

"""Outbox table: every message leaving the platform is written here in the business transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from w2.platform.celery_app import celery_app
from w2.platform.db.base import Base, CreatedMixin, IdMixin, JSONDict, UTCDateTime, utcnow
from w2.platform.db.engine import W2Session
from w2.platform.db.ops import insert_ignore
from w2.platform.ops.logs import request_id as current_request_id
from w2.platform.settings import get_settings

STATUSES = ("pending", "sent", "failed", "cancelled")


class OutboxMessage(IdMixin, CreatedMixin, Base):
    """One message to deliver; `params` never holds case content, only ids and links."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    channel: Mapped[str] = mapped_column(String(20), default="email")
    kind: Mapped[str] = mapped_column(String(60))
    recipient_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    to_address: Mapped[str | None] = mapped_column(String(320), default=None)
    language: Mapped[str] = mapped_column(String(8), default="nl")
    params: Mapped[dict[str, Any]] = mapped_column(JSONDict, default=dict)
    workspace_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("workspace.id"), default=None)
    # The life domain the message is about (send-time consent re-check) and the agency whose admin
    # answers for the recipient (failed messages are listed to that agency's admin).
    life_domain: Mapped[str | None] = mapped_column(String(30), default=None)
    agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agency.id"), default=None, index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    # The request that caused the message, so its delivery logs can be followed back to it.
    request_id: Mapped[str | None] = mapped_column(String(64), default=None)

    def render_params(self) -> dict[str, Any]:
        """The stored params plus what the sender added for this one delivery (never stored, e.g. a
        freshly minted sign-in link)."""
        return {**(self.params or {}), **(self.__dict__.get("_delivery_params") or {})}


async def enqueue(
    session: AsyncSession,
    *,
    key: str,
    kind: str,
    to_address: str | None,
    recipient_user_id: uuid.UUID | None = None,
    params: dict[str, Any] | None = None,
    workspace_id: uuid.UUID | None = None,
    language: str = "nl",
    channel: str = "email",
    life_domain: str | None = None,
    agency_id: uuid.UUID | None = None,
) -> OutboxMessage:
    """Add a pending message to the caller's transaction (the caller commits)."""
    msg = OutboxMessage(
        idempotency_key=key,
        kind=kind,
        channel=channel,
        to_address=to_address,
        recipient_user_id=recipient_user_id,
        params=params or {},
        workspace_id=workspace_id,
        language=language,
        life_domain=life_domain,
        agency_id=agency_id,
        request_id=current_request_id.get(),
    )
    session.add(msg)
    return msg


async def enqueue_once(
    session: AsyncSession,
    *,
    key: str,
    kind: str,
    to_address: str | None,
    recipient_user_id: uuid.UUID | None = None,
    params: dict[str, Any] | None = None,
    workspace_id: uuid.UUID | None = None,
    language: str = "nl",
    channel: str = "email",
    life_domain: str | None = None,
    agency_id: uuid.UUID | None = None,
) -> bool:
    """Insert a pending message unless its key exists (safe under concurrent schedulers); True if new."""
    now = utcnow()
    created = await insert_ignore(session, OutboxMessage, dict(
        id=uuid.uuid4(), created_at=now, idempotency_key=key, kind=kind, channel=channel,
        to_address=to_address, recipient_user_id=recipient_user_id, params=params or {},
        workspace_id=workspace_id, language=language, life_domain=life_domain, agency_id=agency_id,
        status="pending", attempts=0, next_attempt_at=now, request_id=current_request_id.get(),
    ), ["idempotency_key"])
    if created:
        session.info["outbox_dirty"] = True
    return created


class Channel(Protocol):
    """A way out of the platform (email, sms, in-app inbox); raises to signal a failed attempt."""

    async def send(self, session: AsyncSession, msg: OutboxMessage) -> Any:
        """Deliver `msg` inside the transaction that marks it sent; may return a coroutine function
        to run after the commit (e.g. SMTP QUIT)."""


@dataclass(frozen=True)
class OutboxPolicy:
    """Retry and re-drive knobs (W2_OUTBOX_* variables; tests shorten them)."""

    max_attempts: int = 8
    backoff_seconds: float = 30.0
    backoff_cap_seconds: float = 3600.0
    redrive_after: timedelta = timedelta(minutes=3)


@lru_cache(maxsize=1)
def outbox_policy() -> OutboxPolicy:
    """The policy read from the environment on first use."""
    st = get_settings()
    return OutboxPolicy(
        max_attempts=st.outbox_max_attempts,
        backoff_seconds=st.outbox_backoff_seconds,
        backoff_cap_seconds=st.outbox_backoff_cap_seconds,
        redrive_after=timedelta(seconds=st.outbox_redrive_seconds),
    )


# After a commit that added outbox rows, nudge the relay so mail goes out within seconds;
# the beat relay every minute remains the guarantee if this nudge is lost.
_kick_pool: Any = None


def _kick_relay() -> None:
    global _kick_pool

    if not celery_app.conf.get("broker_url"):
        return
    if _kick_pool is None:
        from concurrent.futures import ThreadPoolExecutor

        _kick_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="w2-outbox-kick")

    def _send() -> None:
        try:
            celery_app.send_task("w2.outbox.relay")
        except Exception:  # noqa: BLE001 - the beat relay picks the rows up anyway
            import logging

            logging.getLogger("w2.outbox").warning("could not nudge the relay; beat will pick it up")

    _kick_pool.submit(_send)


def _install_listeners() -> None:
    from sqlalchemy import event

    @event.listens_for(W2Session, "before_flush")
    def _mark(session: Any, flush_context: Any, instances: Any) -> None:
        if any(isinstance(o, OutboxMessage) for o in session.new):
            session.info["outbox_dirty"] = True

    @event.listens_for(W2Session, "after_commit")
    def _after_commit(session: Any) -> None:
        if session.info.pop("outbox_dirty", False) and session.info.get("kick_relay", True):
            _kick_relay()

    @event.listens_for(W2Session, "after_rollback")
    def _after_rollback(session: Any) -> None:
        session.info.pop("outbox_dirty", None)


_install_listeners()

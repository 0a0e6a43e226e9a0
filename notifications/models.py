"""Notification tables: per-person preferences, the in-app inbox, and the reminder ledger."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from w2.platform.db.base import Base, CreatedMixin, IdMixin, UTCDateTime, utcnow

CHANNEL_NAMES = ("email", "sms", "inapp")


class NotificationPreference(IdMixin, Base):
    """How one person wants to be told: channel, language, daily digest or single messages."""

    __tablename__ = "notification_preference"
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), unique=True, default=None)
    jobseeker_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("jobseeker.id"), unique=True, default=None)
    channel: Mapped[str] = mapped_column(String(10), default="email")
    language: Mapped[str] = mapped_column(String(8), default="nl")
    digest: Mapped[bool] = mapped_column(Boolean, default=False)
    # The job seeker's own choice: reminders about their own agreements (never sent unless they asked).
    agreement_reminders: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class InboxItem(IdMixin, CreatedMixin, Base):
    """One entry in a professional's in-app inbox; like mail, it holds a kind and a link, no content."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_created", "user_id", "created_at"),)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"))
    kind: Mapped[str] = mapped_column(String(60))
    link: Mapped[str | None] = mapped_column(String(500), default=None)
    workspace_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("workspace.id"), default=None)
    outbox_message_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("outbox_message.id"), unique=True, default=None
    )
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class ReminderFired(Base):
    """A schedule row that has fired: (rule, subject, occurrence) fires once, whatever runs the scan."""

    __tablename__ = "reminder_fired"
    rule: Mapped[str] = mapped_column(String(40), primary_key=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    occurrence: Mapped[date] = mapped_column(Date, primary_key=True)
    fired_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReminderScan(Base):
    """How far a windowed reminder rule has scanned: due dates up to `through`, at `scanned_at`."""

    __tablename__ = "reminder_scan"
    rule: Mapped[str] = mapped_column(String(40), primary_key=True)
    through: Mapped[date] = mapped_column(Date)
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime())

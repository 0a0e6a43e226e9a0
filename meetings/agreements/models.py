"""Agreements (afspraken) made per life domain, and their progress notes."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from w2.platform.db.base import Base, CreatedMixin, IdMixin, UTCDateTime, utcnow

AGREEMENT_STATUSES = ("open", "in_progress", "done", "not_achieved")
CANCELLED = "cancelled"  # only through cancel_agreement, always with a reason
OWNER_KINDS = ("agency", "user", "jobseeker", "confidant")


class Agreement(IdMixin, CreatedMixin, Base):
    """Who does what, by when, in one life domain of one workspace."""

    __tablename__ = "agreement"
    __table_args__ = (
        Index("ix_agreement_ws_domain", "workspace_id", "life_domain"),
        Index("ix_agreement_owner_agency_due", "owner_agency_id", "due_date"),
        Index("ix_agreement_owner_user_due", "owner_user_id", "due_date"),
        Index("ix_agreement_status_due", "status", "due_date"),
    )
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"))
    life_domain: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text)
    owner_kind: Mapped[str] = mapped_column(String(20))
    # For an agency-owned or user-owned agreement the owning agency is stored, so the partner
    # list is one indexed lookup; for a user owner it is that user's agency.
    owner_agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agency.id"), default=None)
    owner_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    owner_confidant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("confidant.id"), default=None)
    due_date: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(20), default="open")
    informs: Mapped[str | None] = mapped_column(String(300), default=None)  # "wie informeert wie"
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("meeting.id"), default=None, index=True)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    cancel_reason: Mapped[str | None] = mapped_column(Text, default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    cancelled_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class AgreementNote(IdMixin, CreatedMixin, Base):
    """A progress note on an agreement, with its author."""

    __tablename__ = "agreement_note"
    agreement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agreement.id"), index=True)
    author_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    author_is_jobseeker: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str | None] = mapped_column(String(20), default=None)
    note: Mapped[str] = mapped_column(Text)

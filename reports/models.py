"""Scores of the scoretabel, and the per-recipient PDF renditions of frozen report versions."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from w2.platform.db.base import Base, CreatedMixin, IdMixin, JSONList, UTCDateTime

RENDITION_STATUSES = ("pending", "ready", "failed", "nothing_shared", "stale")


class ScoreEntry(IdMixin, CreatedMixin, Base):
    """One theme of one filled-in scoretabel (a sheet); case content tagged with the theme's life domain."""

    __tablename__ = "score_entry"
    __table_args__ = (
        Index("ix_score_entry_ws_domain", "workspace_id", "life_domain"),
        Index("ix_score_entry_ws_taken", "workspace_id", "taken_on"),
        CheckConstraint("score_start BETWEEN 0 AND 10", name="start_range"),
        CheckConstraint("score_now BETWEEN 0 AND 10", name="now_range"),
        CheckConstraint("score_future BETWEEN 0 AND 10", name="future_range"),
    )
    sheet_id: Mapped[uuid.UUID] = mapped_column(index=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"))
    filled_by: Mapped[str] = mapped_column(String(20))  # jobseeker | counsellor
    taken_on: Mapped[date] = mapped_column(Date)
    theme: Mapped[str] = mapped_column(String(60))
    label: Mapped[str | None] = mapped_column(String(120), default=None)  # free themes only
    group: Mapped[str] = mapped_column("theme_group", String(10))
    life_domain: Mapped[str] = mapped_column(String(30))
    start: Mapped[int | None] = mapped_column("score_start", SmallInteger, default=None)
    now: Mapped[int | None] = mapped_column("score_now", SmallInteger, default=None)
    future: Mapped[int | None] = mapped_column("score_future", SmallInteger, default=None)
    recorded_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    recorded_by_jobseeker: Mapped[bool] = mapped_column(Boolean, default=False)


class RenditionFile:
    """The columns every rendered PDF has: for whom, which domains, and where its file is."""

    audience: Mapped[str] = mapped_column(String(20))  # agency | jobseeker
    kind: Mapped[str] = mapped_column(String(20), default="full")  # full | easy_read
    agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agency.id"), default=None)
    language: Mapped[str] = mapped_column(String(8), default="nl")
    domains: Mapped[list[str]] = mapped_column(JSONList, default=list)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    storage_key: Mapped[str | None] = mapped_column(String(300), default=None)
    size_bytes: Mapped[int | None] = mapped_column(Integer, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    rendered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)


class ReportRendition(IdMixin, CreatedMixin, RenditionFile, Base):
    """One recipient's PDF of one version, with the domains it holds and the SHA-256 of its bytes."""

    __tablename__ = "report_rendition"
    __table_args__ = (Index("ix_report_rendition_lookup", "meeting_id", "audience", "agency_id", "status"),)
    # The frozen report version (meetings' meeting_report_version row) this PDF was made from.
    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meeting_report_version.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meeting.id"))
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"))


class IntegratedRendition(IdMixin, CreatedMixin, RenditionFile, Base):
    """One recipient's PDF of one version of an integrated work-welfare report (same life cycle as above)."""

    __tablename__ = "integrated_rendition"
    __table_args__ = (Index("ix_integrated_rendition_lookup", "report_id", "audience", "agency_id", "status"),)
    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("integrated_report.id"))
    version: Mapped[int] = mapped_column(Integer)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"), index=True)

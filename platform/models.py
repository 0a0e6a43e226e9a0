"""Kernel tables: agencies, users, tokens, workspaces with their job seeker, members, pivot, confidants."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from w2.platform.db.base import Base, CreatedMixin, IdMixin, JSONList, UTCDateTime

AGENCY_KINDS = ("vdab", "ocmw", "caw", "jeugdrechtbank", "other")
ROLES = ("coordinator", "worker", "agency_admin", "platform_admin")
QUESTION_TYPES = ("advies", "doorverwijzing", "afstemming")


class Agency(IdMixin, CreatedMixin, Base):
    """A partner organisation (VDAB, OCMW, CAW, ...)."""

    __tablename__ = "agency"
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30))


class User(IdMixin, CreatedMixin, Base):
    """A professional who signs in; belongs to exactly one agency."""

    __tablename__ = "app_user"
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[str]] = mapped_column(JSONList, default=list)
    function: Mapped[str | None] = mapped_column(String(200), default=None)
    phone: Mapped[str | None] = mapped_column(String(50), default=None)
    password_hash: Mapped[str | None] = mapped_column(String(300), default=None)
    preferred_language: Mapped[str] = mapped_column(String(8), default="nl")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ApiToken(IdMixin, CreatedMixin, Base):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_token"
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(200), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class Jobseeker(IdMixin, CreatedMixin, Base):
    """Identity of the person a workspace is about."""

    __tablename__ = "jobseeker"
    given_name: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    national_number: Mapped[str | None] = mapped_column(String(11), default=None)
    email: Mapped[str | None] = mapped_column(String(320), default=None)
    phone: Mapped[str | None] = mapped_column(String(50), default=None)
    preferred_language: Mapped[str] = mapped_column(String(8), default="nl")


class Workspace(IdMixin, CreatedMixin, Base):
    """The shared space around one job seeker."""

    __tablename__ = "workspace"
    jobseeker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobseeker.id"), unique=True)
    coordinating_agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), index=True)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    # A closed case shares nothing any more; retention counts from this moment.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    closed_reason: Mapped[str | None] = mapped_column(Text, default=None)


class Membership(IdMixin, CreatedMixin, Base):
    """An agency involved in a workspace, with its contact person and question type."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("workspace_id", "agency_id"),)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"), index=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), index=True)
    contact_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    question_type: Mapped[str] = mapped_column(String(20))
    question: Mapped[str | None] = mapped_column(Text, default=None)
    # The question is case content (an OCMW question about money reveals finances): its life domain
    # decides, through the consent policy, which other agencies may read the text.
    life_domain: Mapped[str] = mapped_column(String(20), default="other", server_default="other")
    added_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)


class PivotAssignment(IdMixin, Base):
    """One period in which a professional was the job seeker's pivot (spilfiguur)."""

    __tablename__ = "pivot_assignment"
    __table_args__ = (Index("ix_pivot_current", "workspace_id", "until"),)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"))
    chosen_by_jobseeker: Mapped[bool] = mapped_column(Boolean)
    since: Mapped[datetime] = mapped_column(UTCDateTime())
    until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    assigned_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    witness_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)


class Confidant(IdMixin, CreatedMixin, Base):
    """Someone from the job seeker's own network (vertrouwenspersoon)."""

    __tablename__ = "confidant"
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    relation: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), default=None)
    phone: Mapped[str | None] = mapped_column(String(50), default=None)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

"""Append-only consent records, their per-domain grants, revocations and the access log."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from w2.platform.db.base import Base, IdMixin, JSONList, UTCDateTime, utcnow


class Consent(IdMixin, Base):
    """One grant: one agency, one purpose, a set of life domains. Never updated."""

    __tablename__ = "consent"
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"), index=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"))
    purpose: Mapped[str] = mapped_column(String(30))
    life_domains: Mapped[list[str]] = mapped_column(JSONList, default=list)
    method: Mapped[str] = mapped_column(String(20))
    witness_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    granted_by: Mapped[str] = mapped_column(String(20), default="jobseeker")
    legal_basis: Mapped[str] = mapped_column(String(30), default="consent")
    legal_reference: Mapped[str | None] = mapped_column(Text, default=None)
    recorded_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    recorded_by_jobseeker: Mapped[bool] = mapped_column(default=False)
    text_version: Mapped[str] = mapped_column(String(40))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    valid_until: Mapped[date | None] = mapped_column(Date, default=None)


class ConsentGrant(Base):
    """One (consent, life domain) pair, denormalised so the policy is a single indexed lookup."""

    __tablename__ = "consent_grant"
    __table_args__ = (
        Index("ix_consent_grant_lookup", "workspace_id", "agency_id", "purpose", "life_domain"),
        Index("ix_consent_grant_agency", "agency_id", "purpose", "life_domain", "workspace_id"),
    )
    consent_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("consent.id"), primary_key=True)
    life_domain: Mapped[str] = mapped_column(String(30), primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"))
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"))
    purpose: Mapped[str] = mapped_column(String(30))
    valid_until: Mapped[date | None] = mapped_column(Date, default=None)


class ConsentRevocation(Base):
    """The end of a consent: withdrawn by a person, or expired (added by the beat job)."""

    __tablename__ = "consent_revocation"
    consent_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("consent.id"), primary_key=True)
    revoked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    kind: Mapped[str] = mapped_column(String(20), default="withdrawn")  # withdrawn | expired
    revoked_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    revoked_by_jobseeker: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str | None] = mapped_column(Text, default=None)


class AccessLogEntry(IdMixin, Base):
    """Append-only record of every read, write and denial of case content."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_ws_at", "workspace_id", "at"),)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    actor_name: Mapped[str | None] = mapped_column(String(200), default=None)
    agency_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    workspace_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    action: Mapped[str] = mapped_column(String(30))
    resource_type: Mapped[str] = mapped_column(String(40))
    resource_id: Mapped[str | None] = mapped_column(String(80), default=None)
    life_domain: Mapped[str | None] = mapped_column(String(30), default=None)
    outcome: Mapped[str] = mapped_column(String(20))


class ConsentAccess(Base):
    """Compiled access (derived, rebuildable): an active grant of a member agency. See consent/access.py."""

    __tablename__ = "consent_access"
    __table_args__ = (
        Index("ix_consent_access_agency", "agency_id", "purpose", "workspace_id", "life_domain",
              postgresql_include=["valid_until"]),
        Index("ix_consent_access_ws", "workspace_id", "agency_id", "purpose", "life_domain"),
    )
    consent_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("consent.id"), primary_key=True)
    life_domain: Mapped[str] = mapped_column(String(30), primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"))
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"))
    purpose: Mapped[str] = mapped_column(String(30))
    valid_until: Mapped[date | None] = mapped_column(Date, default=None)


class ConsentNotice(IdMixin, Base):
    """How the job seeker is told of a consent recorded in their name: mail, SMS, or a printed notice
    that the recording professional confirms having handed over."""

    __tablename__ = "consent_notice"
    consent_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("consent.id"), unique=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))  # email | sms | letter
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    handed_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    handed_over_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)

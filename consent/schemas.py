"""Request and response schemas for consents and the access log (msgspec)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec

CURRENT_TEXT_VERSION = "nl-2026-1"

Purpose = Literal["information_sharing", "meeting_participation", "report_distribution"]
Method = Literal["portal", "signed_form", "verbal"]
Grantor = Literal["jobseeker", "representative"]
LegalBasis = Literal["consent", "case_consultation", "legal_obligation"]
# Domain codes are checked by the service, so the 422 can say in plain words which code is unknown.
DomainList = Annotated[list[str], msgspec.Meta(min_length=1, max_length=11)]


class ConsentIn(msgspec.Struct, forbid_unknown_fields=True):
    """Record a consent: one agency, one purpose, a set of life domains."""

    agency_id: uuid.UUID
    purpose: Purpose
    life_domains: DomainList
    method: Method
    witness_user_id: uuid.UUID | None = None
    valid_until: date | None = None
    granted_by: Grantor = "jobseeker"
    legal_basis: LegalBasis = "consent"
    legal_reference: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    text_version: Annotated[str, msgspec.Meta(min_length=1, max_length=40)] = CURRENT_TEXT_VERSION


class RevokeIn(msgspec.Struct, forbid_unknown_fields=True):
    """Withdraw a consent."""

    reason: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class NoticeOut(msgspec.Struct):
    """How the job seeker was told of a consent recorded in their name."""

    channel: str  # email | sms | letter (a printed notice the recording professional hands over)
    handed_over_at: datetime | None = None
    handed_over_by_user_id: uuid.UUID | None = None


class ConsentOut(msgspec.Struct):
    """A consent with its current state."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    agency_id: uuid.UUID
    purpose: str
    life_domains: list[str]
    method: str
    witness_user_id: uuid.UUID | None
    granted_by: str
    legal_basis: str
    legal_reference: str | None
    recorded_by_user_id: uuid.UUID | None
    recorded_by_jobseeker: bool
    text_version: str
    granted_at: datetime
    valid_until: date | None
    status: str  # active | revoked | expired
    revoked_at: datetime | None = None
    revocation_kind: str | None = None
    revocation_reason: str | None = None
    notice: NoticeOut | None = None  # None when the job seeker recorded it themself


class ConsentListOut(msgspec.Struct):
    """Consents of a workspace, newest first."""

    items: list[ConsentOut]


class AccessLogOut(msgspec.Struct):
    """One access-log line."""

    at: datetime
    actor: str | None
    actor_kind: str
    agency_id: uuid.UUID | None
    action: str
    resource_type: str
    resource_id: str | None
    life_domain: str | None
    outcome: str


class AccessLogListOut(msgspec.Struct):
    """Access-log lines, newest first."""

    items: list[AccessLogOut]
    total: int


FhirJson = dict[str, Any]


class CloseIn(msgspec.Struct, forbid_unknown_fields=True):
    """Close a workspace: why (kept with the case until it is erased)."""

    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


class ClosedOut(msgspec.Struct):
    """A closed workspace."""

    id: uuid.UUID
    closed_at: datetime

"""Request and response schemas for agreements (afspraken)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

Status = Literal["open", "in_progress", "done", "not_achieved"]
OwnerKind = Literal["agency", "user", "jobseeker", "confidant"]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=5000)]


class OwnerIn(msgspec.Struct, forbid_unknown_fields=True):
    """Who carries out the agreement."""

    kind: OwnerKind
    agency_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    confidant_id: uuid.UUID | None = None


class AgreementIn(msgspec.Struct, forbid_unknown_fields=True):
    """Make an agreement in one life domain."""

    life_domain: str
    description: Text
    owner: OwnerIn
    due_date: date | None = None
    meeting_id: uuid.UUID | None = None
    informs: Annotated[str, msgspec.Meta(min_length=1, max_length=300)] | None = None  # "wie informeert wie"


class AgreementPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Change status, text, due date or owner, or add a progress note."""

    status: Status | msgspec.UnsetType = msgspec.UNSET
    note: Text | msgspec.UnsetType = msgspec.UNSET
    due_date: date | None | msgspec.UnsetType = msgspec.UNSET
    owner: OwnerIn | msgspec.UnsetType = msgspec.UNSET
    description: Text | msgspec.UnsetType = msgspec.UNSET


class CancelIn(msgspec.Struct, forbid_unknown_fields=True):
    """Strike an agreement; the reason is kept and shown in the next report version."""

    reason: Text


class OwnerOut(msgspec.Struct):
    """The owner as stored."""

    kind: str
    agency_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    confidant_id: uuid.UUID | None = None


class NoteOut(msgspec.Struct):
    """A progress note."""

    id: uuid.UUID
    note: str
    status: str | None
    author_user_id: uuid.UUID | None
    author_is_jobseeker: bool
    created_at: datetime


class AgreementOut(msgspec.Struct):
    """An agreement with its progress notes."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    life_domain: str
    description: str
    owner: OwnerOut
    due_date: date | None
    status: str
    meeting_id: uuid.UUID | None
    created_by_user_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    notes: list[NoteOut]
    informs: str | None = None
    cancel_reason: str | None = None  # set when status is "cancelled"


class AgreementListOut(msgspec.Struct):
    """Agreements of one workspace."""

    items: list[AgreementOut]


class AgreementPageOut(msgspec.Struct, omit_defaults=True):
    """A page of agreements; `total` stops at 1,000. The paging fields appear only when set (old clients see
    `{items, total}` as before)."""

    items: list[AgreementOut]
    total: int
    total_capped: bool = False
    has_more: bool = False
    next_cursor: str | None = None

"""Request and response schemas of the kernel API (msgspec)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Email = Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=320)]
Phone = Annotated[str, msgspec.Meta(pattern=r"^\+?[0-9 ()./-]{6,30}$")]
Language = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2}$")]
QuestionType = Literal["advies", "doorverwijzing", "afstemming"]
# The life domains of consent/domains.py (the kernel may not import consent; a test keeps them equal).
LifeDomain = Literal["finances", "work_training", "health", "parenting", "household", "social", "participation",
                     "housing", "justice", "network", "inner", "other"]
AgencyKind = Literal["vdab", "ocmw", "caw", "jeugdrechtbank", "other"]


class AgencyOut(msgspec.Struct):
    """An agency as others see it."""

    id: uuid.UUID
    name: str
    kind: str


class MeOut(msgspec.Struct):
    """The signed-in professional."""

    id: uuid.UUID
    email: str
    name: str
    roles: list[str]
    agency: AgencyOut


class ItemsOut(msgspec.Struct):
    """A list envelope."""

    items: list[AgencyOut]


class JobseekerIn(msgspec.Struct, forbid_unknown_fields=True):
    """The job seeker's identity when a workspace is created."""

    given_name: Name
    family_name: Name
    birth_date: date | None = None
    national_number: str | None = None
    email: Email | None = None
    phone: Phone | None = None
    preferred_language: Language = "nl"


class WorkspaceIn(msgspec.Struct, forbid_unknown_fields=True):
    """Create a workspace."""

    jobseeker: JobseekerIn


class JobseekerOut(msgspec.Struct):
    """Identity of the job seeker."""

    id: uuid.UUID
    given_name: str
    family_name: str
    birth_date: date | None
    national_number: str | None
    email: str | None
    phone: str | None
    preferred_language: str


class MemberOut(msgspec.Struct):
    """A member agency with its contact person and question."""

    agency_id: uuid.UUID
    contact_user_id: uuid.UUID | None
    question_type: str
    question: str | None
    life_domain: str = "other"  # the question's; the text is null for callers without consent for it
    question_withheld: bool = False


class PivotOut(msgspec.Struct):
    """The current pivot (spilfiguur)."""

    user_id: uuid.UUID
    chosen_by_jobseeker: bool
    since: datetime


class PivotHistoryOut(msgspec.Struct):
    """One period of the pivot history."""

    user_id: uuid.UUID
    chosen_by_jobseeker: bool
    since: datetime
    until: datetime | None


class ConfidantOut(msgspec.Struct):
    """A confidant from the job seeker's own network."""

    id: uuid.UUID
    name: str
    relation: str
    email: str | None
    phone: str | None


class WorkspaceOut(msgspec.Struct):
    """A workspace with identity and logistics (no case content)."""

    id: uuid.UUID
    jobseeker: JobseekerOut
    coordinating_agency_id: uuid.UUID
    members: list[MemberOut]
    pivot: PivotOut | None
    pivot_history: list[PivotHistoryOut]
    confidants: list[ConfidantOut]
    created_at: datetime


class WorkspaceListOut(msgspec.Struct):
    """Paged list of workspaces."""

    items: list[WorkspaceOut]
    total: int


class MemberIn(msgspec.Struct, forbid_unknown_fields=True):
    """Add an agency to a workspace."""

    agency_id: uuid.UUID
    question_type: QuestionType
    contact_user_id: uuid.UUID | None = None
    question: Annotated[str, msgspec.Meta(max_length=4000)] | None = None
    life_domain: LifeDomain = "other"


class PivotIn(msgspec.Struct, forbid_unknown_fields=True):
    """Set the pivot."""

    user_id: uuid.UUID
    chosen_by_jobseeker: bool
    # Staff may record the job seeker's own choice only with a witness (another professional).
    witness_user_id: uuid.UUID | None = None


class ConfidantIn(msgspec.Struct, forbid_unknown_fields=True):
    """Add a confidant."""

    name: Name
    relation: Name
    email: Email | None = None
    phone: Phone | None = None

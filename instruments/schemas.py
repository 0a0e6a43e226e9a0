"""Request and response schemas of the instruments (API.md "The handbook's instruments")."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

Note = Annotated[str, msgspec.Meta(max_length=2000)]
SectionText = Annotated[str, msgspec.Meta(max_length=10000)]
GoalText = Annotated[str, msgspec.Meta(max_length=2000)]
Short = Annotated[str, msgspec.Meta(max_length=300)]


class PhaseOut(msgspec.Struct):
    """One phase of the spiral."""

    code: str
    name: str
    cycle: int
    order: int


class PhaseListOut(msgspec.Struct):
    """The catalogue of phases, bottom of the spiral first."""

    items: list[PhaseOut]


class PhaseIn(msgspec.Struct, forbid_unknown_fields=True):
    """Record the phase the trajectory is in now."""

    code: Annotated[str, msgspec.Meta(max_length=40)]
    note: Note | None = None


class PhaseChangeOut(msgspec.Struct):
    """One entry of the phase history."""

    id: uuid.UUID
    code: str
    name: str
    cycle: int
    direction: str
    since: datetime
    note: str | None
    recorded_by: str | None


class PhaseHistoryOut(msgspec.Struct):
    """The phase history, oldest first; the last item is the current phase."""

    items: list[PhaseChangeOut]


class SectionIn(msgspec.Struct, forbid_unknown_fields=True):
    """One vignet section to write."""

    key: str
    life_domain: str
    text: SectionText
    sensitive: bool = False


class VignetIn(msgspec.Struct, forbid_unknown_fields=True):
    """Sections to write; sections not listed keep their text."""

    sections: list[SectionIn]


class SectionOut(msgspec.Struct):
    """One vignet section as the caller may read it."""

    key: str
    life_domain: str
    text: str
    sensitive: bool
    version: int
    updated_at: datetime
    updated_by: str | None


class VignetOut(msgspec.Struct):
    """The vignet; a section the caller may not read is left out. `jobseeker_views`: their own words."""

    sections: list[SectionOut]
    jobseeker_views: list[SectionOut] = []


class GoalIn(msgspec.Struct, forbid_unknown_fields=True):
    """A SMART goal: what, how it is measured, by when, who helps, and its actions."""

    area: Literal["work", "welfare"]
    life_domain: str
    text: GoalText
    measure: GoalText
    due_date: date
    helped_by: Short | None = None
    actions: list[GoalText] = []


class ActionIn(msgspec.Struct, forbid_unknown_fields=True):
    """An action for one goal, by the goal's position in `goals` (0-based)."""

    goal: int
    text: GoalText


class TrajectoryAgreementIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new version of the trajectovereenkomst."""

    goals: list[GoalIn]
    actions: list[ActionIn] = []


class GoalOut(msgspec.Struct):
    """A goal the caller may read."""

    id: uuid.UUID
    area: str
    life_domain: str
    text: str
    measure: str
    due_date: date
    helped_by: str | None
    actions: list[str]


class SignatureIn(msgspec.Struct, forbid_unknown_fields=True):
    """One side signs this version."""

    by: Literal["jobseeker", "counsellor"]
    method: Literal["portal", "signed_form", "verbal"]
    witness_user_id: uuid.UUID | None = None


class SignatureOut(msgspec.Struct):
    """A signature."""

    id: uuid.UUID
    by: str
    method: str
    witness_user_id: uuid.UUID | None
    recorded_by: str | None
    signed_at: datetime


class TrajectoryAgreementOut(msgspec.Struct):
    """One version with the goals the caller may read and its signatures."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    version: int
    goals: list[GoalOut]
    signatures: list[SignatureOut]
    in_force: bool
    superseded: bool
    created_at: datetime


class TrajectoryAgreementListOut(msgspec.Struct):
    """All versions, newest first."""

    items: list[TrajectoryAgreementOut]


class KeyCompetenceOut(msgspec.Struct):
    """One key competence of the handbook's glossary."""

    code: str
    name: str
    definition: str


class KeyCompetenceListOut(msgspec.Struct):
    """The glossary in the handbook's order."""

    items: list[KeyCompetenceOut]


Item = Annotated[str, msgspec.Meta(max_length=300)]


class TaskIn(msgspec.Struct, forbid_unknown_fields=True):
    """A task of a job and the competences it needs."""

    text: Item
    key_competences: list[str] = []
    technical_competences: list[Item] = []


class CompetenceCardIn(msgspec.Struct, forbid_unknown_fields=True):
    """Card 1 (`kind: job`) or card 2 (`kind: profile`, the job seeker's visitekaartje)."""

    kind: Literal["job", "profile"]
    job_title: Item | None = None
    tasks: list[TaskIn] = []
    key_competences: list[str] = []
    technical_competences: list[Item] = []
    job_targets: list[Item] = []
    named_by: Literal["counsellor", "jobseeker"] | None = None


class TaskOut(msgspec.Struct):
    """A task as stored."""

    text: str
    key_competences: list[str]
    technical_competences: list[str]


class CompetenceCardOut(msgspec.Struct):
    """A competence card."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    kind: str
    life_domain: str
    named_by: str
    job_title: str | None
    tasks: list[TaskOut]
    key_competences: list[str]
    technical_competences: list[str]
    job_targets: list[str]
    created_at: datetime


class CompetenceCardListOut(msgspec.Struct):
    """Cards of a workspace, newest first."""

    items: list[CompetenceCardOut]


class DrawingItemIn(msgspec.Struct, forbid_unknown_fields=True):
    """One block, argument or person. `side`: burden|support (balance), pro|con (scale);
    `relation` and `meaning` (positive|negative|neutral) for an ecogram."""

    label: Item
    side: str | None = None
    size: Annotated[int, msgspec.Meta(ge=1, le=3)] = 1
    relation: Item | None = None
    meaning: str | None = None


class DrawingIn(msgspec.Struct, forbid_unknown_fields=True):
    """A drawing to save as a new version."""

    kind: Literal["balance", "scale", "ecogram"]
    items: list[DrawingItemIn]
    title: Item | None = None
    life_domain: str | None = None


class DrawingOut(msgspec.Struct):
    """A saved drawing with its text alternative."""

    id: uuid.UUID
    kind: str
    life_domain: str
    title: str | None
    items: list[dict[str, object]]
    text_alternative: str
    created_at: datetime
    by_jobseeker: bool


class DrawingListOut(msgspec.Struct):
    """Drawings, newest first."""

    items: list[DrawingOut]


class IntegratedReportIn(msgspec.Struct, forbid_unknown_fields=True):
    """A periodic integrated report; sections left out are prefilled from what w2 holds."""

    evaluation_month: Annotated[str, msgspec.Meta(max_length=7)]
    sections: dict[str, Annotated[str, msgspec.Meta(max_length=10000)]] = {}


class IntegratedReportEdit(msgspec.Struct, forbid_unknown_fields=True):
    """Rewrite some sections (and optionally the month) of an integrated report; the rest stays."""

    sections: dict[str, Annotated[str, msgspec.Meta(max_length=10000)]] = {}
    evaluation_month: Annotated[str, msgspec.Meta(max_length=7)] | None = None


class IntegratedReportCreated(msgspec.Struct):
    """The report is accepted; its PDF is made per recipient."""

    id: uuid.UUID

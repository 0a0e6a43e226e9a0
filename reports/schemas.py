"""Typed data of the reports domain: the report content renderers take, and the scores API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec

Attendance = Literal["present", "absent", "excused"]
Participation = Literal["full", "second_part", "none"]
Score = Annotated[int, msgspec.Meta(ge=0, le=10)]
ThemeCode = Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
Label = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]


class PersonRef(msgspec.Struct, kw_only=True):
    """A named person in the report header."""

    name: str
    function: str | None = None
    agency: str | None = None
    email: str | None = None
    phone: str | None = None


class Invitee(msgspec.Struct, kw_only=True):
    """One invitee line of the report: who, from where, and whether they came."""

    name: str
    kind: str = "professional"  # professional | jobseeker | confidant
    function: str | None = None
    agency: str | None = None
    agency_id: uuid.UUID | None = None
    address: str | None = None
    email: str | None = None
    attendance: Attendance | None = None


class AgreementItem(msgspec.Struct, kw_only=True):
    """What was agreed, who does it, by when."""

    description: str
    owner: str
    owner_kind: str = "agency"
    id: str | None = None
    due_date: date | None = None
    status: str = "open"
    informs: str | None = None  # "wie informeert wie"
    cancel_reason: str | None = None  # status "cancelled": why it was struck


class DomainSection(msgspec.Struct, kw_only=True):
    """Information and agreements of one life domain; `withheld` means none of it is in this copy."""

    domain: str
    information: str | None = None
    agreements: list[AgreementItem] = msgspec.field(default_factory=list)
    withheld: bool = False
    title: str | None = None  # the name of "Ander thema"
    improved: str | None = None  # "Wat is er verbeterd?" (a follow-up meeting)
    carried: list[AgreementItem] = msgspec.field(default_factory=list)  # still open from the last meeting


class UrgentTheme(msgspec.Struct, kw_only=True):
    """A theme the job seeker finds most urgent; untagged themes count as `other`."""

    text: str
    life_domain: str = "other"


class Change(msgspec.Struct, kw_only=True):
    """One line of "what changed" between report versions; `life_domain` None means header data."""

    text: str
    life_domain: str | None = None


class MemberQuestion(msgspec.Struct, kw_only=True):
    """A member agency's question (case content in one life domain)."""

    agency: str
    text: str
    life_domain: str = "other"


class ReportContent(msgspec.Struct, kw_only=True):
    """Everything one report version says; renditions are filtered copies of it."""

    meeting_id: uuid.UUID | None = None
    workspace_id: uuid.UUID | None = None
    version: int = 1
    finalized_at: datetime | None = None
    held_at: datetime | None = None
    held_on: date | None = None  # the actual day, when the meeting took place earlier than planned
    location: str | None = None
    coordinator: PersonRef | None = None
    pivot: PersonRef | None = None
    jobseeker: PersonRef
    partner: str | None = None
    children: list[str] = msgspec.field(default_factory=list)
    confidants: list[str] = msgspec.field(default_factory=list)
    invitees: list[Invitee] = msgspec.field(default_factory=list)
    requester: str | None = None
    reason: str | None = None
    started_because: str | None = None
    goal: str | None = None
    # The job seeker's own words (portal) and the professionals'; both count as `other` for recipients.
    wishes_jobseeker: str | None = None
    wishes_professionals: str | None = None
    prepared_by: str | None = None
    participation: Participation | None = None
    non_participation_reason: str | None = None
    practical_needs: list[str] = msgspec.field(default_factory=list)
    urgent_themes: list[UrgentTheme] = msgspec.field(default_factory=list)
    member_questions: list[MemberQuestion] = msgspec.field(default_factory=list)
    strengths: str | None = None  # "Krachten / wat goed loopt": the job seeker's own, counts as `other`
    previous_held_at: datetime | None = None  # set on a follow-up meeting
    previous_held_on: date | None = None  # the previous meeting took place earlier than planned
    domains: list[DomainSection] = msgspec.field(default_factory=list)
    follow_up_date: date | None = None
    changes: list[Change] = msgspec.field(default_factory=list)


class ScoreItemIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """One theme's scores; a free theme (`theme: "free"`) needs a label and may name a life domain."""

    theme: ThemeCode
    start: Score | None = None
    now: Score | None = None
    future: Score | None = None
    label: Label | None = None
    life_domain: str | None = None


class ScoresIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """One filled-in scoretabel."""

    filled_by: Literal["jobseeker", "counsellor"]
    items: Annotated[list[ScoreItemIn], msgspec.Meta(min_length=1, max_length=40)]
    taken_on: date | None = None


class ScoreOut(msgspec.Struct, kw_only=True):
    """One stored score row."""

    id: uuid.UUID
    sheet_id: uuid.UUID
    filled_by: str
    taken_on: date
    theme: str
    label: str
    group: str
    life_domain: str
    start: int | None
    now: int | None
    future: int | None
    created_at: datetime


class ScoresOut(msgspec.Struct):
    """Scores the caller may see, newest sheet first."""

    items: list[ScoreOut]


class ScoreSheetOut(msgspec.Struct):
    """The stored sheet."""

    sheet_id: uuid.UUID
    filled_by: str
    taken_on: date
    items: list[ScoreOut]


class ScoreRow(msgspec.Struct, kw_only=True):
    """One theme on a sheet, as drawn and tabled in the voortgang PDF."""

    theme: str
    label: str
    group: str
    life_domain: str
    start: int | None = None
    now: int | None = None
    future: int | None = None


class ProgressSheet(msgspec.Struct, kw_only=True):
    """The latest sheet of one perspective (job seeker or counsellor)."""

    filled_by: str
    taken_on: date
    rows: list[ScoreRow]


class ProgressContent(msgspec.Struct, kw_only=True):
    """What the voortgang PDF shows: the latest sheet per perspective, already consent-filtered."""

    jobseeker: str
    sheets: list[ProgressSheet]
    some_withheld: bool = False
    recipient: str | None = None


class TrajectoryGoalRow(msgspec.Struct, kw_only=True):
    """One SMART goal as printed."""

    area: str
    life_domain: str
    text: str
    measure: str
    due_date: date
    helped_by: str | None = None
    actions: list[str] = []


class TrajectorySignatureRow(msgspec.Struct, kw_only=True):
    """One signature as printed."""

    by: str
    method: str
    signed_at: datetime


class TrajectoryContent(msgspec.Struct, kw_only=True):
    """What the printed trajectovereenkomst shows: one version, goals already consent-filtered."""

    jobseeker: str
    version: int
    in_force: bool
    goals: list[TrajectoryGoalRow]
    signatures: list[TrajectorySignatureRow]
    some_withheld: bool = False
    recipient: str | None = None


class CardCompetence(msgspec.Struct, kw_only=True):
    """A key competence as printed: its name and the glossary's definition."""

    name: str
    definition: str


class CardTask(msgspec.Struct, kw_only=True):
    """A task of competence card 1 as printed."""

    text: str
    key_competences: list[str] = []
    technical_competences: list[str] = []


class CompetenceCardContent(msgspec.Struct, kw_only=True):
    """What the printed one-page competence card shows."""

    jobseeker: str
    kind: str
    named_by: str
    made_on: date
    job_title: str | None = None
    tasks: list[CardTask] = []
    key_competences: list[CardCompetence] = []
    technical_competences: list[str] = []
    job_targets: list[str] = []


class IntegratedSectionRow(msgspec.Struct, kw_only=True):
    """One of the nine sections as printed: its text, or withheld for this recipient."""

    position: int
    title: str
    key: str = ""
    text: str | None = None
    withheld: bool = False


class IntegratedContent(msgspec.Struct, kw_only=True):
    """What the printed integrated work-welfare report shows for one recipient."""

    jobseeker: str
    evaluation_month: str
    sections: list[IntegratedSectionRow]
    recipient: str | None = None
    version: int = 1
    shared: bool = False  # an agency copy shared by every agency with the same scope (no name on it)


class DrawingContent(msgspec.Struct, kw_only=True):
    """What the printed shared drawing shows: its data (drawn as on the page) and who it is for."""

    id: uuid.UUID
    jobseeker: str
    kind: str
    title: str | None = None
    items: list[dict[str, Any]] = []
    made_on: date
    by_jobseeker: bool = False
    life_domain: str
    recipient: str | None = None

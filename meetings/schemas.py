"""Request and response schemas of the meetings API (msgspec)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from w2.platform.schemas import Email

Text = Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
Participation = Literal["full", "second_part", "none"]
PracticalNeed = Literal["transport", "childcare", "interpreter"]
InviteeKind = Literal["professional", "jobseeker", "confidant"]
Method = Literal["portal", "signed_form", "verbal"]
Answer = Literal["yes", "maybe", "no"]
Attendance = Literal["present", "absent", "excused"]
Rsvp = Literal["accepted", "tentative", "declined"]
LifeDomain = Literal["finances", "work_training", "health", "parenting", "household", "social",
                     "participation", "housing", "justice", "network", "inner", "other"]


class UrgentThemeIn(msgspec.Struct, forbid_unknown_fields=True):
    """One theme the job seeker finds most urgent, in the life domain they choose (default `other`)."""

    text: ShortText
    life_domain: LifeDomain = "other"


# A plain text (one theme per line, tagged `other`) or a list of tagged themes.
UrgentThemes = Annotated[list[UrgentThemeIn], msgspec.Meta(max_length=20)] | Text


class RequestedBy(msgspec.Struct, forbid_unknown_fields=True):
    """Who asked for the round table."""

    kind: Literal["professional", "jobseeker"]
    user_id: uuid.UUID | None = None


class MeetingIn(msgspec.Struct, forbid_unknown_fields=True):
    """Request a round table."""

    reason: Text
    goal: Text
    requested_by: RequestedBy
    jobseeker_participation: Participation = "full"
    non_participation_reason: Text | None = None
    prepared_with_user_id: uuid.UUID | None = None
    practical_needs: list[PracticalNeed] = []
    interpreter_language: ShortText | None = None
    urgent_themes: UrgentThemes | None = None
    started_because: Text | None = None
    # Put the requesting coordinator on the invitee list (the pages do; they can take themselves off).
    invite_coordinator: bool = False


class PreparationIn(msgspec.Struct, forbid_unknown_fields=True):
    """What the coordinator checked with the requester and the job seeker; omitted fields stay as they are."""

    jobseeker_informed: bool | None = None
    jobseeker_participation: Participation | None = None
    non_participation_reason: Text | None = None
    prepared_with_user_id: uuid.UUID | None = None
    practical_needs: list[PracticalNeed] | None = None
    interpreter_language: ShortText | None = None
    thresholds: Text | None = None
    urgent_themes: UrgentThemes | None = None
    goal: Text | None = None
    started_because: Text | None = None
    professional_questions: Text | None = None
    strengths: Text | None = None
    partner_name: ShortText | None = None
    children_names: list[ShortText] | None = None


class InviteeIn(msgspec.Struct, forbid_unknown_fields=True):
    """Invite someone; function, address and email override what the directory knows."""

    kind: InviteeKind
    user_id: uuid.UUID | None = None
    confidant_id: uuid.UUID | None = None
    function: ShortText | None = None
    address: ShortText | None = None
    email: Email | None = None


class JobseekerAgreementIn(msgspec.Struct, forbid_unknown_fields=True):
    """The job seeker agrees to the meeting and its invitee list."""

    method: Method
    witness_user_id: uuid.UUID | None = None


class SlotIn(msgspec.Struct, forbid_unknown_fields=True):
    """A proposed moment."""

    starts_at: datetime
    ends_at: datetime
    location: ShortText | None = None


class VoteIn(msgspec.Struct, forbid_unknown_fields=True):
    """An invitee's answer for a slot."""

    invitee_id: uuid.UUID
    answer: Answer


class LinkVoteItem(msgspec.Struct, forbid_unknown_fields=True):
    """One answer given through a personal link."""

    slot_id: uuid.UUID
    answer: Answer


class LinkAnswerIn(msgspec.Struct, forbid_unknown_fields=True):
    """Answers given through a personal link: votes while polling, a reply once scheduled."""

    votes: list[LinkVoteItem] = []
    rsvp: Rsvp | None = None


class ScheduleIn(msgspec.Struct, forbid_unknown_fields=True):
    """Fix the moment and place."""

    starts_at: datetime
    ends_at: datetime
    location: ShortText
    video_url: Annotated[str, msgspec.Meta(pattern=r"^https://\S+$", max_length=500)] | None = None


class CancelIn(msgspec.Struct, forbid_unknown_fields=True):
    """Cancel the meeting."""

    reason: Text | None = None


class AttendanceItem(msgspec.Struct, forbid_unknown_fields=True):
    """Attendance of one invitee."""

    invitee_id: uuid.UUID
    attendance: Attendance


class AttendanceIn(msgspec.Struct, forbid_unknown_fields=True):
    """Attendance of several invitees."""

    items: Annotated[list[AttendanceItem], msgspec.Meta(min_length=1)]


class NoteIn(msgspec.Struct, forbid_unknown_fields=True):
    """Information shared at the table in one life domain; on a follow-up also what improved since."""

    information: Annotated[str, msgspec.Meta(min_length=1, max_length=20000)] | None = None
    improved: Text | None = None
    title: ShortText | None = None  # only for `other`: the name of "Ander thema"


class CoordinatorIn(msgspec.Struct, forbid_unknown_fields=True):
    """Hand the coordination of this meeting to another professional."""

    user_id: uuid.UUID


class FollowUpIn(msgspec.Struct, forbid_unknown_fields=True):
    """Plan the follow-up meeting (nothing to fill in: it starts from the last one)."""


class FinalizeIn(msgspec.Struct, forbid_unknown_fields=True):
    """Close the meeting and freeze the report.

    Before the planned start, finalizing needs `took_place_earlier` (the coordinator says the meeting
    already took place); `held_on` is then the actual day (today when left out).
    """

    follow_up_date: date | None = None
    took_place_earlier: bool = False
    held_on: date | None = None


# ---- out ----


class InviteeOut(msgspec.Struct):
    """An invitee as the template lists them."""

    id: uuid.UUID
    kind: str
    name: str
    function: str | None
    service: str | None
    address: str | None
    email: str | None
    user_id: uuid.UUID | None
    agency_id: uuid.UUID | None
    confidant_id: uuid.UUID | None
    attendance: str | None
    rsvp: str | None
    invited: bool
    jobseeker_answer: str | None = None  # the job seeker's own yes/no to this person (portal)


class SlotOut(msgspec.Struct):
    """A proposed moment with its tally; `rank` 1 is the best."""

    id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    location: str | None
    yes: int
    maybe: int
    no: int
    unanswered: int
    jobseeker_answer: str | None
    rank: int


class NoteOut(msgspec.Struct):
    """Information in one life domain."""

    life_domain: str
    information: str
    updated_at: datetime
    improved: str | None = None
    title: str | None = None


class UrgentThemeOut(msgspec.Struct):
    """An urgent theme in a life domain the caller may read."""

    id: uuid.UUID
    text: str
    life_domain: str


class CoordinatorChangeOut(msgspec.Struct):
    """One handover of the meeting's coordination."""

    from_user_id: uuid.UUID | None
    to_user_id: uuid.UUID
    by_user_id: uuid.UUID | None
    at: datetime


class JobseekerAgreementOut(msgspec.Struct):
    """The latest agreement of the job seeker, and whether it still covers the list."""

    method: str
    witness_user_id: uuid.UUID | None
    agreed_at: datetime
    invitee_list_version: int
    current: bool


class JobseekerVoiceOut(msgspec.Struct):
    """What the job seeker wrote for the table on their own pages."""

    questions: str | None
    agenda: str | None
    at_ease: str | None
    wished_people: str | None
    updated_at: datetime | None
    progress: str | None = None  # the answer to "Hoe gaat het? Wat is er verbeterd?" (follow-up meetings)
    progress_at: datetime | None = None


class MeetingOut(msgspec.Struct):
    """A meeting with what the caller may see."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    status: str
    reason: str | None  # None: withheld (case content the caller's agency may not read), see `withheld`
    goal: str | None
    requested_by: RequestedBy
    coordinator_user_id: uuid.UUID | None
    jobseeker_informed: bool
    jobseeker_participation: str
    non_participation_reason: str | None
    prepared_with_user_id: uuid.UUID | None
    practical_needs: list[str]
    interpreter_language: str | None
    thresholds: str | None
    partner_name: str | None
    children_names: list[str]
    jobseeker_agreement: JobseekerAgreementOut | None
    starts_at: datetime | None
    ends_at: datetime | None
    location: str | None
    video_url: str | None
    sequence: int
    follow_up_date: date | None
    finalized_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    created_at: datetime
    started_because: str | None = None
    professional_questions: str | None = None
    strengths: str | None = None
    follow_up_of: uuid.UUID | None = None
    follow_ups: list[uuid.UUID] = []
    carried_agreements: list[uuid.UUID] = []
    coordinator_history: list[CoordinatorChangeOut] = []
    urgent_themes: list[UrgentThemeOut] = []
    invitees: list[InviteeOut] = []
    slots: list[SlotOut] = []
    notes: list[NoteOut] = []
    jobseeker_voice: JobseekerVoiceOut | None = None
    held_on: date | None = None  # the actual day, when the meeting took place earlier than planned
    withheld: list[str] = []  # fields left out because the caller's agency lacks consent for their domain
    checkin_asked_at: datetime | None = None  # when the spilfiguur asked "Hoe gaat het?" (follow-up meetings)
    checkin_asked_by: uuid.UUID | None = None


class MeetingListOut(msgspec.Struct):
    """Meetings of a workspace."""

    items: list[MeetingOut]
    total: int


class SlotListOut(msgspec.Struct):
    """Slots, best first."""

    items: list[SlotOut]


class VoteOut(msgspec.Struct):
    """A recorded answer."""

    slot_id: uuid.UUID
    invitee_id: uuid.UUID
    answer: str


class InviteeLinkOut(msgspec.Struct):
    """The personal link of an invitee (for the coordinator to pass on)."""

    invitee_id: uuid.UUID
    url: str
    expires_at: datetime


class LinkSlotOut(msgspec.Struct):
    """A slot as the personal link shows it: date, time and place only."""

    id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    location: str | None
    answer: str | None


class LinkViewOut(msgspec.Struct):
    """What a personal link shows: no case content."""

    status: str
    slots: list[LinkSlotOut]
    starts_at: datetime | None
    ends_at: datetime | None
    location: str | None
    rsvp: str | None


class FinalizeOut(msgspec.Struct):
    """Accepted: the report version was frozen, renditions follow."""

    id: uuid.UUID
    status: str
    report_version: int
    follow_up_date: date | None

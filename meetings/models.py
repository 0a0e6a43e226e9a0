"""Round tables (W²-overleg): the meeting, its invitees, the poll, notes per life domain, frozen reports."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from w2.platform.db.base import Base, CreatedMixin, IdMixin, JSONDict, JSONList, UTCDateTime, utcnow

STATUSES = ("requested", "preparing", "polling", "scheduled", "held", "finalized", "cancelled")
PARTICIPATION = ("full", "second_part", "none")
PRACTICAL_NEEDS = ("transport", "childcare", "interpreter")
INVITEE_KINDS = ("professional", "jobseeker", "confidant")
ATTENDANCE = ("present", "absent", "excused")
ANSWERS = ("yes", "maybe", "no")
RSVP = ("accepted", "tentative", "declined")


class Meeting(IdMixin, CreatedMixin, Base):
    """One round table around the job seeker of a workspace."""

    __tablename__ = "meeting"
    __table_args__ = (
        Index("ix_meeting_ws_created", "workspace_id", "created_at"),
        Index("ix_meeting_status_starts", "status", "starts_at"),
    )
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"))
    status: Mapped[str] = mapped_column(String(20), default="requested")
    # Request
    reason: Mapped[str] = mapped_column(Text)
    started_because: Mapped[str | None] = mapped_column(Text, default=None)  # "Waarom werd het overleg opgestart?"
    goal: Mapped[str] = mapped_column(Text)
    # The professionals' "vragen en wensen"; the job seeker's own live in their portal input.
    professional_questions: Mapped[str | None] = mapped_column(Text, default=None)
    # "Krachten / wat goed loopt": the job seeker's own information (counts as life domain `other`).
    strengths: Mapped[str | None] = mapped_column(Text, default=None)
    # A follow-up meeting points at the meeting it follows; the agreements it carried (ids, at creation).
    follow_up_of_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("meeting.id"), default=None, index=True)
    carried_agreement_ids: Mapped[list[str]] = mapped_column(JSONList, default=list)
    requested_by_kind: Mapped[str] = mapped_column(String(20))  # professional | jobseeker
    requested_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    coordinator_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    # Preparation with the job seeker
    jobseeker_informed: Mapped[bool] = mapped_column(default=False)
    jobseeker_participation: Mapped[str] = mapped_column(String(20), default="full")
    non_participation_reason: Mapped[str | None] = mapped_column(Text, default=None)
    prepared_with_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    practical_needs: Mapped[list[str]] = mapped_column(JSONList, default=list)
    interpreter_language: Mapped[str | None] = mapped_column(String(40), default=None)
    thresholds: Mapped[str | None] = mapped_column(Text, default=None)
    partner_name: Mapped[str | None] = mapped_column(String(200), default=None)
    children_names: Mapped[list[str]] = mapped_column(JSONList, default=list)
    # The job seeker's own voice, from the portal; everyone at the table may read it (they write it for them).
    jobseeker_questions: Mapped[str | None] = mapped_column(Text, default=None)  # "Vragen en wensen"
    jobseeker_agenda: Mapped[str | None] = mapped_column(Text, default=None)
    jobseeker_at_ease: Mapped[str | None] = mapped_column(Text, default=None)  # what helps them feel at ease
    jobseeker_wished_people: Mapped[str | None] = mapped_column(Text, default=None)
    jobseeker_input_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # Before a follow-up: the spilfiguur's "Hoe gaat het? Wat is er verbeterd?" and the job seeker's answer.
    checkin_asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    checkin_asked_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    jobseeker_progress: Mapped[str | None] = mapped_column(Text, default=None)
    jobseeker_progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # Bumped on every change of the invitee list; the job seeker's agreement must match it.
    invitee_list_version: Mapped[int] = mapped_column(Integer, default=0)
    # Scheduling
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    location: Mapped[str | None] = mapped_column(String(300), default=None)
    video_url: Mapped[str | None] = mapped_column(String(500), default=None)
    ics_uid: Mapped[str] = mapped_column(String(120), unique=True)
    ics_sequence: Mapped[int] = mapped_column(Integer, default=0)
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # Closing
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # Set only when the coordinator says the meeting took place earlier than planned: the actual day
    # (the report shows it instead of the planned start) and who said so.
    held_on: Mapped[date | None] = mapped_column(Date, default=None)
    held_early_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    follow_up_date: Mapped[date | None] = mapped_column(Date, default=None)
    finalized_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    cancel_reason: Mapped[str | None] = mapped_column(Text, default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class MeetingInvitee(IdMixin, CreatedMixin, Base):
    """Someone invited to the table: a professional, the job seeker or a confidant."""

    __tablename__ = "meeting_invitee"
    __table_args__ = (
        Index("ix_meeting_invitee_meeting", "meeting_id", "removed_at"),
        Index("ix_meeting_invitee_user", "user_id"),
    )
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meeting.id"))
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agency.id"), default=None)
    confidant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("confidant.id"), default=None)
    function: Mapped[str | None] = mapped_column(String(200), default=None)
    address: Mapped[str | None] = mapped_column(String(300), default=None)
    email: Mapped[str | None] = mapped_column(String(320), default=None)
    attendance: Mapped[str | None] = mapped_column(String(20), default=None)
    rsvp: Mapped[str | None] = mapped_column(String(20), default=None)
    rsvp_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # The SEQUENCE of the last invitation sent to this person (None: never invited).
    invited_sequence: Mapped[int | None] = mapped_column(Integer, default=None)
    added_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    # The job seeker's own yes/no to this person at the table; a "no" blocks scheduling until resolved.
    jobseeker_answer: Mapped[str | None] = mapped_column(String(10), default=None)
    jobseeker_answer_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class MeetingJobseekerAgreement(IdMixin, Base):
    """The job seeker agrees to the meeting and to the invitee list as it stood. Append-only."""

    __tablename__ = "meeting_jobseeker_agreement"
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meeting.id"), index=True)
    invitee_list_version: Mapped[int] = mapped_column(Integer)
    invitees: Mapped[list[Any]] = mapped_column(JSONList, default=list)
    method: Mapped[str] = mapped_column(String(20))
    witness_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    recorded_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    recorded_by_jobseeker: Mapped[bool] = mapped_column(default=False)
    agreed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MeetingSlot(IdMixin, CreatedMixin, Base):
    """A proposed moment in the poll."""

    __tablename__ = "meeting_slot"
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meeting.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    location: Mapped[str | None] = mapped_column(String(300), default=None)


class MeetingVote(Base):
    """One invitee's answer for one slot (the latest answer counts)."""

    __tablename__ = "meeting_vote"
    slot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meeting_slot.id"), primary_key=True)
    invitee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meeting_invitee.id"), primary_key=True)
    answer: Mapped[str] = mapped_column(String(10))
    via: Mapped[str] = mapped_column(String(10), default="api")  # api | link
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class MeetingNote(IdMixin, Base):
    """What was shared at the table in one life domain (case content: consent-gated)."""

    __tablename__ = "meeting_note"
    __table_args__ = (
        UniqueConstraint("meeting_id", "life_domain"),
        Index("ix_meeting_note_ws_domain", "workspace_id", "life_domain"),
    )
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meeting.id"))
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"))
    life_domain: Mapped[str] = mapped_column(String(30))
    information: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(200), default=None)  # the name of "Ander thema"
    improved: Mapped[str | None] = mapped_column(Text, default=None)  # "Wat is er verbeterd?" on a follow-up
    updated_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class MeetingUrgentTheme(IdMixin, CreatedMixin, Base):
    """One theme the job seeker finds most urgent, tagged with a life domain (case content: consent-gated)."""

    __tablename__ = "meeting_urgent_theme"
    __table_args__ = (Index("ix_meeting_urgent_theme_meeting", "meeting_id", "position"),)
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meeting.id"))
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"))
    life_domain: Mapped[str] = mapped_column(String(30), default="other")
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)


class MeetingCoordinatorChange(IdMixin, CreatedMixin, Base):
    """A handover of a meeting's coordination from one professional to another. Append-only."""

    __tablename__ = "meeting_coordinator_change"
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meeting.id"), index=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"))
    from_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    to_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"))
    by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)


class MeetingReportVersion(IdMixin, CreatedMixin, Base):
    """The report's content as frozen at finalize; renditions are rendered from this, never from live rows."""

    __tablename__ = "meeting_report_version"
    __table_args__ = (UniqueConstraint("meeting_id", "version"),)
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meeting.id"), index=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"))
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSONDict, default=dict)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)


class CalendarFeed(Base):
    """A user's calendar feed secret: random, stored, replaced when the user makes a new link."""

    __tablename__ = "calendar_feed"
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    # Random (secrets.token_urlsafe), not derived from the server key, so one user's link can be revoked.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

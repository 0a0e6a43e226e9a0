"""Demo data for meetings: the worked case's round table (finalized) and a follow-up being planned."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.meetings.agreements.models import Agreement
from w2.meetings.models import (
    Meeting,
    MeetingInvitee,
    MeetingJobseekerAgreement,
    MeetingNote,
    MeetingReportVersion,
    MeetingSlot,
    MeetingUrgentTheme,
)
from w2.meetings.round_table import report_data
from w2.platform.db.base import utcnow
from w2.platform.settings import get_settings

PEOPLE = ["coordinator@ocmw.demo", "trajectbegeleider@vdab.demo", "consulent@jeugdrechtbank.demo",
          "begeleider@gon.demo", "thuisbegeleider@thuis.demo"]
NOTES = {
    "finances": "Het inkomen is laag. De administratie loopt achter.",
    "housing": "Het gezin woont met 7 personen in 2 kamers.",
    "parenting": "De kinderen moeten naar school gaan; anders dreigt een plaatsing.",
    "work_training": "Werk is nu geen prioriteit voor de moeder. De oudste zoon (18) zoekt werk.",
}


URGENT = [("Werkvergunning voor de partner", "work_training"), ("Thuis zijn voor de kinderen", "parenting"),
          ("Laag inkomen", "finances"), ("Te kleine woning", "housing")]


def _uid() -> str:
    return f"{uuid.uuid4()}@{urlparse(get_settings().base_url).hostname or 'w2.invalid'}"


async def seed_demo_meetings(session: AsyncSession, workspace_id: Any, users: dict[str, Any]) -> None:
    """A finalized round table that the existing agreements belong to, and a follow-up in the poll."""
    coord, vdab = users["coordinator@ocmw.demo"], users["trajectbegeleider@vdab.demo"]
    now = utcnow()
    held = (now - timedelta(days=14)).replace(hour=9, minute=0, second=0, microsecond=0)
    m = Meeting(
        workspace_id=workspace_id, status="finalized", requested_by_kind="professional",
        reason="De toeleiding naar werk lukt niet; veel diensten komen over de vloer.",
        goal="Beter samenwerken en de taken verdelen.", requested_by_user_id=vdab.id, created_by_user_id=vdab.id,
        coordinator_user_id=coord.id, jobseeker_informed=True, jobseeker_participation="full",
        prepared_with_user_id=vdab.id, practical_needs=["childcare"],
        started_because="Mira kan niet gaan werken zolang thuis, school en geld niet geregeld zijn.",
        strengths="Mira zorgt goed voor haar kinderen en wil graag werken.",
        invitee_list_version=len(PEOPLE) + 1, starts_at=held, ends_at=held + timedelta(hours=1, minutes=30),
        location="OCMW Demostad, zaal 2", ics_uid=_uid(), scheduled_at=held - timedelta(days=7), held_at=held,
        follow_up_date=date.today() + timedelta(days=45), finalized_at=held + timedelta(hours=3),
    )
    session.add(m)
    await session.flush()
    for n, (text, domain) in enumerate(URGENT):
        session.add(MeetingUrgentTheme(meeting_id=m.id, workspace_id=workspace_id, life_domain=domain, text=text,
                                       position=n))
    for email in PEOPLE:
        u = users[email]
        session.add(MeetingInvitee(meeting_id=m.id, kind="professional", user_id=u.id, agency_id=u.agency_id,
                                   attendance="present", invited_sequence=0, rsvp="accepted"))
    session.add(MeetingInvitee(meeting_id=m.id, kind="jobseeker", attendance="present", invited_sequence=0))
    session.add(MeetingJobseekerAgreement(meeting_id=m.id, invitee_list_version=m.invitee_list_version,
                                          method="verbal", witness_user_id=vdab.id, recorded_by_user_id=coord.id,
                                          agreed_at=held - timedelta(days=8)))
    for domain, text in NOTES.items():
        session.add(MeetingNote(meeting_id=m.id, workspace_id=workspace_id, life_domain=domain, information=text,
                                updated_by_user_id=coord.id))
    for a in await session.scalars(select(Agreement).where(Agreement.workspace_id == workspace_id)):
        a.meeting_id = m.id
    await session.flush()
    session.add(MeetingReportVersion(meeting_id=m.id, workspace_id=workspace_id, version=1,
                                     content=await report_data(session, m.id), created_by_user_id=coord.id))
    follow = Meeting(
        workspace_id=workspace_id, status="polling", requested_by_kind="professional",
        reason="Opvolging van het vorige overleg.", goal="Nagaan hoe de afspraken lopen.",
        requested_by_user_id=coord.id, created_by_user_id=coord.id, coordinator_user_id=coord.id,
        jobseeker_informed=True, jobseeker_participation="full", ics_uid=_uid(), follow_up_of_id=m.id,
        carried_agreement_ids=[str(a) for a in await session.scalars(
            select(Agreement.id).where(Agreement.meeting_id == m.id, Agreement.status.in_(("open", "in_progress"))))],
    )
    session.add(follow)
    await session.flush()
    for email in PEOPLE[:2]:
        u = users[email]
        session.add(MeetingInvitee(meeting_id=follow.id, kind="professional", user_id=u.id, agency_id=u.agency_id))
    session.add(MeetingInvitee(meeting_id=follow.id, kind="jobseeker"))
    follow.invitee_list_version = 3
    session.add(MeetingJobseekerAgreement(meeting_id=follow.id, invitee_list_version=3, method="signed_form",
                                          recorded_by_user_id=coord.id))
    for days in (30, 31, 33):
        d = (now + timedelta(days=days)).date()
        start = datetime(d.year, d.month, d.day, 8, 0, tzinfo=now.tzinfo)
        session.add(MeetingSlot(meeting_id=follow.id, starts_at=start, ends_at=start + timedelta(hours=1),
                                location="OCMW Demostad, zaal 2"))
    await session.flush()

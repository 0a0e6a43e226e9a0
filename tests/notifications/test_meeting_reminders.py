"""Meeting tomorrow and follow-up in 7 days (runs once the meetings tables are on main)."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import new_workspace
from tests.notifications.helpers import add_member, drain, messages
from w2.consent.policy import today
from w2.notifications import reminders
from w2.platform.db.base import utcnow
from w2.platform.models import Confidant, PivotAssignment
from w2.platform.settings import get_settings

meetings_models = pytest.importorskip("w2.meetings.models")


async def _meeting(sessionmaker, ws_id, **fields):
    async with sessionmaker() as s, s.begin():
        m = meetings_models.Meeting(workspace_id=uuid.UUID(ws_id), requested_by_kind="professional",
                                    reason="Geheime reden", goal="Geheim doel", ics_uid=f"{uuid.uuid4()}@test",
                                    **fields)
        s.add(m)
        await s.flush()
        return m.id


async def test_meeting_tomorrow_reaches_every_invitee_once(client, factory, sessionmaker, mailbox):
    coord = await factory.person()
    ws = await new_workspace(client, coord, email="js-meet@test.w2")
    partner = await factory.person(roles=("worker",))
    await add_member(sessionmaker, ws["id"], partner.agency_id, partner.user_id)
    tz = ZoneInfo(get_settings().timezone)
    start = datetime.combine(today() + timedelta(days=1), time(10), tz)
    mid = await _meeting(sessionmaker, ws["id"], status="scheduled", starts_at=start,
                         ends_at=start + timedelta(hours=1), location="Geheime plaats", scheduled_at=utcnow())
    async with sessionmaker() as s, s.begin():
        c = Confidant(workspace_id=uuid.UUID(ws["id"]), name="Buur", relation="buur", email="buur-meet@test.w2")
        s.add(c)
        await s.flush()
        for kind, extra in (("professional", {"user_id": coord.user_id, "agency_id": coord.agency_id}),
                            ("professional", {"user_id": partner.user_id, "agency_id": partner.agency_id}),
                            ("jobseeker", {}), ("confidant", {"confidant_id": c.id})):
            s.add(meetings_models.MeetingInvitee(meeting_id=mid, kind=kind, **extra))
    await reminders.run_all(sessionmaker)
    await reminders.run_all(sessionmaker)
    await drain(sessionmaker)
    for address in (coord.email, partner.email, "js-meet@test.w2", "buur-meet@test.w2"):
        await mailbox.wait_for(1, address=address)
    assert all(len(mailbox.to(a)) == 1 for a in (coord.email, partner.email, "js-meet@test.w2", "buur-meet@test.w2"))
    js = mailbox.to("js-meet@test.w2")[0]
    assert js["Subject"] == "Morgen is je overleg"
    for m in mailbox.messages:
        body = m.get_body(preferencelist=("plain",)).get_content()
        assert "Geheime" not in body and "Geheim doel" not in body


async def test_followup_in_seven_days_tells_coordinator_and_pivot(client, factory, sessionmaker, mailbox):
    coord = await factory.person()
    ws = await new_workspace(client, coord)
    pivot = await factory.person(roles=("worker",))
    await add_member(sessionmaker, ws["id"], pivot.agency_id, pivot.user_id)
    async with sessionmaker() as s, s.begin():
        s.add(PivotAssignment(workspace_id=uuid.UUID(ws["id"]), user_id=pivot.user_id, chosen_by_jobseeker=True,
                              since=utcnow()))
    mid = await _meeting(sessionmaker, ws["id"], status="finalized", coordinator_user_id=coord.user_id,
                         follow_up_date=today() + timedelta(days=7))
    await reminders.run_all(sessionmaker)
    await reminders.run_all(sessionmaker)
    rows = [m for m in await messages(sessionmaker, f"followup-7d:{mid}") if m.channel == "email"]
    assert sorted(r.to_address for r in rows) == sorted([coord.email, pivot.email])

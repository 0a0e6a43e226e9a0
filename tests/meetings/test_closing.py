"""Closing a round table: not before it took place (issue 16 bug 3), and read-only once finalized (bug 4)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select

from tests.meetings.support import grant, make_case, ready_meeting, took_place
from tests.meetings.test_table import _schedule
from tests.reports.pdfutil import pdf_text


async def _held_case(client, factory, sessionmaker, days=3):
    case = await make_case(client, factory, sessionmaker, members=("vdab",))
    await grant(sessionmaker, case.wid, case.coord.agency_id, "information_sharing", ["finances"])
    mid, ids = await ready_meeting(client, case)
    await _schedule(client, case, mid, days=days)
    r = await client.put(f"/api/v1/meetings/{mid}/attendance", headers=case.coord.headers, json={
        "items": [{"invitee_id": i, "attendance": "present"} for i in ids.values()]})
    assert r.status_code == 200, r.text
    return case, mid, ids


async def test_a_meeting_ahead_cannot_be_finalized_without_saying_it_took_place_earlier(client, factory,
                                                                                       sessionmaker):
    from w2.meetings.models import Meeting, MeetingReportVersion
    from w2.reports.render import get_renderer
    from w2.reports.versions import content_from_report_data

    case, mid, _ = await _held_case(client, factory, sessionmaker, days=10)
    h = case.coord.headers
    url = f"/api/v1/meetings/{mid}/finalize"
    r = await client.post(url, json={}, headers=h)
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"].endswith("meeting-not-started") and "nog niet begonnen" in r.json()["detail"]
    # a day without the statement, a day ahead, or a day after the planned one: refused, naming the field
    r = await client.post(url, json={"held_on": str(date.today())}, headers=h)
    assert r.status_code == 422 and "vroeger" in r.json()["detail"]
    r = await client.post(url, json={"took_place_earlier": True, "held_on": str(date.today() + timedelta(1))},
                          headers=h)
    assert r.status_code == 422 and "toekomst" in r.json()["detail"]
    async with sessionmaker() as s:
        m = await s.get(Meeting, uuid.UUID(mid))
        assert m.status == "held" and m.held_on is None and m.finalized_at is None  # nothing changed
    actual = date.today() - timedelta(days=1)
    r = await client.post(url, json={"took_place_earlier": True, "held_on": str(actual)}, headers=h)
    assert r.status_code == 202, r.text
    async with sessionmaker() as s:
        m = await s.get(Meeting, uuid.UUID(mid))
        assert (m.status, m.held_on, m.held_early_by_user_id) == ("finalized", actual, case.coord.user_id)
        row = await s.scalar(select(MeetingReportVersion).where(MeetingReportVersion.meeting_id == m.id))
    assert row.content["held_on"] == str(actual)
    assert (await client.get(f"/api/v1/meetings/{mid}", headers=h)).json()["held_on"] == str(actual)
    # the report shows the day it actually took place, not the planned one
    text = pdf_text(get_renderer().report(content_from_report_data(row.content), allowed={"finances"},
                                          recipient=None))
    assert "vroeger dan gepland" in text and str(actual.year) in text
    planned = (date.today() + timedelta(days=10)).strftime("%-d")
    assert f"Overleg op {planned} " not in text


async def test_a_meeting_whose_start_passed_needs_no_statement(client, factory, sessionmaker):
    from w2.meetings.models import Meeting

    case, mid, _ = await _held_case(client, factory, sessionmaker)
    await took_place(sessionmaker, mid)
    r = await client.post(f"/api/v1/meetings/{mid}/finalize", json={}, headers=case.coord.headers)
    assert r.status_code == 202, r.text
    async with sessionmaker() as s:
        assert (await s.get(Meeting, uuid.UUID(mid))).held_on is None


async def test_a_finalized_meeting_is_read_only_with_one_clear_message(client, factory, sessionmaker):
    from w2.meetings.agreements.models import Agreement

    case, mid, ids = await _held_case(client, factory, sessionmaker)
    h = case.coord.headers
    await took_place(sessionmaker, mid)
    assert (await client.post(f"/api/v1/meetings/{mid}/finalize", json={}, headers=h)).status_code == 202
    # no agreement can be added to it: it would reach task lists but never the frozen report
    r = await client.post(f"/api/v1/workspaces/{case.wid}/agreements", headers=h, json={
        "life_domain": "finances", "description": "Te laat", "meeting_id": mid,
        "owner": {"kind": "agency", "agency_id": str(case.coord.agency_id)}})
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"].endswith("meeting-finalized") and "opvolgoverleg" in r.json()["detail"]
    async with sessionmaker() as s:
        assert await s.scalar(select(Agreement.id).where(Agreement.meeting_id == uuid.UUID(mid))) is None
    # a note or attendance after finalize: one message that says what to do, not "schedule it first"
    r = await client.put(f"/api/v1/meetings/{mid}/notes/finances", json={"information": "later"}, headers=h)
    assert r.status_code == 409 and "nieuwe versie van het verslag" in r.json()["detail"]
    assert "moment" not in r.json()["detail"]
    r = await client.put(f"/api/v1/meetings/{mid}/attendance", headers=h,
                         json={"items": [{"invitee_id": ids["coord"], "attendance": "absent"}]})
    assert r.status_code == 409 and "nieuwe versie van het verslag" in r.json()["detail"]
    # the attendance stays what was saved
    att = {i["id"]: i["attendance"] for i in (await client.get(f"/api/v1/meetings/{mid}", headers=h)).json()["invitees"]}
    assert att[ids["coord"]] == "present"

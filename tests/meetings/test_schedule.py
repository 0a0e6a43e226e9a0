"""Scheduling, rescheduling and cancelling: real mail with RFC 5545 invitations, parsed back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar
from sqlalchemy import select

from tests.meetings.support import BXL, agree, grant, invite, make_case, new_meeting, revoke


def next_dst_change(after_days: int = 3) -> date:
    """The first day (from a few days ahead) whose next day has a different Brussels UTC offset."""
    d = datetime.now(BXL).date() + timedelta(days=after_days)
    for _ in range(400):
        a = datetime(d.year, d.month, d.day, 12, tzinfo=BXL).utcoffset()
        n = d + timedelta(days=1)
        b = datetime(n.year, n.month, n.day, 12, tzinfo=BXL).utcoffset()
        if a != b:
            return n
        d = n
    raise AssertionError("no DST change within a year")


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BXL)


async def cal_mails(mailbox, address: str, count: int, method: str) -> list:
    """Wait for `count` calendar mails with this iTIP method to `address`."""
    import asyncio

    for _ in range(900):
        got = [m for m in mailbox.to(address)
               if any(p.get_content_type() == "text/calendar" and p.get_param("method") == method
                      for p in m.walk())]
        if len(got) >= count:
            return got
        await asyncio.sleep(0.1)
    raise AssertionError(f"no {method} mail for {address}")


def calendar_part(msg):
    parts = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, [p.get_content_type() for p in msg.walk()]
    return parts[0]


def event_of(msg):
    part = calendar_part(msg)
    cal = Calendar.from_ical(part.get_content())
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 1
    return part, cal, events[0]


def attendees(ev) -> dict[str, dict]:
    raw = ev.get("ATTENDEE")
    raw = raw if isinstance(raw, list) else [raw]
    return {str(a).lower().removeprefix("mailto:"): dict(a.params) for a in raw}


async def test_invitations_update_and_cancel(client, factory, sessionmaker, mailbox, celery_worker):
    case = await make_case(client, factory, sessionmaker, members=("vdab", "caw"), consent=("coord", "vdab"),
                           given_name="Fatima", family_name="Geheimnaam")
    coord, vdab, caw = case.coord, case.members["vdab"], case.members["caw"]
    js_email = case.ws["jobseeker"]["email"]
    m = await new_meeting(client, case, reason="Schulden en huisvesting", goal="Woning zoeken")
    mid = m["id"]
    r = await client.post(f"/api/v1/workspaces/{case.wid}/confidants",
                          json={"name": "Buurvrouw Els", "relation": "buur", "email": "els-conf@test.w2"},
                          headers=coord.headers)
    conf = r.json()
    for body in ({"kind": "professional", "user_id": str(coord.user_id)},
                 {"kind": "professional", "user_id": str(vdab.user_id)},
                 {"kind": "jobseeker"}, {"kind": "confidant", "confidant_id": conf["id"]}):
        assert (await invite(client, case, mid, **body)).status_code == 201
    assert (await invite(client, case, mid, kind="professional", user_id=str(caw.user_id))).status_code == 409
    await agree(client, case, mid)
    # the job seeker is told that an agreement was recorded on their behalf (no case content)
    told = await mailbox.wait_for(1, address=js_email)
    assert "Geheimnaam" not in told[0].as_string() and "Schulden" not in told[0].as_string()
    mailbox.messages.clear()

    change = next_dst_change()
    before, after = change - timedelta(days=2), change + timedelta(days=2)
    r = await client.post(f"/api/v1/meetings/{mid}/schedule", headers=coord.headers,
                          json={"starts_at": at(before, 10).isoformat(), "ends_at": at(before, 12).isoformat(),
                                "location": "OCMW, Markt 1, zaal 2", "video_url": "https://meet.example/abc"})
    assert r.status_code == 200, r.text
    assert r.json()["sequence"] == 0 and r.json()["status"] == "scheduled"

    addresses = [coord.email, vdab.email, js_email, "els-conf@test.w2"]
    first = {}
    for addr in addresses:
        first[addr] = (await cal_mails(mailbox, addr, 1, "REQUEST"))[0]
    uid = None
    for addr, msg in first.items():
        part, cal, ev = event_of(msg)
        assert part.get_param("method") == "REQUEST"
        assert str(cal["METHOD"]) == "REQUEST"
        assert int(ev["SEQUENCE"]) == 0
        uid = uid or str(ev["UID"])
        assert str(ev["UID"]) == uid
        assert ev["DTSTART"].params["TZID"] == "Europe/Brussels"
        start = ev.decoded("DTSTART")
        assert start.tzinfo is not None and start.replace(tzinfo=None) == at(before, 10).replace(tzinfo=None)
        assert start.astimezone(UTC) == at(before, 10).astimezone(UTC)
        assert str(ev["ORGANIZER"]).lower() == f"mailto:{coord.email}"
        atts = attendees(ev)
        assert coord.email in atts and vdab.email in atts
        assert all(p.get("RSVP") == "TRUE" for p in atts.values())
        assert [c for c in cal.walk("VTIMEZONE")][0]["TZID"] == "Europe/Brussels"
        assert str(ev["LOCATION"]) == "OCMW, Markt 1, zaal 2"
        # no case content anywhere in the mail
        raw = msg.as_string()
        for secret in ("Schulden", "huisvesting", "Woning", "Geheimnaam", "Fatima"):
            assert secret not in raw, (addr, secret)
        if addr in (coord.email, vdab.email):
            assert js_email not in atts and "els-conf@test.w2" not in atts
        assert caw.email not in atts
    assert "Geheimnaam" not in first[js_email]["Subject"]
    assert js_email in attendees(event_of(first[js_email])[2])

    # invite.ics returns the caller's own invitation
    r = await client.get(f"/api/v1/meetings/{mid}/invite.ics", headers=vdab.headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    ev = [c for c in Calendar.from_ical(r.content).walk("VEVENT")][0]
    assert str(ev["UID"]) == uid and vdab.email in attendees(ev)
    assert (await client.get(f"/api/v1/meetings/{mid}/invite.ics", headers=caw.headers)).status_code == 404
    outsider_coord = await factory.person(agency_id=coord.agency_id)
    assert (await client.get(f"/api/v1/meetings/{mid}/invite.ics",
                             headers=outsider_coord.headers)).status_code == 404

    # the personal link in the mail records the reply
    import re

    body = first[vdab.email].get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://testserver\.local(/m/\S+)", body).group(1)
    token = link.rsplit("/", 1)[1]
    r = await client.post(f"/api/v1/meeting-links/{token}", json={"rsvp": "accepted"})
    assert r.status_code == 200 and r.json()["rsvp"] == "accepted" and r.json()["location"].startswith("OCMW")
    inv = (await client.get(f"/api/v1/meetings/{mid}", headers=coord.headers)).json()["invitees"]
    assert {i["user_id"]: i["rsvp"] for i in inv}[str(vdab.user_id)] == "accepted"
    r = await client.post(f"/api/v1/meeting-links/{token}", json={"votes": []})
    assert r.status_code == 200

    # reschedule across the DST change: same UID, SEQUENCE 1, still 10:00 local
    mailbox.messages.clear()
    r = await client.post(f"/api/v1/meetings/{mid}/schedule", headers=coord.headers,
                          json={"starts_at": at(after, 10).isoformat(), "ends_at": at(after, 12).isoformat(),
                                "location": "OCMW, Markt 1, zaal 3"})
    assert r.status_code == 200 and r.json()["sequence"] == 1
    for addr in addresses:
        msg = (await cal_mails(mailbox, addr, 1, "REQUEST"))[0]
        _, cal, ev = event_of(msg)
        assert str(ev["UID"]) == uid and int(ev["SEQUENCE"]) == 1
        assert "Gewijzigd" in msg["Subject"]
        start = ev.decoded("DTSTART")
        assert start.replace(tzinfo=None) == at(after, 10).replace(tzinfo=None)
        assert start.astimezone(UTC) == at(after, 10).astimezone(UTC)
        offsets = {c.name: c for c in cal.walk() if c.name in ("STANDARD", "DAYLIGHT")}
        assert set(offsets) == {"STANDARD", "DAYLIGHT"}
    assert at(before, 10).utcoffset() != at(after, 10).utcoffset()

    # cancel: METHOD:CANCEL, same UID, higher SEQUENCE
    mailbox.messages.clear()
    r = await client.post(f"/api/v1/meetings/{mid}/cancel", json={"reason": "ziek"}, headers=coord.headers)
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    for addr in addresses:
        msg = (await cal_mails(mailbox, addr, 1, "CANCEL"))[0]
        part, cal, ev = event_of(msg)
        assert part.get_param("method") == "CANCEL" and str(cal["METHOD"]) == "CANCEL"
        assert str(ev["UID"]) == uid and int(ev["SEQUENCE"]) == 2 and str(ev["STATUS"]) == "CANCELLED"
        assert "ziek" not in msg.as_string()
    assert mailbox.to(caw.email) == []
    # a cancelled meeting cannot be scheduled again
    r = await client.post(f"/api/v1/meetings/{mid}/schedule", headers=coord.headers,
                          json={"starts_at": at(after, 10).isoformat(), "ends_at": at(after, 12).isoformat(),
                                "location": "x"})
    assert r.status_code == 409
    r = await client.get(f"/api/v1/meetings/{mid}", headers=coord.headers)
    assert r.json()["sequence"] == 2 and r.json()["location"] == "OCMW, Markt 1, zaal 3"


async def test_schedule_refusals_change_nothing(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker, members=("vdab",))
    coord, vdab = case.coord, case.members["vdab"]
    m = await new_meeting(client, case)
    mid = m["id"]
    url = f"/api/v1/meetings/{mid}/schedule"
    day = datetime.now(BXL).date() + timedelta(days=5)
    ok = {"starts_at": at(day, 10).isoformat(), "ends_at": at(day, 11).isoformat(), "location": "Zaal"}
    await invite(client, case, mid, kind="jobseeker")  # moves to preparing
    await agree(client, case, mid)
    # no professional yet is fine; but bad times are 422
    r = await client.post(url, json={**ok, "ends_at": at(day, 9).isoformat()}, headers=coord.headers)
    assert r.status_code == 422
    past = datetime.now(BXL).date() - timedelta(days=1)
    r = await client.post(url, json={**ok, "starts_at": at(past, 10).isoformat(), "ends_at": at(past, 11).isoformat()},
                          headers=coord.headers)
    assert r.status_code == 422
    r = await client.post(url, json={**ok, "video_url": "javascript:alert(1)"}, headers=coord.headers)
    assert r.status_code == 422
    # consent withdrawn after the invitation: scheduling is refused, naming the agency
    cid = await grant(sessionmaker, case.wid, vdab.agency_id, "meeting_participation", ["work_training"])
    assert (await invite(client, case, mid, kind="professional", user_id=str(vdab.user_id))).status_code == 201
    await agree(client, case, mid)
    async with sessionmaker() as s:
        from sqlalchemy import select

        from w2.consent.models import Consent

        ids = list(await s.scalars(select(Consent.id).where(Consent.workspace_id == case.wid,
                                                             Consent.agency_id == vdab.agency_id)))
    for c in ids:
        await revoke(sessionmaker, c)
    assert cid in ids
    r = await client.post(url, json=ok, headers=coord.headers)
    assert r.status_code == 409 and r.json()["missing_consent"]["agency_id"] == str(vdab.agency_id)
    r = await client.get(f"/api/v1/meetings/{mid}", headers=coord.headers)
    assert r.json()["status"] == "preparing" and r.json()["starts_at"] is None
    # vdab no longer sees the meeting
    assert (await client.get(f"/api/v1/meetings/{mid}", headers=vdab.headers)).status_code == 404


async def _outbox(sessionmaker, mid: str):
    from w2.platform.outbox import OutboxMessage

    async with sessionmaker() as s:
        rows = list(await s.scalars(select(OutboxMessage).where(OutboxMessage.kind.like("meeting_%"))))
    return [r for r in rows if r.params.get("meeting_id") == mid]


async def test_send_time_check_and_removal(client, factory, sessionmaker, mailbox):
    import w2.meetings.send_checks  # noqa: F401 - the send-time check (wired by the composition root)
    from tests.meetings.support import ready_meeting
    from w2.platform.tasks import deliver_one

    case = await make_case(client, factory, sessionmaker, members=("vdab", "gon"), consent=("coord", "gon"))
    vdab = case.members["vdab"]
    cid = await grant(sessionmaker, case.wid, vdab.agency_id, "meeting_participation", ["housing"])
    mid, ids = await ready_meeting(client, case)
    day = datetime.now(BXL).date() + timedelta(days=4)
    r = await client.post(f"/api/v1/meetings/{mid}/schedule", headers=case.coord.headers,
                          json={"starts_at": at(day, 10).isoformat(), "ends_at": at(day, 11).isoformat(),
                                "location": "Zaal"})
    assert r.status_code == 200
    rows = await _outbox(sessionmaker, mid)
    assert {r.kind for r in rows} == {"meeting_invitation"} and len(rows) == 4
    # consent withdrawn before the mail left: it is dropped at send time
    await revoke(sessionmaker, cid)
    by_invitee = {r.params["invitee_id"]: r for r in rows}
    assert await deliver_one(sessionmaker, by_invitee[ids["vdab"]].id) == "cancelled"
    assert await deliver_one(sessionmaker, by_invitee[ids["gon"]].id) == "sent"
    for key in ("coord", "jobseeker"):
        await deliver_one(sessionmaker, by_invitee[ids[key]].id)
    assert mailbox.to(vdab.email) == []
    # removing an invited person sends them (only them) a cancellation, and the agreement must be renewed
    gon = case.members["gon"]
    r = await client.delete(f"/api/v1/meetings/{mid}/invitees/{ids['gon']}", headers=case.coord.headers)
    assert r.status_code == 200
    rows = [r for r in await _outbox(sessionmaker, mid) if r.kind == "meeting_cancellation"]
    assert len(rows) == 1 and rows[0].to_address == gon.email and rows[0].params["sequence"] == 1
    await deliver_one(sessionmaker, rows[0].id)
    msg = (await cal_mails(mailbox, gon.email, 1, "CANCEL"))[0]
    assert int(event_of(msg)[2]["SEQUENCE"]) == 1
    r = await client.get(f"/api/v1/meetings/{mid}", headers=case.coord.headers)
    assert r.json()["jobseeker_agreement"]["current"] is False
    assert gon.user_id not in {i["user_id"] for i in r.json()["invitees"]}
    assert (await client.get(f"/api/v1/meetings/{mid}/invite.ics", headers=gon.headers)).status_code == 404

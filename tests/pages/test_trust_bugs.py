"""Regressions for the trust-breaking bugs found when professionals tried the pages (issue 16)."""

from __future__ import annotations

from tests.meetings.support import future, make_case, ready_meeting


async def test_calendar_files_name_their_charset_once(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    mid, _ = await ready_meeting(client, case)
    start = future(5)
    r = await client.post(f"/api/v1/meetings/{mid}/schedule", headers=case.coord.headers, json={
        "starts_at": start.isoformat(), "ends_at": start.replace(hour=11).isoformat(), "location": "OCMW"})
    assert r.status_code == 200, r.text
    r = await client.get(f"/api/v1/meetings/{mid}/invite.ics", headers=case.coord.headers)
    assert r.status_code == 200
    assert r.headers["content-type"].replace(" ", "").lower() == "text/calendar;charset=utf-8"


def test_every_mail_has_a_date(settings_env):
    from w2.platform import mail

    msg = mail.build("member_added", {"name": "x", "link": "https://w2.invalid/"}, "nl", "a@b.be", "k:1")
    assert msg["Date"] and "None" not in str(msg["Date"])

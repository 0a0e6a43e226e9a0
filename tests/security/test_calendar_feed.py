"""Finding 6: a calendar feed has its own stored, revocable secret per user, and follows consent."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.meetings.support import future, make_case, ready_meeting

PASSWORD = "agenda-wachtwoord-16"


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


async def _feed_path(sessionmaker, user_id) -> str:
    from w2.meetings.feed import feed_url

    async with sessionmaker() as s, s.begin():
        return _path(await feed_url(s, user_id))


async def _sign_in(client, email: str) -> None:
    client.cookies.clear()
    login = await client.get("/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', login.text).group(1)
    r = await client.post("/login", data={"email": email, "password": PASSWORD, "_csrf_token": token},
                          follow_redirects=False)
    assert r.status_code in (302, 303), r.text


async def _scheduled_case(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker, members=("vdab",))
    mid, _ = await ready_meeting(client, case)
    r = await client.post(f"/api/v1/meetings/{mid}/schedule", headers=case.coord.headers,
                          json={"starts_at": future(10).isoformat(), "ends_at": future(10, 11).isoformat(),
                                "location": "OCMW zaal 2"})
    assert r.status_code == 200, r.text
    return case, mid


async def test_feed_stops_when_participation_is_withdrawn(client, factory, sessionmaker):
    from w2.consent.models import Consent, ConsentRevocation

    case, _ = await _scheduled_case(client, factory, sessionmaker)
    vdab = case.members["vdab"]
    path = await _feed_path(sessionmaker, vdab.user_id)
    before = await client.get(path)
    assert before.status_code == 200 and "OCMW zaal 2" in before.text
    async with sessionmaker() as s, s.begin():
        for c in await s.scalars(select(Consent).where(Consent.agency_id == vdab.agency_id,
                                                       Consent.purpose == "meeting_participation")):
            s.add(ConsentRevocation(consent_id=c.id, reason="test"))
    after = await client.get(path)
    assert after.status_code == 200 and "BEGIN:VEVENT" not in after.text and "OCMW zaal 2" not in after.text


async def test_new_link_from_the_agenda_page_stops_the_old_one(client, factory, sessionmaker):
    from tests.meetings.support import invite
    from w2.meetings.models import CalendarFeed
    from w2.platform.settings import get_settings

    case, mid = await _scheduled_case(client, factory, sessionmaker)
    me = await factory.person(agency_id=case.members["vdab"].agency_id, roles=("worker",), password=PASSWORD)
    r = await invite(client, case, mid, kind="professional", user_id=str(me.user_id))
    assert r.status_code == 201, r.text
    try:
        await _sign_in(client, me.email)
        page = (await client.get("/afspraken")).text
        old = _path(re.search(r'id="feed" type="text" readonly value="([^"]+)"', page).group(1))
        assert "Nieuwe link maken" in page and "De oude link" in page
        r = await client.get(old)
        assert r.status_code == 200 and "OCMW zaal 2" in r.text
        # The secret is random and stored, not an HMAC of the server's key.
        async with sessionmaker() as s:
            row = await s.get(CalendarFeed, me.user_id)
            assert row is not None and row.token in old and get_settings().secret_key not in old

        # Without the form's CSRF token nothing changes.
        assert (await client.post("/agenda/nieuw", data={})).status_code == 403
        assert (await client.get(old)).status_code == 200

        token = re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)
        r = await client.post("/agenda/nieuw", data={"_csrf_token": token}, follow_redirects=False)
        assert r.status_code in (302, 303) and r.headers["location"] == "/afspraken#agenda"
        after = (await client.get("/afspraken")).text
        assert "De oude link werkt niet meer" in after
        new = _path(re.search(r'id="feed" type="text" readonly value="([^"]+)"', after).group(1))
        assert new != old
        assert (await client.get(old)).status_code == 404
        r = await client.get(new)
        assert r.status_code == 200 and "OCMW zaal 2" in r.text
    finally:
        client.cookies.clear()


async def test_another_users_secret_never_opens_your_feed(client, factory, sessionmaker):
    case, _ = await _scheduled_case(client, factory, sessionmaker)
    vdab = case.members["vdab"]
    other = await factory.person(agency_id=vdab.agency_id, roles=("worker",))
    mine = await _feed_path(sessionmaker, vdab.user_id)
    theirs = await _feed_path(sessionmaker, other.user_id)
    their_secret = theirs.rsplit("/", 1)[1]
    assert (await client.get(f"/agenda/{vdab.user_id}/{their_secret}")).status_code == 404
    assert (await client.get(mine.rsplit("/", 1)[0] + "/" + "x" * 32 + ".ics")).status_code == 404
    assert (await client.get(mine.removesuffix(".ics"))).status_code == 404
    r = await client.get(theirs)
    assert r.status_code == 200 and "OCMW zaal 2" not in r.text  # the other user is not invited
    assert "OCMW zaal 2" in (await client.get(mine)).text

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


async def _signed_in(client, person, password):
    import re

    client.cookies.clear()
    login = await client.get("/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', login.text).group(1)
    r = await client.post("/login", data={"email": person.email, "password": password, "_csrf_token": token},
                          follow_redirects=False)
    assert r.status_code in (302, 303), r.text


async def test_workspace_page_shows_times_in_brussels(client, factory, sessionmaker):
    from datetime import timedelta

    case = await make_case(client, factory, sessionmaker)
    mid, _ = await ready_meeting(client, case)
    start = future(9, hour=13, minutes=30)
    r = await client.post(f"/api/v1/meetings/{mid}/schedule", headers=case.coord.headers, json={
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat(), "location": "OCMW"})
    assert r.status_code == 200, r.text
    coord = await factory.person(agency_id=case.coord.agency_id, roles=("coordinator", "worker"),
                                 password="tijd-wachtwoord-16")
    try:
        await _signed_in(client, coord, "tijd-wachtwoord-16")
        page = await client.get(f"/workspaces/{case.wid}")
        assert page.status_code == 200, page.text[:300]
        assert start.strftime("%d/%m/%Y 13:30") in page.text
        assert start.strftime("%d/%m/%Y 12:30") not in page.text and "11:30" not in page.text
    finally:
        client.cookies.clear()


async def test_poll_with_nothing_chosen_is_not_thanked(client, factory, sessionmaker):
    import re

    case = await make_case(client, factory, sessionmaker)
    mid, ids = await ready_meeting(client, case)
    r = await client.post(f"/api/v1/meetings/{mid}/slots", headers=case.coord.headers,
                          json={"starts_at": future(8, 9).isoformat(), "ends_at": future(8, 10).isoformat()})
    assert r.status_code == 201, r.text
    url = (await client.get(f"/api/v1/meetings/{mid}/invitees/{ids['vdab']}/link",
                            headers=case.coord.headers)).json()["url"]
    path = url.removeprefix("http://testserver.local")
    client.cookies.clear()
    page = await client.get(path)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    r = await client.post(path, data={"_csrf_token": token})
    assert r.status_code == 422
    assert "bewaard" not in r.text and "koos nog niets" in r.text
    assert 'name="slot_' in r.text  # the form is still there to answer
    slots = (await client.get(f"/api/v1/meetings/{mid}/slots", headers=case.coord.headers)).json()["items"]
    assert all(v["answer"] != "yes" for s in slots for v in s.get("votes", []))
    client.cookies.clear()


async def test_inviting_without_meeting_consent_says_what_is_missing_and_what_to_do(client, factory, sessionmaker):
    import re

    from tests.meetings.support import new_meeting

    case = await make_case(client, factory, sessionmaker, members=("vdab", "caw"), consent=("coord", "vdab"))
    m = await new_meeting(client, case)
    caw = case.members["caw"]
    coord = await factory.person(agency_id=case.coord.agency_id, roles=("coordinator", "worker"),
                                 password="toestemming-16")
    try:
        await _signed_in(client, coord, "toestemming-16")
        page = await client.get(f"/meetings/{m['id']}")
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
        r = await client.post(f"/meetings/{m['id']}/genodigden",
                              data={"_csrf_token": token, "who": f"professional:{caw.user_id}"})
        assert r.status_code in (409, 422), r.status_code
        assert "'-'" not in r.text and "levensdomein '" not in r.text
        assert caw.agency_name in r.text and "deelnemen aan het overleg" in r.text
        assert "Vraag de werkzoekende" in r.text
        # One pattern: an error summary at the top that takes focus and links to the field's message.
        summary = r.text.split('id="error-summary"')[1].split("</div>")[0]
        assert "autofocus" in summary and 'href="#i-who"' in summary and 'id="err-invite"' in r.text
        # A successful save says so once, next to what changed (role=status).
        vdab = case.members["vdab"]
        r = await client.post(f"/meetings/{m['id']}/genodigden",
                              data={"_csrf_token": token, "who": f"professional:{vdab.user_id}"})
        assert r.status_code == 200 and 'role="status">De lijst met genodigden is bewaard.' in r.text
        assert "error-summary" not in r.text
        again = await client.get(f"/meetings/{m['id']}")
        assert "De lijst met genodigden is bewaard." not in again.text
    finally:
        client.cookies.clear()


async def test_the_round_table_reads_as_a_task_list(client, factory, sessionmaker):
    import re

    from tests.meetings.support import new_meeting

    case = await make_case(client, factory, sessionmaker)
    coord = await factory.person(agency_id=case.coord.agency_id, roles=("coordinator", "worker"),
                                 password="taken-lijst-16")

    def status(html: str, key: str) -> str:
        m = re.search(rf'id="task-{key}-status">([^<]+)<', html)
        assert m, key
        return m.group(1)

    try:
        await _signed_in(client, coord, "taken-lijst-16")
        fresh = (await new_meeting(client, case))["id"]
        html = (await client.get(f"/meetings/{fresh}")).text
        assert status(html, "prepare") == "Nog niet begonnen"
        assert status(html, "agree") == "Kan nog niet" and "Kies eerst wie er komt." in html
        assert status(html, "table") == "Kan nog niet"
        # Numbers come from the list itself, never twice ("1. 1. Voorbereiden").
        assert not re.search(r">\s*\d\.\s", html.split('id="task-list-title"')[1].split("</nav>")[0])
        mid, _ = await ready_meeting(client, case)
        html = (await client.get(f"/meetings/{mid}")).text
        assert status(html, "invite") == "Klaar" and status(html, "agree") == "Klaar"
        assert status(html, "poll") == "Nog niet begonnen" and status(html, "schedule") == "Nog niet begonnen"
        start = future(6)
        r = await client.post(f"/api/v1/meetings/{mid}/schedule", headers=case.coord.headers, json={
            "starts_at": start.isoformat(), "ends_at": start.replace(hour=11).isoformat(), "location": "OCMW"})
        assert r.status_code == 200, r.text
        html = (await client.get(f"/meetings/{mid}")).text
        assert status(html, "schedule") == "Klaar" and status(html, "table") == "Nog niet begonnen"
    finally:
        client.cookies.clear()


async def test_each_attendance_name_sits_with_its_own_dropdown(client, factory, sessionmaker):
    import re

    case = await make_case(client, factory, sessionmaker)
    mid, ids = await ready_meeting(client, case)
    coord = await factory.person(agency_id=case.coord.agency_id, roles=("coordinator", "worker"),
                                 password="aanwezig-wachtwoord-16")
    try:
        await _signed_in(client, coord, "aanwezig-wachtwoord-16")
        page = await client.get(f"/meetings/{mid}")
        assert page.status_code == 200, page.text[:300]
        rows = re.findall(r'<div class="attendance-row">\s*<label for="(att-[^"]+)">([^<]+)</label>\s*'
                          r'<select id="(att-[^"]+)"', page.text)
        assert rows and len(rows) == page.text.count('name="att_')
        assert all(label_for == select_id for label_for, _, select_id in rows)
    finally:
        client.cookies.clear()

"""The job seeker asks for a round table and has their say in it, on a 360x640 phone."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select

from tests.meetings.support import future
from tests.pages.cases import grant, make_case
from tests.pages.test_partner import staff_sign_in
from tests.pages.test_portal import sign_in

PASSWORD = "coordinator-wachtwoord-9"


async def _count_meetings(sessionmaker, wid) -> int:
    from w2.meetings.models import Meeting

    async with sessionmaker() as s:
        return await s.scalar(select(func.count()).where(Meeting.workspace_id == wid))


async def test_job_seeker_asks_for_a_meeting(phone, page, client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker, coordinator_password=PASSWORD)
    await sign_in(phone, sessionmaker, case.workspace_id)
    p = phone.page
    await phone.submit(p.get_by_role("link", name="Overleg"))
    await phone.assert_fits(320, target=44)
    await phone.screenshot("portal-meetings")
    await phone.submit(p.get_by_role("link", name="Vraag een overleg"))
    await phone.assert_fits(320, target=44)
    await phone.screenshot("portal-meeting-ask")

    # Empty: a clear message per field, nothing stored.
    await phone.submit(p.get_by_role("button", name="Stuur mijn vraag"))
    assert "Er is iets niet goed" in await p.inner_text("[role=alert]")
    assert await p.locator("#e-reason").inner_text() == "Vul dit in."
    assert await p.get_by_label("Waarom wil je een overleg?").get_attribute("aria-invalid") == "true"
    assert await _count_meetings(sessionmaker, case.workspace_id) == 0
    # Too long: says how long it may be; what was typed stays.
    await p.get_by_label("Waarom wil je een overleg?").fill("x" * 2001)
    await p.get_by_label("Wat wil je dat het overleg oplevert?").fill("Eén plan voor werk en wonen.")
    await phone.submit(p.get_by_role("button", name="Stuur mijn vraag"))
    assert "hoogstens 2000 tekens" in await p.locator("#e-reason").inner_text()
    assert await p.get_by_label("Wat wil je dat het overleg oplevert?").input_value() == "Eén plan voor werk en wonen."
    assert await _count_meetings(sessionmaker, case.workspace_id) == 0

    await p.get_by_label("Waarom wil je een overleg?").fill("Ik weet niet meer wie wat doet.")
    await p.get_by_label("Wie wil je erbij?").fill("Mijn zus Lien en iemand van VDAB.")
    await p.get_by_label("Wat heb je nodig om je rustig te voelen?").fill("Eerst even met Sara praten.")
    await p.get_by_label("Vervoer").check()
    await phone.submit(p.get_by_role("button", name="Stuur mijn vraag"))
    assert "Je vraag is verstuurd" in await p.inner_text("[role=status]")
    await phone.assert_fits(320, target=44)
    await phone.screenshot("portal-meeting-requested")

    # The coordinator sees the request as the job seeker's, with what they wrote.
    r = await client.get(f"/api/v1/workspaces/{case.workspace_id}/meetings", headers=case.coordinator.headers)
    [m] = r.json()["items"]
    assert m["requested_by"]["kind"] == "jobseeker" and m["status"] == "requested"
    assert m["practical_needs"] == ["transport"]
    # What they wrote is case content: without consent for its life domain the coordinator sees nothing of it.
    r = await client.get(f"/api/v1/meetings/{m['id']}", headers=case.coordinator.headers)
    assert r.json()["jobseeker_voice"]["wished_people"] is None and r.json()["jobseeker_voice"]["at_ease"] is None
    assert {"jobseeker_wished_people", "jobseeker_at_ease"} <= set(r.json()["withheld"])
    assert "Mijn zus Lien" not in r.text
    await grant(sessionmaker, case.workspace_id, case.coordinator.agency_id, ["network", "health", "other"])
    r = await client.get(f"/api/v1/meetings/{m['id']}", headers=case.coordinator.headers)
    assert r.json()["jobseeker_voice"]["wished_people"] == "Mijn zus Lien en iemand van VDAB."
    await staff_sign_in(page, case.coordinator.email, PASSWORD, path=f"/workspaces/{case.workspace_id}")
    assert "gevraagd door de werkzoekende" in await page.page.inner_text("#vragen-lijst")
    await page.goto(f"/meetings/{m['id']}")
    voice = await page.page.inner_text("section.voice")
    assert "Eerst even met Sara praten." in voice and "Mijn zus Lien" in voice
    # The request was logged as the job seeker's own action.
    from w2.consent.models import AccessLogEntry

    async with sessionmaker() as s:
        kinds = set(await s.scalars(select(AccessLogEntry.actor_kind).where(
            AccessLogEntry.workspace_id == case.workspace_id, AccessLogEntry.resource_type == "meeting_request")))
    assert kinds == {"jobseeker"}


async def test_job_seeker_says_who_comes_votes_and_adds_questions(phone, client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    wid, coord = case.workspace_id, case.coordinator
    await grant(sessionmaker, wid, case.partner.agency_id, ["work_training"], purpose="meeting_participation")
    await grant(sessionmaker, wid, coord.agency_id, ["other"])
    r = await client.post(f"/api/v1/workspaces/{wid}/confidants", headers=coord.headers,
                          json={"name": "Lien Peeters", "relation": "zus"})
    assert r.status_code == 201, r.text
    confidant_id = r.json()["id"]
    r = await client.post(f"/api/v1/workspaces/{wid}/meetings", headers=coord.headers, json={
        "reason": "Begeleiding zit vast", "goal": "Eén plan", "requested_by": {"kind": "professional"}})
    mid = r.json()["id"]
    r = await client.post(f"/api/v1/meetings/{mid}/invitees", headers=coord.headers,
                          json={"kind": "professional", "user_id": str(case.partner.user_id)})
    assert r.status_code == 201, r.text
    partner_inv = r.json()["id"]
    r = await client.post(f"/api/v1/meetings/{mid}/invitees", headers=coord.headers, json={"kind": "jobseeker"})
    assert r.status_code == 201, r.text
    slot_ids = []
    for days in (10, 12):
        start = future(days)
        r = await client.post(f"/api/v1/meetings/{mid}/slots", headers=coord.headers, json={
            "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat()})
        assert r.status_code == 201, r.text
        slot_ids.append(r.json()["id"])

    await sign_in(phone, sessionmaker, wid)
    p = phone.page
    await phone.goto("/portal/overleg")
    await phone.submit(p.locator(f"#m-{mid} a"))
    await phone.assert_fits(320, target=44)
    await phone.screenshot("portal-meeting")

    # "No" to the partner: the answer shows next to that person, and saying yes to the meeting waits.
    row = p.locator(f"#i-{partner_inv}")
    await phone.submit(row.get_by_role("button", name="Nee, liever niet"))
    assert "Je zei nee" in await p.locator(f"#i-{partner_inv} [role=status]").inner_text()
    assert await p.get_by_role("button", name="Ja, ik wil dit overleg, met deze mensen").count() == 0
    r = await client.get(f"/api/v1/meetings/{mid}", headers=coord.headers)
    assert [i["jobseeker_answer"] for i in r.json()["invitees"] if i["id"] == partner_inv] == ["no"]

    # Changing their mind to yes, then agreeing to the meeting.
    await phone.submit(p.locator(f"#i-{partner_inv}").get_by_role("button", name=f"Ja, {case.partner.name} mag komen"))
    await phone.submit(p.get_by_role("button", name="Ja, ik wil dit overleg, met deze mensen"))
    assert "Je zei ja tegen het overleg" in await p.locator("#akkoord ~ [role=status]").first.inner_text()

    # The confidant comes along; the job seeker's own change keeps their yes.
    await phone.submit(p.locator(f"#c-{confidant_id}").get_by_role("button", name="Lien Peeters komt mee"))
    assert "komt mee" in await p.locator(f"#c-{confidant_id} [role=status]").inner_text()
    r = await client.get(f"/api/v1/meetings/{mid}", headers=coord.headers)
    body = r.json()
    assert any(i["confidant_id"] == confidant_id for i in body["invitees"])
    assert body["jobseeker_agreement"]["current"] and body["jobseeker_agreement"]["method"] == "portal"

    # A "no" given later blocks planning until it is solved, and the refusal names the person.
    await phone.submit(p.locator(f"#i-{partner_inv}").get_by_role("button", name="Nee, liever niet"))
    start = future(10)
    schedule = {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat(),
                "location": "OCMW, zaal 2"}
    r = await client.post(f"/api/v1/meetings/{mid}/schedule", headers=coord.headers, json=schedule)
    assert r.status_code == 409 and case.partner.name in r.json()["detail"], r.text
    await phone.submit(p.locator(f"#i-{partner_inv}").get_by_role("button", name=f"Ja, {case.partner.name} mag komen"))

    # Voting on a date with big buttons.
    await phone.submit(p.locator(f"#s-{slot_ids[1]}").get_by_role("button", name="Ja"))
    assert "We bewaarden je antwoord" in await p.locator(f"#s-{slot_ids[1]} [role=status]").inner_text()
    r = await client.get(f"/api/v1/meetings/{mid}", headers=coord.headers)
    assert {s["id"]: s["jobseeker_answer"] for s in r.json()["slots"]}[slot_ids[1]] == "yes"

    # Questions and wishes: too long is refused and kept; then saved.
    await p.get_by_label("Je vragen en wensen").fill("v" * 2001)
    await phone.submit(p.get_by_role("button", name="Bewaar"))
    assert "hoogstens 2000 tekens" in await p.locator("#e-questions").inner_text()
    r = await client.get(f"/api/v1/meetings/{mid}", headers=coord.headers)
    assert r.json()["jobseeker_voice"] is None
    await p.get_by_label("Je vragen en wensen").fill("Kan ik hulp krijgen bij mijn papieren?")
    await p.get_by_label("Waarover wil je praten?").fill("Werk\nWonen")
    await phone.submit(p.get_by_role("button", name="Bewaar"))
    assert "We bewaarden wat je schreef" in await p.locator("form[action$='/inbreng'] [role=status]").inner_text()
    r = await client.get(f"/api/v1/meetings/{mid}", headers=coord.headers)
    assert r.json()["jobseeker_voice"]["questions"] == "Kan ik hulp krijgen bij mijn papieren?"
    assert r.json()["jobseeker_voice"]["agenda"] == "Werk\nWonen"

    # Planned: place and time on the page, and a calendar file for the phone.
    r = await client.post(f"/api/v1/meetings/{mid}/schedule", headers=coord.headers, json=schedule)
    assert r.status_code == 200, r.text
    await phone.goto(f"/portal/overleg/{mid}")
    assert "OCMW, zaal 2" in await p.inner_text("#wanneer")
    async with p.expect_download() as dl:
        await p.get_by_role("link", name="Zet in mijn agenda").click()
    ics = open(await (await dl.value).path(), encoding="utf-8").read()
    assert "BEGIN:VEVENT" in ics and "zaal 2" in ics
    await phone.assert_fits(320, target=44)
    await phone.screenshot("portal-meeting-scheduled")


async def test_other_workspace_ids_change_nothing(phone, client, factory, sessionmaker):
    mine = await make_case(client, factory, sessionmaker)
    other = await make_case(client, factory, sessionmaker)
    r = await client.post(f"/api/v1/workspaces/{other.workspace_id}/meetings", headers=other.coordinator.headers,
                          json={"reason": "x", "goal": "y", "requested_by": {"kind": "professional"}})
    other_mid = r.json()["id"]
    r = await client.post(f"/api/v1/workspaces/{other.workspace_id}/confidants", headers=other.coordinator.headers,
                          json={"name": "Vreemde", "relation": "buur"})
    other_conf = r.json()["id"]
    r = await client.post(f"/api/v1/workspaces/{mine.workspace_id}/meetings", headers=mine.coordinator.headers,
                          json={"reason": "x", "goal": "y", "requested_by": {"kind": "professional"}})
    my_mid = r.json()["id"]
    await sign_in(phone, sessionmaker, mine.workspace_id)
    p = phone.page
    # Another workspace's meeting does not exist for this job seeker.
    resp = await phone.goto(f"/portal/overleg/{other_mid}")
    assert resp.status == 404
    # Forms posted with another workspace's ids (a crafted request) are refused and change nothing.
    await phone.goto(f"/portal/overleg/{my_mid}")
    token = await p.evaluate("() => document.querySelector('input[name=_csrf_token]').value")
    for path, form in [
        (f"/portal/overleg/{other_mid}/inbreng", {"questions": "inbraak"}),
        (f"/portal/overleg/{my_mid}/vertrouwenspersoon", {"confidant_id": other_conf, "comes": "yes"}),
        (f"/portal/overleg/{my_mid}/wie", {"invitee_id": str(uuid.uuid4()), "answer": "no"}),
        (f"/portal/overleg/{my_mid}/stem", {"slot_id": str(uuid.uuid4()), "answer": "yes"}),
    ]:
        r = await p.request.post(path, form={**form, "_csrf_token": token}, max_redirects=0)
        assert r.status == 404, (path, r.status)
        text = await r.text()
        assert 'role="alert"' in text and any(w in text for w in ("hoort niet bij", "bestaat niet", "staat niet bij")), path
    r = await client.get(f"/api/v1/meetings/{other_mid}", headers=other.coordinator.headers)
    assert r.json()["jobseeker_voice"] is None and r.json()["invitees"] == []
    r = await client.get(f"/api/v1/meetings/{my_mid}", headers=mine.coordinator.headers)
    assert r.json()["invitees"] == []

"""Before a follow-up meeting the job seeker answers "Hoe gaat het? Wat is er verbeterd?" on a 360x640 phone."""

from __future__ import annotations

import uuid

from tests.pages.cases import grant, make_case
from tests.pages.test_partner import staff_sign_in
from tests.pages.test_portal import sign_in

PASSWORD = "coordinator-wachtwoord-9"


async def _finalized_meeting(sessionmaker, case) -> uuid.UUID:
    """A meeting that was held and closed, coordinated by the case's coordinator."""
    from w2.meetings.models import Meeting
    from w2.platform.db.base import utcnow
    from w2.platform.models import Jobseeker, Workspace

    async with sessionmaker() as s, s.begin():
        ws = await s.get(Workspace, case.workspace_id)
        js = await s.get(Jobseeker, ws.jobseeker_id)
        js.email = f"{case.given_name.lower()}@example.be"
        m = Meeting(workspace_id=case.workspace_id, status="finalized", reason="Begeleiding zit vast",
                    goal="Eén plan", requested_by_kind="professional", coordinator_user_id=case.coordinator.user_id,
                    ics_uid=f"{uuid.uuid4()}@test", finalized_at=utcnow())
        s.add(m)
        await s.flush()
        return m.id


async def test_job_seeker_answers_how_it_goes(phone, page, client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker, coordinator_password=PASSWORD)
    coord = case.coordinator
    await grant(sessionmaker, case.workspace_id, coord.agency_id, ["other"])
    r = await client.put(f"/api/v1/workspaces/{case.workspace_id}/pivot", headers=coord.headers,
                         json={"user_id": str(case.partner.user_id), "chosen_by_jobseeker": False})
    assert r.status_code == 200, r.text
    first = await _finalized_meeting(sessionmaker, case)
    r = await client.post(f"/api/v1/meetings/{first}/follow-up", headers=coord.headers, json={})
    assert r.status_code == 201, r.text
    mid = r.json()["id"]

    # The message waits in the inbox; it opens the question behind sign-in.
    await sign_in(phone, sessionmaker, case.workspace_id)
    p = phone.page
    await phone.goto("/portal/berichten")
    assert "Er is een bericht voor je in w2" in await p.inner_text("main")
    await phone.assert_fits(320, target=44)
    link = p.locator(f'main a[href="/portal/overleg/{mid}"]')
    assert (await link.inner_text()).startswith("Open")
    await phone.submit(link)
    assert p.url.endswith(f"/portal/overleg/{mid}")
    section = p.locator("section.checkin")
    assert f"Een bericht van {case.partner.name}" in await section.inner_text()
    assert "Wat is er beter sinds het vorige overleg?" in await section.inner_text()
    await phone.assert_fits(320, target=44)
    await phone.screenshot("portal-checkin")

    # Empty and too long: a message at the field, nothing stored.
    await phone.submit(section.get_by_role("button", name="Stuur mijn antwoord"))
    assert await p.locator("#e-progress").inner_text() == "Vul dit in."
    assert await p.get_by_label("Je antwoord").get_attribute("aria-invalid") == "true"
    await p.get_by_label("Je antwoord").fill("x" * 2001)
    await phone.submit(p.locator("section.checkin").get_by_role("button", name="Stuur mijn antwoord"))
    assert "hoogstens 2000 tekens" in await p.locator("#e-progress").inner_text()
    r = await client.get(f"/api/v1/meetings/{mid}", headers=coord.headers)
    assert r.json()["jobseeker_voice"] is None

    await p.get_by_label("Je antwoord").fill("Ik heb een fiets. Ik kom nu op tijd op mijn werk.")
    await phone.submit(p.locator("section.checkin").get_by_role("button", name="Stuur mijn antwoord"))
    assert "Je antwoord is er voor het overleg" in await p.locator("section.checkin [role=status]").inner_text()
    assert await p.get_by_label("Je antwoord").input_value() == "Ik heb een fiets. Ik kom nu op tijd op mijn werk."
    await phone.assert_fits(320, target=44)
    await phone.screenshot("portal-checkin-answered")

    # The coordinator reads it in the preparation of the follow-up meeting.
    await staff_sign_in(page, coord.email, PASSWORD, path=f"/meetings/{mid}")
    voice = await page.page.inner_text("section.voice")
    assert "Ik heb een fiets. Ik kom nu op tijd op mijn werk." in voice and "Wat is er verbeterd?" in voice
    await page.screenshot("coordinator-checkin-answer")

"""On the partner work list an agreement gets a new owner or is struck with a reason (issue 16, deliver 5)."""

from __future__ import annotations

from tests.meetings.support import grant, make_case
from tests.pages.test_partner import staff_sign_in

PASSWORD = "partner-wachtwoord-5"


async def test_partner_changes_the_owner_and_strikes_an_agreement(browser_session, client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker, members=(), consent=())
    vdab = await factory.person(kind="vdab", roles=("worker",), password=PASSWORD)
    jrb = await factory.person(kind="other", roles=("worker",))
    for who in (vdab, jrb):
        r = await client.post(f"/api/v1/workspaces/{case.wid}/members", headers=case.coord.headers,
                              json={"agency_id": str(who.agency_id), "question_type": "afstemming"})
        assert r.status_code == 201, r.text
    await grant(sessionmaker, case.wid, case.coord.agency_id, "information_sharing", ["finances"])
    for who in (vdab, jrb):
        await grant(sessionmaker, case.wid, who.agency_id, "information_sharing", ["work_training"])
    ids = {}
    for text in ("Cv samen opmaken", "Sollicitatiebrief schrijven"):
        r = await client.post(f"/api/v1/workspaces/{case.wid}/agreements", headers=vdab.headers, json={
            "life_domain": "work_training", "description": text,
            "owner": {"kind": "agency", "agency_id": str(vdab.agency_id)}})
        assert r.status_code == 201, r.text
        ids[text] = r.json()["id"]
    phone = await browser_session.new_page(width=360, height=800)
    p = phone.page
    await staff_sign_in(phone, vdab.email, PASSWORD, path="/afspraken")
    row = p.locator(f"#a-{ids['Cv samen opmaken']}")
    # A new owner without consent for the domain is refused, naming what is missing; nothing changes.
    await row.locator("summary", has_text="Wijzig de afspraak").click()
    await row.get_by_label("Wie doet het?").select_option(label=case.coord.agency_name)
    await phone.submit(row.get_by_role("button", name="Bewaar de wijziging"))
    row = p.locator(f"#a-{ids['Cv samen opmaken']}")
    assert "toestemming" in await row.locator(".field-error").inner_text()
    assert await row.get_by_label("Wie doet het?").get_attribute("aria-invalid") == "true"
    await row.get_by_label("Wie doet het?").select_option(label=jrb.agency_name)
    await phone.submit(row.get_by_role("button", name="Bewaar de wijziging"))
    assert "Opgeslagen" in await p.inner_text("[role=status]")
    assert await p.locator(f"#a-{ids['Cv samen opmaken']}").count() == 0  # now the youth service's task
    r = await client.get(f"/api/v1/agreements/{ids['Cv samen opmaken']}", headers=jrb.headers)
    assert r.json()["owner"]["agency_id"] == str(jrb.agency_id)
    # Striking needs a reason; with one, the agreement leaves the list and keeps the reason.
    row = p.locator(f"#a-{ids['Sollicitatiebrief schrijven']}")
    await row.locator("summary", has_text="Schrap deze afspraak").click()
    await phone.submit(row.get_by_role("button", name="Schrap de afspraak"))
    row = p.locator(f"#a-{ids['Sollicitatiebrief schrijven']}")
    assert "Schrijf waarom" in await row.locator(".field-error").inner_text()
    await row.get_by_label("Waarom wordt deze afspraak geschrapt?").fill("Hij heeft zelf al werk gevonden")
    await phone.submit(row.get_by_role("button", name="Schrap de afspraak"))
    assert "geschrapt" in await p.inner_text("[role=status]")
    assert await p.locator(f"#a-{ids['Sollicitatiebrief schrijven']}").count() == 0
    await phone.goto(f"/workspaces/{case.wid}/afspraken")
    assert "Geschrapt: Hij heeft zelf al werk gevonden" in await p.inner_text("main")
    await phone.assert_fits(360)

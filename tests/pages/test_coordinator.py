"""The coordinator's flow in a real browser: screening, create, members, pivot, consent grid, sending the sign-in link."""

from __future__ import annotations

from tests.factories import unique
from tests.pages.cases import grant
from tests.pages.test_partner import staff_sign_in
from tests.pages.workspace import open_section

PASSWORD = "coordinator-wachtwoord-1"


async def test_coordinator_creates_workspace_and_sends_portal_link(browser_session, factory, sessionmaker, mailbox):
    coord = await factory.person(kind="ocmw", roles=("coordinator", "worker"), password=PASSWORD,
                                 name=unique("Sara Coördinator"))
    partner = await factory.person(kind="vdab", roles=("worker",), name=unique("Tom Trajectbegeleider"))
    page = await browser_session.new_page()
    await staff_sign_in(page, coord.email, PASSWORD)
    await page.submit(page.page.get_by_role("link", name="Nieuwe werkruimte"))

    p = page.page
    await p.get_by_label("Familienaam").fill("Voorbeeld")
    await p.get_by_label("E-mailadres").fill("geen-mail")
    await p.get_by_label("Rijksregisternummer").fill("12345678901")
    await p.get_by_label("Moet schulden afbetalen").check()
    await p.get_by_label("Heeft alleen een diploma lager onderwijs").check()
    await p.get_by_label("Verhuist vaak").check()
    await page.submit(p.get_by_role("button", name="Bereken"))
    assert "Waarschijnlijk armoede" in await p.inner_text("#screening-result")
    assert "geen oordeel" in await p.inner_text("#screening-result")
    assert await p.get_by_label("Verhuist vaak").is_checked()
    await page.assert_fits(320)
    await page.screenshot("coordinator-new-workspace")

    await page.submit(p.get_by_role("button", name="Maak de werkruimte"))
    assert await p.get_by_label("Familienaam").input_value() == "Voorbeeld"
    assert await p.get_by_label("E-mailadres").input_value() == "geen-mail"
    assert "Vul dit in." in await p.inner_text("#e-given_name")
    assert "geen geldig e-mailadres" in await p.inner_text("#e-email")
    assert "rijksregisternummer klopt niet" in await p.inner_text("#e-national_number")
    assert await p.get_by_label("Voornaam").get_attribute("aria-invalid") == "true"

    given = unique("Mira").replace(" ", "")
    await p.get_by_label("Voornaam").fill(given)
    await p.get_by_label("E-mailadres").fill("mira@voorbeeld.test")
    await p.get_by_label("Rijksregisternummer").fill("")
    await page.submit(p.get_by_role("button", name="Maak de werkruimte"))
    # The next step is the services: the page lands on that part of the workspace.
    assert f"Werkruimte van {given} Voorbeeld" in await p.inner_text(".caption")
    workspace_id = p.url.split("/workspaces/")[1].split("/")[0]
    nav = p.get_by_role("navigation", name="Delen van de werkruimte")
    assert await nav.get_by_role("link", name="Diensten", exact=True).get_attribute("aria-current") == "page"
    # Add the partner agency with its question; a missing question type comes back with a message.
    await p.get_by_label("Dienst", exact=True).select_option(label=partner.agency_name)
    await page.submit(p.get_by_role("button", name="Voeg toe"))
    assert "Kies het soort vraag." in await p.inner_text("#e-m-type")
    assert await p.get_by_label("Dienst", exact=True).input_value() == str(partner.agency_id)
    await p.get_by_label("Soort vraag").select_option("doorverwijzing")
    await p.get_by_label("Vraag aan de dienst").fill("Samen werk zoeken.")
    # The question is case content: tagged with a life domain, read only with consent for it (issue 13).
    await p.get_by_label("Over welk levensdomein gaat de vraag?").select_option(label="Arbeid en/of opleiding")
    await page.submit(p.get_by_role("button", name="Voeg toe"))
    assert "De dienst is toegevoegd." in await p.inner_text("[role=status]")
    members = await p.inner_text("#diensten-tabel")
    assert "Samen werk zoeken." not in members and "Je ziet deze vraag niet" in members
    import uuid

    await grant(sessionmaker, uuid.UUID(workspace_id), coord.agency_id, ["work_training"])
    await page.goto(f"/workspaces/{workspace_id}/diensten")
    assert "Samen werk zoeken." in await p.inner_text("#diensten-tabel")

    # No pre-ticked "chosen by the job seeker": staff propose, the job seeker confirms on the portal.
    await open_section(page, "Spilfiguur")
    assert await p.locator("#p-chosen").count() == 0
    await p.get_by_label("Voorstel voor de spilfiguur").select_option(label=f"{partner.name} ({partner.agency_name})")
    await page.submit(p.get_by_role("button", name="Bewaar spilfiguur"))
    assert partner.name in await p.locator("#spilfiguur-geschiedenis").inner_text()
    assert "de werkzoekende bevestigt nog" in await p.locator("#spilfiguur-geschiedenis").inner_text()

    await grant(sessionmaker, uuid.UUID(workspace_id), partner.agency_id, ["work_training"])
    await page.goto(f"/workspaces/{workspace_id}/toestemming")
    row = p.locator("table.grid tr", has_text="Arbeid en/of opleiding")
    assert "I" in await row.inner_text()
    await page.assert_fits(320)
    await page.goto(f"/workspaces/{workspace_id}")
    assert partner.name in await p.inner_text("#spilfiguur-nu")
    await page.assert_fits(320)
    await page.screenshot("coordinator-workspace")

    # The coordinator sends the link to the job seeker's own mailbox; the page shows only where it went.
    await page.submit(p.get_by_role("button", name="Stuur een aanmeldlink per e-mail naar m***@voorbeeld.test"))
    assert "We sturen een aanmeldlink naar m***@voorbeeld.test" in await p.inner_text("#invite-status")
    assert "/portal/in/" not in await p.content()
    await page.assert_fits(320)
    from tests.portal.helpers import deliver_pending, link_in

    assert await deliver_pending(sessionmaker, uuid.UUID(workspace_id)) == ["sent"]
    mail = (await mailbox.wait_for(1, address="mira@voorbeeld.test"))[-1]
    token = link_in(mail.get_body(("plain",)).get_content())
    phone = await browser_session.new_page(width=360, height=640)
    await phone.goto(f"/portal/in/{token}")
    await phone.submit(phone.page.get_by_role("button", name="Ga verder"))
    await phone.goto("/portal/betrokken")
    main = await phone.page.inner_text("main")
    assert partner.agency_name in main and f"Je vaste aanspreekpunt is {partner.name}." in main

"""The instruments in a real browser: the spiral forward and back, the vignet, the trajectovereenkomst
signed by both sides (staff and the job seeker in the portal); axe on every page."""

from __future__ import annotations

from tests.factories import new_workspace, unique
from tests.pages.cases import grant
from tests.pages.test_partner import staff_sign_in
from tests.pages.test_portal import sign_in

PASSWORD = "trajectbegeleider-wachtwoord-1"


async def test_counsellor_and_jobseeker_use_the_instruments(browser_session, client, factory, sessionmaker):
    coord = await factory.person(kind="vdab", roles=("coordinator", "worker"), password=PASSWORD,
                                 name=unique("Tom Trajectbegeleider"))
    colleague = await factory.person(agency_id=coord.agency_id, roles=("worker",), name=unique("Ilse Getuige"))
    partner = await factory.person(kind="ocmw", roles=("worker",), password=PASSWORD, name=unique("Pim"))
    ws = await new_workspace(client, coord, given_name="Mira")
    r = await client.post(f"/api/v1/workspaces/{ws['id']}/members", headers=coord.headers,
                          json={"agency_id": str(partner.agency_id), "question_type": "advies"})
    assert r.status_code == 201
    import uuid

    wid = uuid.UUID(ws["id"])
    await grant(sessionmaker, wid, coord.agency_id, ["work_training", "housing", "other", "network"])
    await grant(sessionmaker, wid, partner.agency_id, ["housing"])

    page = await browser_session.new_page()
    p = page.page
    await staff_sign_in(page, coord.email, PASSWORD)
    await page.goto(f"/workspaces/{wid}/documenten")
    await page.submit(p.get_by_role("link", name="Traject (spiraal en fase)"))
    # forward, forward, then back: all recorded, none refused
    for label in ("1. Toeleiding", "1. Het eerste contact", "3. Naar gedeelde inzichten",
                  "2. Exploratie en eerste acties op domeinen van welzijn en werk"):
        await p.get_by_label("Fase", exact=True).select_option(label=label)
        await page.submit(p.get_by_role("button", name="Bewaar de fase"))
    assert "Nu: Exploratie en eerste acties" in await p.inner_text("main")
    history = await p.inner_text("#geschiedenis + ol")
    assert history.count("terug") == 1 and history.count("vooruit") == 2
    desc = await p.locator("svg.spiral desc").text_content()
    assert "Exploratie en eerste acties" in desc
    await page.assert_fits(320)
    await page.screenshot("instruments-trajectory")
    # a wrong phase code is refused with a readable message and nothing changes
    await p.evaluate("() => { const o = document.createElement('option'); o.value = 'c9_moon'; o.text = 'maan';"
                     " document.querySelector('#phase-code').append(o); }")
    await p.get_by_label("Fase", exact=True).select_option("c9_moon")
    await page.submit(p.get_by_role("button", name="Bewaar de fase"))
    assert "Deze fase bestaat niet" in await p.inner_text("[role=alert]")

    await page.submit(p.get_by_role("link", name="Vignet"))
    await p.locator("#life_story-text").fill("Mira groeide op in Antwerpen.")
    await p.locator("#objective_traits-text").fill("Afkomst: Marokko")
    await p.locator("#objective_traits-sensitive").check()
    await p.locator("#work_strengths-text").fill("Werkt graag met de handen.")
    await p.locator("#welfare_obstacles-text").fill("Te kleine woning.")
    await p.locator("#welfare_obstacles-domain").select_option("housing")
    await page.submit(p.get_by_role("button", name="Bewaar"))
    assert await p.locator("#life_story-text").input_value() == "Mira groeide op in Antwerpen."
    assert "gevoelig" in await p.inner_text("fieldset:has(#objective_traits-text)")
    await page.screenshot("instruments-vignet")

    await page.submit(p.get_by_role("link", name="Trajectovereenkomst"))
    await p.locator("#g0-area").select_option("welfare")
    await p.locator("#g0-domain").select_option("housing")
    await p.locator("#g0-text").fill("Een grotere woning vinden")
    await p.locator("#g0-measure").fill("Ingeschreven bij twee sociale verhuurders")
    await p.locator("#g0-due").fill("2027-03-01")
    await p.locator("#g0-actions").fill("Afspraak bij de huurdersbond\nFormulieren samen invullen")
    await p.locator("#g1-area").select_option("work")
    await p.locator("#g1-text").fill("Opleiding logistiek starten")
    await p.locator("#g1-measure").fill("Inschrijving bevestigd")
    await p.locator("#g1-due").fill("2027-05-01")
    await page.submit(p.get_by_role("button", name="Maak de nieuwe versie"))
    assert "nog niet getekend door beide kanten" in await p.inner_text("main")
    await page.submit(p.get_by_role("button", name="Teken versie 1 als trajectbegeleider"))
    assert "nog niet getekend door beide kanten" in await p.inner_text("main")
    await page.assert_fits(320)
    await page.screenshot("instruments-agreement")
    href = await p.get_by_role("link", name="PDF om af te drukken (versie 1)").get_attribute("href")
    pdf = await p.context.request.get(href)
    assert pdf.status == 200 and (await pdf.body()).startswith(b"%PDF")

    # the partner (housing only) sees the housing goal, not the work goal, and no phases
    other = await browser_session.new_page()
    await staff_sign_in(other, partner.email, PASSWORD)
    await other.goto(f"/workspaces/{wid}/trajectovereenkomst")
    text = await other.page.inner_text("main")
    assert "Een grotere woning vinden" in text and "Opleiding logistiek" not in text
    await other.goto(f"/workspaces/{wid}/traject")
    assert "geen toestemming" in await other.page.inner_text("main")
    await other.goto(f"/workspaces/{wid}/vignet")
    assert await other.page.locator("#welfare_obstacles-text").input_value() == "Te kleine woning."
    assert await other.page.locator("#life_story-text").input_value() == ""

    # the job seeker sees the spiral, all of the vignet, adds their own words and signs in the portal
    phone = await browser_session.new_page(width=360, height=640)
    await sign_in(phone, sessionmaker, wid)
    await phone.submit(phone.page.get_by_role("link", name="Waar sta je in je traject?"))
    assert "Nu ben je hier: Exploratie en eerste acties" in await phone.page.inner_text("main")
    await phone.assert_fits(320)
    await phone.screenshot("portal-trajectory")
    await phone.goto("/portal/vignet")
    assert "Afkomst: Marokko" in await phone.page.inner_text("main")
    await phone.page.locator("#own-life_story").fill("Ik ben fier op mijn kinderen.")
    await phone.submit(phone.page.get_by_role("button", name="Bewaar mijn woorden"))
    assert "bewaard" in await phone.page.inner_text("[role=status]")
    await phone.assert_fits(320)
    await phone.screenshot("portal-vignet")
    await phone.goto("/portal/overeenkomst")
    assert "Opleiding logistiek starten" in await phone.page.inner_text("main")
    href = await phone.page.get_by_role("link", name="Download in eenvoudige taal (PDF)").get_attribute("href")
    easy = await phone.page.context.request.get(href)
    assert easy.status == 200 and (await easy.body()).startswith(b"%PDF")
    await phone.submit(phone.page.get_by_role("button", name="Ik ga akkoord met versie 1 en teken"))
    assert "Jij hebt getekend." in await phone.page.inner_text("main")
    assert "die geldt nu" in await phone.page.inner_text("main")
    await phone.assert_fits(320)
    await phone.screenshot("portal-agreement")

    # the counsellor now sees it in force, and the job seeker's own words in the vignet
    await page.goto(f"/workspaces/{wid}/trajectovereenkomst")
    assert "geldt nu" in await p.inner_text("main")
    await page.goto(f"/workspaces/{wid}/vignet")
    assert "Ik ben fier op mijn kinderen." in await p.inner_text("main")
    assert colleague.user_id

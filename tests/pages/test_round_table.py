"""The coordinator runs the worked case's round table in a real browser, from request to finalized report."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta

from tests.factories import new_workspace, unique
from tests.pages.cases import portal_link
from tests.pages.test_partner import staff_sign_in

PASSWORD = "coordinator-wachtwoord-2"


async def test_round_table_wizard_to_finalized(page, browser_session, client, factory, sessionmaker,
                                               celery_worker):
    coord = await factory.person(kind="ocmw", roles=("coordinator", "worker"), password=PASSWORD,
                                 name=unique("Sara"))
    vdab = await factory.person(kind="vdab", roles=("worker",), name=unique("Tom"), password=PASSWORD)
    ws = await new_workspace(client, coord, given_name="Mira", email="mira@voorbeeld.test")
    wid = ws["id"]
    r = await client.post(f"/api/v1/workspaces/{wid}/members", headers=coord.headers,
                          json={"agency_id": str(vdab.agency_id), "question_type": "doorverwijzing"})
    assert r.status_code == 201, r.text
    for agency in (coord.agency_id, vdab.agency_id):
        for purpose in ("information_sharing", "meeting_participation", "report_distribution"):
            r = await client.post(f"/api/v1/workspaces/{wid}/consents", headers=coord.headers, json={
                "agency_id": str(agency), "purpose": purpose, "life_domains": ["work_training", "housing"],
                "method": "signed_form"})
            assert r.status_code == 201, r.text
    # No consent for social/parenting: the partner's and children's names stay out of OCMW's view and copy.

    await staff_sign_in(page, coord.email, PASSWORD, path=f"/workspaces/{wid}/overleg")
    p = page.page
    # Missing reason: the request form comes back with a Dutch message and the goal kept.
    await p.get_by_label("Wat is het doel?").fill("Samen een plan maken voor werk en wonen.")
    await page.submit(p.get_by_role("button", name="Vraag het overleg aan"))
    assert await p.get_by_label("Wat is het doel?").input_value() == "Samen een plan maken voor werk en wonen."
    assert "Vul dit in." in await p.inner_text("#e-r-reason")
    assert await p.evaluate("() => document.activeElement.id") == "error-summary"
    await p.get_by_label("Waarom een overleg?").fill("De begeleiding zit vast.")
    await p.get_by_label("Opvang voor de kinderen").check()
    await page.submit(p.get_by_role("button", name="Vraag het overleg aan"))
    assert "W²-overleg voor Mira" in await p.inner_text("h1")
    # The coordinator who asked is on the invitee list at once, and can take themself off (bug 9).
    assert coord.name in await p.locator("#invite ~ ul").first.inner_text()
    await page.submit(p.get_by_role("button", name="Haal mij van de lijst"))
    assert coord.name not in await p.locator("#invite ~ ul").first.inner_text()
    assert await p.locator("section:has(#invite) [role=status]").count() == 1

    await p.get_by_label("De werkzoekende is op de hoogte").check()
    await p.get_by_label("Waarom werd het overleg opgestart?").fill("Mira kan pas werken als het wonen geregeld is.")
    await p.get_by_label("Krachten / wat goed loopt").fill("Mira zorgt goed voor haar kinderen.")
    await p.get_by_label("Naam partner").fill("Samir")
    await p.get_by_label("Naam kinderen (één per regel)").fill("Adam\nLina")
    # Urgent themes: one per row, each in the life domain the job seeker chooses (default: other theme).
    await p.get_by_label("Thema 1", exact=True).fill("Grotere woning")
    await p.get_by_label("Domein van thema 1").select_option("housing")
    await p.get_by_label("Thema 2", exact=True).fill("Werkvergunning partner")
    await p.get_by_label("Domein van thema 2").select_option("health")  # not consented for OCMW
    await page.submit(p.get_by_role("button", name="Bewaar de voorbereiding"))
    # Refused, naming the missing consent; the rows keep what was typed.
    assert "geen toestemming" in await p.inner_text("#err-prepare")
    assert await p.get_by_label("Thema 2", exact=True).input_value() == "Werkvergunning partner"
    await p.get_by_label("Domein van thema 2").select_option("work_training")
    await page.submit(p.get_by_role("button", name="Bewaar de voorbereiding"))
    assert await p.get_by_label("Thema 1", exact=True).input_value() == "Grotere woning"
    assert await p.get_by_label("Domein van thema 2").input_value() == "work_training"
    # The partner's name is `social` case content: OCMW holds no consent for it, so it is not shown back.
    assert await p.get_by_label("Naam partner").input_value() == ""
    for who in ("Mira", vdab.name):
        await p.get_by_label("Nodig uit").select_option(label=next(
            o for o in await p.locator("#i-who option").all_inner_texts() if o.startswith(who)))
        if who == vdab.name:
            await p.get_by_label("Functie (niet verplicht)").fill("trajectbegeleider")
            await p.get_by_label("Adres (niet verplicht)").fill("Stationsplein 4, 2000 Demostad")
        await page.submit(p.get_by_role("button", name="Nodig uit"))
    assert vdab.name in await p.locator("#invite ~ ul").first.inner_text()
    # The job seeker agrees on their own phone, to the meeting and to who comes.
    phone = await browser_session.new_page(width=360, height=640)
    await phone.goto(await portal_link(sessionmaker, uuid.UUID(wid)))
    await phone.submit(phone.page.get_by_role("button", name="Ga verder"))
    await phone.goto("/portal/overleg")
    await phone.submit(phone.page.locator("ul.cards li a.row-link").first)
    assert vdab.name in await phone.page.inner_text("main")
    await phone.submit(phone.page.get_by_role("button", name="Ja, ik wil dit overleg, met deze mensen"))
    assert "Je zei ja tegen dit overleg." in await phone.page.inner_text("main")
    await phone.assert_fits(320)
    await page.goto(p.url.split("#")[0])
    assert "Akkoord gegeven" in await p.inner_text("section:has(#agree)")

    day = (date.today() + timedelta(days=7)).isoformat()
    await p.locator("#s-day").fill(day)
    await p.locator("#s-start").fill("10:00")
    await p.locator("#s-end").fill("11:30")
    await p.locator("#s-loc").fill("OCMW, zaal 2")
    await page.submit(p.get_by_role("button", name="Stel dit moment voor"))
    assert "OCMW, zaal 2" in await p.inner_text("section:has(#poll)")
    await page.screenshot("round-table-wizard")

    # An end before the start is refused, the values stay.
    await p.locator("#c-day").fill(day)
    await p.locator("#c-start").fill("10:00")
    await p.locator("#c-end").fill("09:00")
    await p.locator("#c-loc").fill("OCMW, zaal 2")
    await page.submit(p.get_by_role("button", name="Plan en nodig iedereen uit"))
    assert await p.locator("#err-schedule").count() == 1
    assert await p.locator("#c-end").input_value() == "09:00"
    await p.locator("#c-end").fill("11:30")
    await page.submit(p.get_by_role("button", name="Plan en nodig iedereen uit"))
    assert "gepland" in await p.inner_text("#meeting-status")

    # The partner sees the upcoming round table with a calendar file, without case content.
    partner = await browser_session.new_page()
    await staff_sign_in(partner, vdab.email, PASSWORD, path="/afspraken")
    link = partner.page.get_by_role("link", name="Zet in je agenda")
    href = await link.first.get_attribute("href")
    ics = await partner.page.request.get(href)
    assert ics.ok and "BEGIN:VCALENDAR" in await ics.text() and "Mira" not in await ics.text()

    for select in await p.locator("select[name^=att_]").all():
        await select.select_option("present")
    await page.submit(p.get_by_role("button", name="Bewaar de aanwezigheid"))
    await p.get_by_label("Arbeid en/of opleiding", exact=True).fill("De oudste zoon zoekt werk.")
    await page.submit(p.get_by_role("button", name="Bewaar arbeid en/of opleiding"))
    # Health is not consented for anyone: there is no note field for it.
    assert await p.locator("#n-health").count() == 0

    await p.get_by_label("Levensdomein").select_option("housing")
    await p.get_by_label("Wat wordt er gedaan?").fill("Afspraak bij de huurdersbond maken.")
    await p.get_by_label("Wie doet het?").select_option(label=vdab.agency_name)
    await p.get_by_label("Tegen wanneer?").fill((date.today() + timedelta(days=14)).isoformat())
    await page.submit(p.get_by_role("button", name="Voeg de afspraak toe"))
    assert "Afspraak bij de huurdersbond maken." in await p.inner_text("section:has(#table)")
    # An agreement for an agency without consent for the domain is refused, naming what is missing.
    await p.get_by_label("Levensdomein").select_option("health")
    await p.get_by_label("Wat wordt er gedaan?").fill("Naar de dokter gaan.")
    await p.get_by_label("Wie doet het?").select_option(label=vdab.agency_name)
    await page.submit(p.get_by_role("button", name="Voeg de afspraak toe"))
    assert "geen toestemming" in await p.inner_text("#err-table")

    follow = (date.today() + timedelta(days=60)).isoformat()
    await p.get_by_label("Datum van de opvolging").fill(follow)
    await page.submit(p.get_by_role("button", name="Rond af en maak het verslag"))
    # The meeting lies a week ahead: closing it now is refused in plain Dutch, and what was typed stays.
    assert "nog niet begonnen" in await p.inner_text("#err-finalize")
    # The summary takes the focus and leads to the field that settles it.
    assert await p.evaluate("() => document.activeElement.id") == "error-summary"
    assert await p.locator("#error-summary a[href='#f-early']").count() == 1
    assert await p.get_by_label("Datum van de opvolging").input_value() == follow
    await p.get_by_label("Het overleg vond vroeger plaats dan gepland").check()
    await p.get_by_label("Op welke dag vond het plaats?").fill(date.today().isoformat())
    await page.submit(p.get_by_role("button", name="Rond af en maak het verslag"))
    assert "afgerond" in await p.inner_text("#meeting-status")
    await page.screenshot("round-table-finalized")
    # The coordinator's own rendition of the report, rendered by a worker, holds only consented domains.
    href = await p.get_by_role("link", name="Download het verslag (PDF)").get_attribute("href")
    loop = asyncio.get_running_loop()
    end = loop.time() + 120
    while True:
        resp = await p.request.get(href)
        if resp.status == 200 or loop.time() > end:
            break
        await asyncio.sleep(1)
    assert resp.status == 200, await resp.text()
    body = await resp.body()
    assert body.startswith(b"%PDF")
    from tests.reports.pdfutil import pdf_text

    text = pdf_text(body)
    assert "Samir" not in text and "Adam, Lina" not in text  # social / parenting: not in OCMW's copy
    for expected in ("Naam partner: De werkzoekende deelt dit niet met uw dienst.",
                     "Stationsplein 4, 2000 Demostad", "trajectbegeleider",
                     "Waarom werd het overleg opgestart?", "Grotere woning (Huisvesting)",
                     "Werkvergunning partner (Arbeid en/of opleiding)", "(vroeger dan gepland)"):
        assert expected in text, expected

    # Plan opvolgoverleg: a new meeting with the same people proposed, linked to this one.
    await page.submit(p.get_by_role("button", name="Plan opvolgoverleg"))
    assert "aangevraagd" in await p.inner_text("#meeting-status")
    assert "volgt op" in await p.inner_text("section:has(#coordination)")
    assert vdab.name in await p.locator("#invite ~ ul").first.inner_text()
    follow_url = p.url.split("#")[0]
    # The coordinator hands this meeting over to the VDAB counsellor; both see it.
    await p.get_by_label("Geef de coördinatie door aan").select_option(label=next(
        o for o in await p.locator("#k-user option").all_inner_texts() if o.startswith(vdab.name)))
    await page.submit(p.get_by_role("button", name="Geef door"))
    assert f"{vdab.name} ({vdab.agency_name}) coördineert dit overleg." in await p.inner_text("#coordinator-now")
    assert "gaf het overleg door aan" in await p.inner_text("section:has(#coordination)")
    await partner.goto("/meetings/" + follow_url.split("/meetings/")[1])
    assert "gaf het overleg door aan" in await partner.page.inner_text("section:has(#coordination)")
    assert await partner.page.get_by_role("button", name="Geef door").count() == 1  # vdab coordinates it now
    await page.screenshot("round-table-follow-up")

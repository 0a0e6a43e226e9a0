"""Partner pages in a real browser: onze afspraken, updates, and consent withdrawal taking effect at once."""

from __future__ import annotations

from tests.pages.cases import make_case, portal_link

PASSWORD = "partner-wachtwoord-1"


async def staff_sign_in(page, email, password=PASSWORD, path="/"):
    await page.goto(path)
    await page.page.get_by_label("E-mailadres").fill(email)
    await page.page.get_by_label("Wachtwoord").fill(password)
    await page.submit(page.page.get_by_role("button", name="Aanmelden", exact=True))


async def test_partner_updates_agreement(page, client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker, partner_password=PASSWORD)
    await staff_sign_in(page, case.partner.email, path="/afspraken")
    assert page.page.url.endswith("/afspraken")
    rows = page.page.locator("table.worklist tbody tr")
    titles = await rows.all_inner_texts()
    mine = [x for x in titles if case.given_name in x]
    assert f"Budget bekijken {case.given_name}" in mine[0]  # overdue first
    assert "te laat" in await page.page.locator(f"#a-{case.agreements['finances']}").inner_text()
    await page.assert_fits(320)
    await page.screenshot("partner-agreements")

    card = page.page.locator(f"#a-{case.agreements['housing']}")
    # Nothing changed: the form comes back with a Dutch message next to the field.
    await page.submit(card.get_by_role("button", name="Bewaar"))
    card = page.page.locator(f"#a-{case.agreements['housing']}")
    assert "Kies een nieuwe status of schrijf een notitie." in await card.inner_text()
    assert await card.get_by_label("Notitie over de voortgang").get_attribute("aria-invalid") == "true"

    await card.get_by_label("Status van:").select_option("in_progress")
    # The failed save left the note field open, next to its error.
    await card.get_by_label("Notitie over de voortgang").fill("Eerste bezoek gepland.")
    await page.submit(card.get_by_role("button", name="Bewaar"))
    assert "Opgeslagen." in await page.page.inner_text("[role=status]")
    card = page.page.locator(f"#a-{case.agreements['housing']}")
    assert await card.get_by_label("Status van:").input_value() == "in_progress"
    await card.get_by_text("Verloop (1)").click()  # the history of progress notes
    assert "Eerste bezoek gepland." in await card.inner_text()

    # Filters: by domain and status.
    await page.goto("/afspraken?domain=housing&status=in_progress")
    texts = " ".join(await page.page.locator("table.worklist tbody tr").all_inner_texts())
    assert f"Woning zoeken {case.given_name}" in texts and f"Budget bekijken {case.given_name}" not in texts
    await page.goto("/afspraken?view=nope")
    assert "Deze filter klopt niet" in await page.page.inner_text("main")
    await page.goto("/afspraken?view=overdue")
    await page.assert_fits(360)

    from sqlalchemy import select

    from w2.meetings.agreements.models import Agreement, AgreementNote

    async with sessionmaker() as s:
        a = await s.get(Agreement, case.agreements["housing"])
        assert a.status == "in_progress"
        notes = (await s.scalars(select(AgreementNote).where(AgreementNote.agreement_id == a.id))).all()
        assert [n.note for n in notes] == ["Eerste bezoek gepland."]


async def test_withdrawal_hides_domain_from_partner_on_next_load(browser_session, client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker, partner_password=PASSWORD)
    partner = await browser_session.new_page()
    await staff_sign_in(partner, case.partner.email, path="/afspraken")
    assert f"Budget bekijken {case.given_name}" in await partner.page.inner_text("main")

    phone = await browser_session.new_page(width=360, height=640)
    await phone.goto(await portal_link(sessionmaker, case.workspace_id))
    await phone.submit(phone.page.get_by_role("button", name="Ga verder"))
    await phone.goto(f"/portal/toestemming?dienst={case.partner.agency_id}")
    sentence = f"{case.partner.agency_name} mag weten hoe het met je geld gaat."
    await phone.submit(phone.page.get_by_role("switch", name=sentence))
    assert await phone.page.get_by_role("switch", name=sentence).get_attribute("aria-checked") == "false"

    await partner.goto("/afspraken")
    main = await partner.page.inner_text("main")
    assert f"Budget bekijken {case.given_name}" not in main
    assert f"Woning zoeken {case.given_name}" in main  # the other domains stay shared

    # The job seeker sees that the partner looked, in plain words.
    await phone.goto("/portal/bekeken")
    # "Wie keek" is summarised per service and day; the names are in the details, opened on request.
    day = phone.page.locator("ul.log > li", has_text=case.partner.agency_name)
    await day.locator("summary").click()
    assert case.partner.name in await day.inner_text()
    await phone.screenshot("portal-who-looked")


async def test_ics_feed_has_no_case_content(page, client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker, partner_password=PASSWORD)
    await staff_sign_in(page, case.partner.email, path="/afspraken")
    url = await page.page.get_by_label("Adres van je agenda").input_value()
    subscribe = page.page.get_by_role("link", name="Abonneer in je agenda")
    assert (await subscribe.get_attribute("href")) == "webcal://" + url.split("://", 1)[1]
    assert await page.page.get_by_role("button", name="Kopieer het adres").is_visible()
    path = url.split("://", 1)[1].split("/", 1)[1]
    r = await client.get("/" + path)
    assert r.status_code == 200 and r.text.startswith("BEGIN:VCALENDAR")
    assert case.given_name not in r.text
    bad = await client.get("/" + path.replace(".ics", "x.ics"))
    assert bad.status_code == 404

"""One feedback pattern on every staff form, and no sideways scrolling on any staff page at 360 px."""

from __future__ import annotations

from tests.pages.cases import grant, make_case
from tests.pages.test_partner import staff_sign_in

PASSWORD = "feedback-wachtwoord-16"


async def _meeting(client, case) -> str:
    r = await client.post(f"/api/v1/workspaces/{case.workspace_id}/meetings", headers=case.coordinator.headers,
                          json={"reason": "Begeleiding zit vast", "goal": "Eén plan",
                                "requested_by": {"kind": "professional"}})
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _summary_leads_to(page, field_id: str) -> None:
    """After a refused submit: the summary has the focus, and its link puts the focus in the field."""
    p = page.page
    assert await p.evaluate("() => document.activeElement.id") == "error-summary", p.url
    link = p.locator("#error-summary a").first
    assert await link.get_attribute("href") == f"#{field_id}"
    await link.click()
    assert await p.evaluate("() => document.activeElement.id") == field_id, p.url
    assert await p.locator(f"#{field_id}").is_visible()


async def test_a_failed_submit_on_each_staff_form_focuses_the_summary(browser_session, client, factory,
                                                                       sessionmaker):
    case = await make_case(client, factory, sessionmaker, partner_password=PASSWORD, coordinator_password=PASSWORD)
    mid = await _meeting(client, case)
    wid = case.workspace_id
    await grant(sessionmaker, wid, case.coordinator.agency_id, ["work_training", "other"])  # the trajectory form
    page = await browser_session.new_page()
    p = page.page
    await staff_sign_in(page, case.coordinator.email, PASSWORD, path="/workspaces/nieuw")
    steps = [
        ("/workspaces/nieuw", "Maak de werkruimte", "f-given_name"),
        (f"/workspaces/{wid}/diensten", "Voeg toe", "m-agency"),
        (f"/workspaces/{wid}/spilfiguur", "Bewaar spilfiguur", "p-user"),
        (f"/workspaces/{wid}/overleg", "Vraag het overleg aan", "r-reason"),
        (f"/meetings/{mid}", "Nodig uit", "i-who"),
    ]
    for path, button, field in steps:
        if not p.url.endswith(path):
            await page.goto(path)
        await page.submit(p.get_by_role("button", name=button, exact=True))
        if field == "f-given_name":
            await page.screenshot("feedback-error-summary")
        await _summary_leads_to(page, field)
    # An instrument: a phase that does not exist is refused.
    await page.goto(f"/workspaces/{wid}/traject")
    await p.evaluate("() => { const o = document.createElement('option'); o.value = 'c9_moon'; o.text = 'maan';"
                     " document.querySelector('#phase-code').append(o); }")
    await p.get_by_label("Fase", exact=True).select_option("c9_moon")
    await page.submit(p.get_by_role("button", name="Bewaar de fase"))
    await _summary_leads_to(page, "phase-code")

    # The partner work list: an emptied agreement text.
    partner = await browser_session.new_page()
    await staff_sign_in(partner, case.partner.email, PASSWORD, path="/afspraken")
    aid = case.agreements["housing"]
    row = partner.page.locator(f"#a-{aid}")
    await row.get_by_text("Wijzig de afspraak").click()
    await row.get_by_label("Wat is de afspraak?").fill("")
    await partner.submit(row.get_by_role("button", name="Bewaar de wijziging"))
    await _summary_leads_to(partner, f"ed-{aid}")
    # ... and a save says so in a status banner, without a summary.
    await partner.page.locator(f"#a-{aid}").get_by_label("Wat is de afspraak?").fill("Woning zoeken samen")
    await partner.submit(partner.page.locator(f"#a-{aid}").get_by_role("button", name="Bewaar de wijziging"))
    assert await partner.page.locator("#error-summary").count() == 0
    assert "Opgeslagen." in await partner.page.inner_text("[role=status]")


async def test_no_staff_page_scrolls_sideways_at_360(browser_session, client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker, coordinator_password=PASSWORD)
    mid = await _meeting(client, case)
    wid = case.workspace_id
    phone = await browser_session.new_page(width=360, height=640)
    await staff_sign_in(phone, case.coordinator.email, PASSWORD)
    paths = ["/", "/?zoek=xyz", "/workspaces/nieuw", f"/workspaces/{wid}", f"/workspaces/{wid}/diensten",
             f"/workspaces/{wid}/spilfiguur", f"/workspaces/{wid}/toestemming", f"/workspaces/{wid}/afspraken",
             f"/workspaces/{wid}/overleg", f"/workspaces/{wid}/documenten", f"/meetings/{mid}", "/afspraken",
             f"/workspaces/{wid}/traject", f"/workspaces/{wid}/vignet", f"/workspaces/{wid}/trajectovereenkomst",
             f"/workspaces/{wid}/competenties", f"/workspaces/{wid}/tekeningen", f"/workspaces/{wid}/scoretabel"]
    wide = []
    for path in paths:
        await phone.goto(path)
        fits = await phone.page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        if not fits:
            wide.append((path, await phone.page.evaluate(
                "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right >"
                " window.innerWidth).slice(0, 3).map(e => e.outerHTML.slice(0, 80))")))
    assert not wide, wide
    # The consent overview is a list per agency on a phone: no table to scroll through.
    await phone.goto(f"/workspaces/{wid}/toestemming")
    assert not await phone.page.locator("table.grid").is_visible()
    per_agency = phone.page.locator("#toestemming-per-dienst")
    assert case.partner.agency_name in await per_agency.inner_text()
    assert "Financiën" in await per_agency.locator("section", has_text=case.partner.agency_name).inner_text()
    await phone.screenshot("workspace-consent-phone")

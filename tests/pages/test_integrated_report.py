"""The werk-welzijnsverslag in a real browser at 360 px: the counsellor writes it from the prefill, a worker makes
the PDFs, a partner without consent for a section sees "niet gedeeld", the job seeker finds the easy-read copy."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from tests.factories import new_workspace, unique
from tests.pages.cases import grant
from tests.pages.test_partner import staff_sign_in
from tests.pages.test_portal import sign_in
from tests.reports.pdfutil import pdf_text

PASSWORD = "werkwelzijn-wachtwoord-1"
SECRET = "Groeide op in Deurne, zorgt voor twee kinderen"


async def _pdf(page: Any, href: str) -> bytes:
    """Fetch a PDF link as the signed-in browser does, waiting while the worker renders it (202)."""
    for _ in range(400):
        r = await page.context.request.get(href)
        if r.status != 202:
            assert r.status == 200 and r.headers["content-type"] == "application/pdf", (r.status, await r.text())
            return await r.body()
        await asyncio.sleep(0.3)
    raise AssertionError(f"{href} was never rendered")


async def test_integrated_report_pages(browser_session, client, factory, sessionmaker, celery_worker):
    coord = await factory.person(kind="vdab", roles=("coordinator", "worker"), password=PASSWORD, name=unique("Tom"))
    partner = await factory.person(kind="ocmw", roles=("worker",), password=PASSWORD, name=unique("Pim"))
    ws = await new_workspace(client, coord, given_name="Mira")
    wid = uuid.UUID(ws["id"])
    r = await client.post(f"/api/v1/workspaces/{wid}/members", headers=coord.headers,
                          json={"agency_id": str(partner.agency_id), "question_type": "advies"})
    assert r.status_code == 201
    for purpose in ("information_sharing", "report_distribution"):
        await grant(sessionmaker, wid, coord.agency_id, ["work_training", "other", "network"], purpose)
        await grant(sessionmaker, wid, partner.agency_id, ["work_training"], purpose)
    card = {"kind": "profile", "key_competences": ["perseverance"], "technical_competences": ["Heftruck besturen"],
            "job_targets": ["Magazijnier"]}
    assert (await client.post(f"/api/v1/workspaces/{wid}/competence-cards", json=card,
                              headers=coord.headers)).status_code == 201

    phone = await browser_session.new_page(width=360, height=640)
    p = phone.page
    await staff_sign_in(phone, coord.email, PASSWORD)
    await phone.goto(f"/workspaces/{wid}/werk-welzijnsverslag")
    # prefilled from the competence card (same life domain), ready to be read and completed
    assert "Heftruck besturen" in await p.locator("#competences").input_value()
    await p.locator("#evaluation_month").fill("2027-03")
    await p.get_by_label("Tekst bij Verwerven van inzichten").fill(SECRET)
    await p.get_by_label("Tekst bij Sollicitatiegebeuren").fill("Twee sollicitaties bij een magazijn.")
    await phone.submit(p.get_by_role("button", name="Bewaar en maak de PDF"))
    assert "De PDF wordt nu gemaakt" in await p.inner_text("[role=status]")
    await phone.assert_fits(320)
    await phone.screenshot("integrated-report-counsellor")

    # emptying a section is refused in plain Dutch, and nothing changes
    await p.get_by_label("Tekst bij Sollicitatiegebeuren").fill("")
    await phone.submit(p.get_by_role("button", name="Bewaar en maak de PDF"))
    assert "mag niet leeg zijn" in await p.inner_text("[role=alert]")
    assert "versie 1" in await p.inner_text("main")

    href = await p.get_by_role("link", name="PDF van 2027-03 downloaden").get_attribute("href")
    assert href is not None
    text = " ".join(pdf_text(await _pdf(p, href)).split())
    assert "9. Nog even terugblikken" in text and SECRET in text and "Heftruck besturen" in text
    await phone.goto(f"/workspaces/{wid}/werk-welzijnsverslag")
    assert "klaar" in await p.inner_text("#verslagen ~ ul")

    # the partner may receive work_training only: its page and its PDF hold no word of the other sections
    other = await browser_session.new_page(width=360, height=640)
    await staff_sign_in(other, partner.email, PASSWORD)
    await other.goto(href.replace("/integrated-reports/", "/workspaces/" + str(wid) + "/werk-welzijnsverslag/")
                     .removesuffix("/verslag.pdf"))
    html = await other.page.content()  # textareas hold their text in the HTML, not in innerText
    assert "Niet gedeeld" in html and "Deurne" not in html and "Twee sollicitaties" in html
    await other.assert_fits(320)
    await other.screenshot("integrated-report-partner")
    partner_text = " ".join(pdf_text(await _pdf(other.page, href)).split())
    assert "Niet gedeeld" in partner_text and "Twee sollicitaties" in partner_text
    assert SECRET not in partner_text and "Deurne" not in partner_text

    # the job seeker finds both copies among their documents, on a phone
    js = await browser_session.new_page(width=360, height=640)
    await sign_in(js, sessionmaker, wid)
    await js.submit(js.page.get_by_role("link", name="Je documenten"))
    assert "Verslag van 2027-03" in await js.page.inner_text("main")
    await js.assert_fits(320, target=44)
    await js.screenshot("portal-documents-integrated")
    easy_href = await js.page.locator("a[href$='/eenvoudig.pdf']").get_attribute("href")
    assert easy_href is not None
    easy = " ".join(pdf_text(await _pdf(js.page, easy_href)).split())
    assert "Jouw verslag over werk en welzijn" in easy and SECRET in easy

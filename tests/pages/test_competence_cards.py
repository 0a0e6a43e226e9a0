"""Competence cards in a real browser: the counsellor fills card 1 and card 2, the job seeker adds their own
on a phone; an agency without work_training consent sees no card; axe on every page."""

from __future__ import annotations

import uuid

from tests.factories import new_workspace, unique
from tests.pages.cases import grant
from tests.pages.test_partner import staff_sign_in
from tests.pages.test_portal import sign_in

PASSWORD = "competenties-wachtwoord-1"


async def test_competence_cards_pages(browser_session, client, factory, sessionmaker):
    coord = await factory.person(kind="vdab", roles=("coordinator", "worker"), password=PASSWORD, name=unique("Tom"))
    partner = await factory.person(kind="ocmw", roles=("worker",), password=PASSWORD, name=unique("Pim"))
    ws = await new_workspace(client, coord, given_name="Mira")
    wid = uuid.UUID(ws["id"])
    r = await client.post(f"/api/v1/workspaces/{wid}/members", headers=coord.headers,
                          json={"agency_id": str(partner.agency_id), "question_type": "advies"})
    assert r.status_code == 201
    await grant(sessionmaker, wid, coord.agency_id, ["work_training"])
    await grant(sessionmaker, wid, partner.agency_id, ["housing"])

    page = await browser_session.new_page()
    p = page.page
    await staff_sign_in(page, coord.email, PASSWORD)
    await page.goto(f"/workspaces/{wid}/competenties")
    await p.get_by_label("Doorzettingsvermogen").check()
    await p.get_by_label("Empathie").check()
    await p.locator("#technical").fill("Heftruck besturen")
    await p.locator("#target1").fill("Magazijnier")
    await page.submit(p.get_by_role("button", name="Bewaar kaart 2"))
    text = await p.inner_text("#kaarten ~ section")
    assert "Doorzettingsvermogen" in text and "Magazijnier" in text
    await p.locator("#job_title").fill("Magazijnier")
    await p.locator("#t0-text").fill("Goederen ontvangen en controleren")
    await p.locator("#t0-key").select_option(["accuracy"])
    await page.submit(p.get_by_role("button", name="Bewaar kaart 1"))
    assert "Goederen ontvangen en controleren" in await p.inner_text("main")
    # a job card without tasks is refused with a readable message
    await p.locator("#job_title").fill("Chauffeur")
    await page.submit(p.get_by_role("button", name="Bewaar kaart 1"))
    assert "minstens één taak" in await p.inner_text("[role=alert]")
    await page.assert_fits(320)
    await page.screenshot("instruments-cards")

    href = await p.get_by_role("link", name="Afdrukken (PDF, één blad)").last.get_attribute("href")
    pdf = await p.context.request.get(href)
    assert pdf.status == 200
    from tests.reports.pdfutil import pdf_text

    printed = " ".join(pdf_text(await pdf.body()).split())
    assert "Mijn visitekaartje" in printed and "Doorzettingsvermogen" in printed and "Magazijnier" in printed
    assert "in staat zijn om, ondanks moeilijkheden, op een doel gericht te blijven" in printed
    import io

    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(await pdf.body())).pages) == 1

    other = await browser_session.new_page()
    await staff_sign_in(other, partner.email, PASSWORD)
    await other.goto(f"/workspaces/{wid}/competenties")
    assert "Nog geen competentiekaart." in await other.page.inner_text("main")
    # the printable card is behind the same consent: 404 for an agency without work_training
    assert (await other.page.context.request.get(href)).status == 404

    phone = await browser_session.new_page(width=360, height=640)
    await sign_in(phone, sessionmaker, wid)
    await phone.submit(phone.page.get_by_role("link", name="Wat kan jij?"))
    assert "Heftruck besturen" in await phone.page.inner_text("main")
    await phone.page.get_by_label("Zelfvertrouwen").check()
    await phone.page.locator("#target1").fill("Orderpicker")
    await phone.submit(phone.page.get_by_role("button", name="Bewaar mijn kaart"))
    assert "bewaard" in await phone.page.inner_text("[role=status]")
    assert "benoemd door de werkzoekende" in await phone.page.inner_text("main")
    await phone.assert_fits(320)
    await phone.screenshot("portal-cards")

"""The shared drawings on a 360x640 phone: the job seeker draws all three, the counsellor sees them with
their words; an agency without consent for a drawing's domain does not; axe on every page."""

from __future__ import annotations

import re
import uuid

from tests.factories import new_workspace, unique
from tests.pages.cases import grant
from tests.pages.test_partner import staff_sign_in
from tests.pages.test_portal import sign_in
from tests.reports.pdfutil import pdf_text

PASSWORD = "tekeningen-wachtwoord-1"


async def _draw(phone, kind: str, title: str, rows: list[tuple[str, str, str]]) -> None:
    q = phone.page
    await q.get_by_label("Soort tekening").select_option(label=kind)
    await q.get_by_label("Titel (bij een weegschaal: de keuze)").fill(title)
    for i, (label, choice, size_or_relation) in enumerate(rows):
        await q.locator(f"#i{i}-label").fill(label)
        if kind == "Ecogram: de mensen rond jou":
            await q.locator(f"#i{i}-meaning").select_option(label=choice)
            await q.locator(f"#i{i}-relation").fill(size_or_relation)
        else:
            await q.locator(f"#i{i}-side").select_option(label=choice)
            await q.locator(f"#i{i}-size").select_option(size_or_relation)
    await phone.submit(q.get_by_role("button", name="Bewaar de tekening"))
    assert "bewaard" in await q.inner_text("[role=status]")


async def test_three_drawings_on_a_phone(browser_session, client, factory, sessionmaker):
    coord = await factory.person(kind="vdab", roles=("coordinator", "worker"), password=PASSWORD, name=unique("Tom"))
    partner = await factory.person(kind="ocmw", roles=("worker",), password=PASSWORD, name=unique("Pim"))
    ws = await new_workspace(client, coord, given_name="Mira")
    wid = uuid.UUID(ws["id"])
    r = await client.post(f"/api/v1/workspaces/{wid}/members", headers=coord.headers,
                          json={"agency_id": str(partner.agency_id), "question_type": "advies"})
    assert r.status_code == 201
    await grant(sessionmaker, wid, coord.agency_id, ["other", "work_training", "network"])
    await grant(sessionmaker, wid, partner.agency_id, ["network"])

    phone = await browser_session.new_page(width=360, height=640)
    await sign_in(phone, sessionmaker, wid)
    await phone.submit(phone.page.get_by_role("link", name="Samen tekenen"))
    await _draw(phone, "Draaglast en draagkracht", "", [("Schulden", "Wat zwaar weegt", "3"),
                                                         ("Mijn zus", "Wat je draagt en steunt", "2")])
    await _draw(phone, "Afgebakende weegschaal", "Opleiding heftruck", [("Meer kans op werk", "Voordelen", "3"),
                                                                       ("Opvang kinderen", "Nadelen", "2")])
    await _draw(phone, "Ecogram: de mensen rond jou", "", [("Fatima", "helpt", "zus"), ("Ex", "weegt", "ex-partner")])
    assert await phone.page.locator("svg.drawing").count() == 3
    # an empty drawing is refused with a readable message
    await phone.submit(phone.page.get_by_role("button", name="Bewaar de tekening"))
    assert "minstens één" in await phone.page.inner_text("[role=alert]")
    await phone.goto("/portal/tekeningen")
    assert await phone.page.get_by_role("link", name=re.compile("^Druk af als pdf: ")).count() == 3
    await phone.assert_fits(320)
    await phone.screenshot("portal-drawings")

    page = await browser_session.new_page()
    await staff_sign_in(page, coord.email, PASSWORD)
    await page.goto(f"/workspaces/{wid}/tekeningen")
    words = await page.page.locator("svg.drawing desc").all_text_contents()
    assert any("Schulden (3)" in w for w in words) and any("Fatima (zus): helpt" in w for w in words)
    prints = page.page.get_by_role("link", name=re.compile("^Druk af als pdf: Ecogram"))
    async with page.page.expect_download() as dl:
        await prints.click()
    pdf = open(await (await dl.value).path(), "rb").read()
    assert pdf.startswith(b"%PDF") and "Fatima (zus): helpt" in pdf_text(pdf)
    await page.screenshot("instruments-drawings")

    other = await browser_session.new_page()
    await staff_sign_in(other, partner.email, PASSWORD)
    await other.goto(f"/workspaces/{wid}/tekeningen")
    assert await other.page.locator("svg.drawing").count() == 1
    assert await other.page.get_by_role("link", name=re.compile("^Druk af als pdf: ")).count() == 1
    assert "Schulden" not in await other.page.inner_text("main")

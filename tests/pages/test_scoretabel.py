"""The scoretabel in a real browser: two sheets three months apart, the cirkels over time, the prompt,
the job seeker's one-theme-at-a-time flow on a phone, and an agency without consent seeing nothing."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from tests.factories import new_workspace, unique
from tests.pages.cases import grant
from tests.pages.test_partner import staff_sign_in
from tests.pages.test_portal import sign_in

PASSWORD = "scoretabel-wachtwoord-1"


async def _fill(page, when: date, scores: dict[str, tuple[int, int, int]]) -> None:
    p = page.page
    await p.get_by_label("Wie vult in").select_option(label="De trajectbegeleider")
    await p.get_by_label("Datum").fill(when.isoformat())
    for code, (start, now, future) in scores.items():
        for period, value in (("start", start), ("now", now), ("future", future)):
            await p.locator(f"#{code}-{period}").fill(str(value))
    await page.submit(p.get_by_role("button", name="Bewaar het blad"))


async def test_scoretabel_pages(browser_session, client, factory, sessionmaker):
    coord = await factory.person(kind="vdab", roles=("coordinator", "worker"), password=PASSWORD,
                                 name=unique("Tom"))
    partner = await factory.person(kind="ocmw", roles=("worker",), password=PASSWORD, name=unique("Pim"))
    ws = await new_workspace(client, coord, given_name="Mira")
    wid = uuid.UUID(ws["id"])
    r = await client.post(f"/api/v1/workspaces/{wid}/members", headers=coord.headers,
                          json={"agency_id": str(partner.agency_id), "question_type": "advies"})
    assert r.status_code == 201
    await grant(sessionmaker, wid, coord.agency_id, ["finances", "housing", "household", "work_training", "inner", "other"])
    await grant(sessionmaker, wid, partner.agency_id, ["health"])

    page = await browser_session.new_page()
    p = page.page
    await staff_sign_in(page, coord.email, PASSWORD)
    await page.goto(f"/workspaces/{wid}/scoretabel")
    assert "Er is nog geen scoretabel" in await p.inner_text("[role=status]")
    for label in ("Ervaring met solliciteren", "Orde in je administratie", "Zicht op / greep op je kwetsbaarheden",
                  "Zicht op welke hulpverlening er bestaat"):
        assert label in await p.inner_text("form[aria-labelledby=new-sheet]")
    # a score out of range: a readable message, nothing stored
    await p.locator("#income-now").evaluate("e => e.removeAttribute('max')")
    await p.locator("#income-now").fill("12")
    await page.submit(p.get_by_role("button", name="Bewaar het blad"))
    assert "0 tot 10" in await p.inner_text("[role=alert]")
    assert "Nog geen scoretabel ingevuld." in await p.inner_text("main")

    first = date.today() - timedelta(days=100)
    await _fill(page, first, {"income": (2, 3, 6), "paperwork": (1, 2, 5), "job_applications": (2, 2, 7),
                              "self_confidence": (2, 3, 6), "sight_on_help": (1, 2, 6), "feeling_well": (3, 3, 7)})
    assert "drie maanden" in await p.inner_text("[role=status]")
    await _fill(page, date.today(), {"income": (2, 5, 7), "paperwork": (1, 6, 8), "job_applications": (2, 5, 8),
                                     "self_confidence": (2, 6, 8), "sight_on_help": (1, 7, 8), "feeling_well": (3, 6, 8)})
    assert await p.locator("[role=status]").count() == 0
    desc = await p.locator("figure.cirkel svg desc").first.text_content()
    assert "Inkomen" in desc and "3" in desc and "5" in desc
    assert await p.locator("figure.cirkel svg polygon.series-m2").count() >= 1
    assert await p.locator("figure.cirkel svg polygon.series-m3").count() >= 1
    await page.assert_fits(320)
    await page.screenshot("scoretabel-counsellor")

    # the partner (health only) sees none of these themes
    other = await browser_session.new_page()
    await staff_sign_in(other, partner.email, PASSWORD)
    await other.goto(f"/workspaces/{wid}/scoretabel")
    assert "Nog geen scoretabel ingevuld." in await other.page.inner_text("main")
    assert await other.page.locator("figure.cirkel").count() == 0

    # the job seeker: one theme at a time, with a read-aloud button and the 0-10 scale
    phone = await browser_session.new_page(width=360, height=640)
    await sign_in(phone, sessionmaker, wid)
    await phone.submit(phone.page.get_by_role("link", name="Hoe gaat het met je?"))
    await phone.submit(phone.page.get_by_role("link", name="Begin", exact=True))
    q = phone.page
    assert await q.inner_text("h1") == "Inkomen"
    await q.locator("label[for=start-2]").click()
    await q.locator("label[for=now-1]").click()
    await q.locator("label[for=future-7]").click()
    await phone.assert_fits(320)
    await phone.screenshot("portal-scoretabel-step")
    await phone.submit(q.get_by_role("button", name="Volgende"))
    assert await q.inner_text("h1") == "Huisvesting"
    await phone.submit(q.get_by_role("button", name="Sla over"))
    await phone.goto("/portal/scoretabel/21")
    assert await q.inner_text("h1") == "Je goed in je vel voelen"
    await q.locator("label[for=now-6]").click()
    await phone.submit(q.get_by_role("button", name="Volgende"))
    assert "Inkomen" in await q.inner_text("main") and "Je goed in je vel voelen" in await q.inner_text("main")
    await phone.submit(q.get_by_role("button", name="Bewaar", exact=True))
    assert "bewaard" in await q.inner_text("[role=status]")
    await phone.assert_fits(320)
    await phone.screenshot("portal-scoretabel")

    # the counsellor sees where the two views differ
    await page.goto(f"/workspaces/{wid}/scoretabel")
    assert "Hier verschillen" in await p.inner_text("main")

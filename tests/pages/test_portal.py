"""The job seeker's portal in a real browser on a phone-sized screen."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from tests.pages.cases import grant, make_case, portal_link


async def sign_in(phone, sessionmaker, workspace_id):
    await phone.goto(await portal_link(sessionmaker, workspace_id))
    await phone.submit(phone.page.get_by_role("button", name="Ga verder"))


async def test_portal_sign_in_consent_switch_and_pages(phone, client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    link = await portal_link(sessionmaker, case.workspace_id)
    await phone.goto(link)
    await phone.assert_fits(320)
    await phone.screenshot("portal-link")
    await phone.submit(phone.page.get_by_role("button", name="Ga verder"))
    assert f"Dag {case.given_name}" in await phone.page.inner_text("h1")
    # The read-aloud button appears once the phone's own voice or, without one, the server's (espeak-ng) can speak.
    speak = phone.page.get_by_role("button", name="Lees voor").first
    if shutil.which("espeak-ng"):
        await speak.wait_for(state="visible")
    await phone.assert_fits(320)
    await phone.screenshot("portal-home")

    # The link works once only.
    other = await phone.session.new_page(width=360, height=640)
    await other.goto(link)
    assert "werkt niet meer" in await other.page.inner_text("h1")
    # On that page the job seeker asks for a new link to their own phone or mail.
    await other.page.get_by_label("Je gsm-nummer of je e-mailadres").fill("iemand@example.be")
    await other.submit(other.page.get_by_role("button", name="Stuur me een nieuwe link"))
    assert "Dan krijg je zo een nieuwe link" in await other.page.inner_text("main")
    await other.assert_fits(320)

    await phone.submit(phone.page.get_by_role("link", name="Wie helpt je?"))
    assert case.partner.agency_name in await phone.page.inner_text("main")
    assert "Helpen zoeken naar werk." in await phone.page.inner_text("main")
    await phone.assert_fits(320)
    await phone.screenshot("portal-involved")

    await phone.goto("/portal/toestemming")
    await phone.assert_fits(320)
    sentence = f"{case.partner.agency_name} mag weten hoe het met je geld gaat."
    switch = phone.page.get_by_role("switch", name=sentence)
    await phone.page.get_by_text(f"{case.partner.agency_name}: 3 van de 12 op ja").click()
    assert await switch.get_attribute("aria-checked") == "true"
    await phone.screenshot("portal-consent")
    # Keyboard only: focus the switch with Tab and press Enter.
    await phone.tab_to(f"[id='b-{case.partner.agency_id}-finances']", limit=120)
    await phone.press_enter(phone.page.locator(":focus"))
    # The confirmation sits next to the switch that was pressed, not at the top of the page.
    said = phone.page.locator(f"[id='{case.partner.agency_id}-finances'] [role=status]")
    assert "mag vanaf nu niet meer weten hoe het met je geld gaat" in await said.inner_text()
    switch = phone.page.get_by_role("switch", name=sentence)
    assert await switch.get_attribute("aria-checked") == "false"
    # Granting again is the same one step.
    await phone.submit(switch)
    assert await phone.page.get_by_role("switch", name=sentence).get_attribute("aria-checked") == "true"

    # A consent a professional recorded for the report is listed too, and one press ends it.
    await grant(sessionmaker, case.workspace_id, case.partner.agency_id, ["housing"], purpose="report_distribution")
    await phone.goto("/portal/toestemming")
    item = phone.page.locator("#andere + ul li", has_text=f"{case.partner.agency_name} krijgt het verslag")
    assert "Je tekende hiervoor een formulier." in await item.inner_text()
    await phone.submit(item.get_by_role("button", name="Stop hiermee"))
    assert "krijgt het verslag niet meer" in await phone.page.inner_text("#ongedaan [role=status]")
    assert await phone.page.locator("#andere").count() == 0
    await phone.assert_fits(320, target=44)
    await phone.screenshot("portal-consent-undo")
    # "Stop hiermee" has an undo: the same consent again, as a new row given on the portal.
    await phone.submit(phone.page.get_by_role("button", name="Toch niet: zet weer aan"))
    item = phone.page.locator("#andere + ul li", has_text=f"{case.partner.agency_name} krijgt het verslag")
    assert "krijgt het verslag weer" in await item.locator("[role=status]").inner_text()
    r = await client.get(f"/api/v1/workspaces/{case.workspace_id}/consents", headers=case.coordinator.headers)
    report = [c for c in r.json()["items"] if c["purpose"] == "report_distribution"]
    assert sorted((c["method"], c["revoked_at"] is None) for c in report) == [("portal", True), ("signed_form", False)]

    await phone.goto("/portal/afspraken")
    assert f"Woning zoeken {case.given_name}" in await phone.page.inner_text("main")
    await phone.assert_fits(320)
    # "Wie keek": one line per service and day with a count; the single reads only on request.
    for _ in range(3):
        r = await client.get(f"/api/v1/workspaces/{case.workspace_id}/agreements", headers=case.partner.headers)
        assert r.status_code == 200
    await phone.goto("/portal/bekeken")
    day = phone.page.locator("ul.log > li", has_text=case.partner.agency_name)
    assert await day.count() == 1
    # Each list read is logged once per life domain it showed (3 reads x 3 domains).
    assert f"{case.partner.agency_name} keek 9 keer naar je gegevens." in await day.inner_text()
    assert "over: werk en opleiding, wonen, geld" in await day.inner_text()
    assert await day.locator("details li").count() == 9
    assert not await day.locator("details li").first.is_visible()
    await day.locator("summary").click()
    assert case.partner.name in await day.locator("details li").first.inner_text()
    await phone.assert_fits(320, target=44)
    await phone.screenshot("portal-log")
    await phone.goto("/portal/gegevens")
    async with phone.page.expect_download() as dl:
        await phone.page.get_by_role("link", name="Download als JSON").click()
    data = json.loads(open(await (await dl.value).path(), encoding="utf-8").read())
    assert data["jobseeker"]["given_name"] == case.given_name
    assert any(c["revoked_at"] for c in data["consents"])
    async with phone.page.expect_download() as dl:
        await phone.page.get_by_role("link", name="Download als PDF").click()
    pdf = open(await (await dl.value).path(), "rb").read()
    assert pdf.startswith(b"%PDF")


async def test_portal_languages(phone, client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    await sign_in(phone, sessionmaker, case.workspace_id)
    await phone.submit(phone.page.get_by_role("button", name="Français"))
    assert await phone.page.get_attribute("html", "lang") == "fr"
    assert f"Bonjour {case.given_name}" in await phone.page.inner_text("h1")
    await phone.goto("/portal/toestemming")
    assert "peut savoir comment vont vos finances" in await phone.page.text_content("main")
    await phone.submit(phone.page.get_by_role("button", name="English"))
    assert "may know how you are doing with money" in await phone.page.text_content("main")
    await phone.submit(phone.page.get_by_role("button", name="Sign out"))
    assert "signed out" in await phone.page.inner_text("h1")
    await phone.goto("/portal/toestemming")
    assert phone.page.url.endswith("/portal/uit")


def test_portal_link_cli(settings_env):
    import asyncio
    import uuid

    async def workspace() -> str:
        from w2.platform.db.engine import make_engine, make_sessionmaker
        from w2.platform.db.scope import SYSTEM_SCOPE, switch_scope
        from w2.platform.models import Agency, Jobseeker, Workspace

        engine = make_engine(settings_env["W2_DATABASE_URL"], pooled=False)
        async with make_sessionmaker(engine)() as s, s.begin():
            # The setup writes as background work would: row-level security refuses an anonymous writer.
            await switch_scope(s, SYSTEM_SCOPE)
            a = Agency(name=f"CLI {uuid.uuid4().hex[:8]}", kind="ocmw")
            js = Jobseeker(given_name="Cli", family_name="Test")
            s.add_all([a, js])
            await s.flush()
            ws = Workspace(jobseeker_id=js.id, coordinating_agency_id=a.id)
            s.add(ws)
            await s.flush()
            wid = str(ws.id)
        await engine.dispose()
        return wid

    wid = asyncio.run(workspace())
    out = subprocess.run([sys.executable, "-m", "w2.platform.boot.cli", "portal-link", "--workspace", wid, "--json"],
                         env={**os.environ, **settings_env}, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    url = json.loads(out.stdout)["url"]
    assert url.startswith(settings_env["W2_BASE_URL"] + "/portal/in/")
    bad = subprocess.run([sys.executable, "-m", "w2.platform.boot.cli", "portal-link", "--workspace", str(uuid.uuid4())],
                         env={**os.environ, **settings_env}, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2

"""An assisted session in a real browser: the label on every page, keyboard and axe, ending it."""

from __future__ import annotations

from tests.pages.cases import make_case
from tests.pages.test_partner import staff_sign_in

PASSWORD = "coordinator-wachtwoord-2"


async def test_assisted_session_in_the_browser(browser_session, client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker, coordinator_password=PASSWORD)
    page = await browser_session.new_page(width=360, height=640)
    await staff_sign_in(page, case.coordinator.email, PASSWORD, path=f"/workspaces/{case.workspace_id}")
    p = page.page
    await p.get_by_label("De werkzoekende zit naast me en wil dit.").check()
    await page.submit(p.get_by_role("button", name="Open de pagina's samen met de werkzoekende"))
    banner = f"Samen met {case.coordinator.name} van {case.coordinator.agency_name}"
    assert banner in await p.inner_text("#assisted-banner")
    await page.assert_fits(320)
    await page.screenshot("portal-assisted")
    for path in ("/portal/betrokken", "/portal/toestemming", "/portal/bekeken"):
        await page.goto(path)
        assert banner in await p.inner_text("#assisted-banner"), path
    await page.submit(p.get_by_role("button", name="Stop samen werken"))
    assert p.url.rstrip("/").endswith(f"/workspaces/{case.workspace_id}")
    assert await p.locator("#assisted-banner").count() == 0

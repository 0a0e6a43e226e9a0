"""The harness itself: a real server, a real browser, axe on the sign-in page, keyboard-only sign-in."""

from __future__ import annotations

from tests.factories import unique


async def test_login_page_passes_axe_and_keyboard_sign_in(page, factory):
    person = await factory.person(password="geheim-wachtwoord-1", name=unique("Coördinator"))
    await page.goto("/login")
    assert await page.page.get_attribute("html", "lang") == "nl"
    await page.tab_to("#email")
    await page.page.keyboard.type(person.email)
    await page.page.keyboard.press("Tab")
    await page.page.keyboard.type("geheim-wachtwoord-1")
    async with page.page.expect_navigation():
        await page.page.keyboard.press("Enter")
    await page.check()
    assert "Mijn werkruimtes" in await page.page.inner_text("h1")
    await page.screenshot("login-home")


async def test_security_headers_on_pages(page):
    resp = await page.goto("/login")
    csp = resp.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp

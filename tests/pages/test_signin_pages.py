"""The new sign-in pages in a real browser: the admin's second step on a phone, the portal start page."""

from __future__ import annotations

import pyotp

from tests.identity.conftest import SECRET, app_client
from w2.platform.identity import staff_idp

PASSWORD = "een-sterk-beheerderswachtwoord"


async def test_admin_enrols_second_step_on_a_phone(phone, factory, sessionmaker):
    admin = await factory.person(roles=("agency_admin",), password=PASSWORD)
    # An agency with its own provider and no passwords: its button and note are on the login page too.
    sso_agency = await factory.agency("caw")
    async with sessionmaker() as s, s.begin():
        await staff_idp.configure(s, agency_id=sso_agency, issuer="https://idp.example.be", client_id="w2",
                                  client_secret=SECRET, password_sign_in=False)
    await phone.goto("/login")
    assert await phone.page.get_by_role("button", name="Aanmelden via").first.is_visible()
    await phone.assert_fits(320)
    await phone.page.fill("#email", admin.email)
    await phone.page.fill("#password", PASSWORD)
    await phone.submit(phone.page.get_by_role("button", name="Aanmelden", exact=True))
    assert phone.page.url.endswith("/login/tweede-stap/instellen")
    assert await phone.page.get_by_role("img", name="QR-code om w2 aan je app toe te voegen").is_visible()
    await phone.assert_fits(320)
    await phone.screenshot("mfa-enrol")
    secret = (await phone.page.inner_text("#secret")).replace(" ", "")
    await phone.page.fill("#code", "000000")
    await phone.submit(phone.page.get_by_role("button", name="Code controleren"))
    assert "klopt niet" in await phone.page.inner_text("main")
    await phone.page.fill("#code", pyotp.TOTP(secret).now())
    await phone.press_enter(phone.page.locator("#code"))
    assert "Bewaar je herstelcodes" in await phone.page.inner_text("h1")
    await phone.assert_fits(320)
    await phone.submit(phone.page.get_by_role("link", name="Ik heb ze bewaard, ga verder"))
    assert admin.name in await phone.page.inner_text("header")


async def test_portal_start_page_with_and_without_itsme(phone, settings_env):
    await phone.goto("/portal/aanmelden")
    assert "itsme" not in await phone.page.inner_text("main")
    # The same page as it is served when itsme/CSAM is configured, checked with axe in this browser.
    async with app_client(citizen_oidc_issuer="https://idp.example.be", citizen_oidc_client_id="w2",
                          citizen_oidc_client_secret=SECRET) as app:
        html = (await app.get("/portal/aanmelden")).text
    await phone.page.set_content(html)
    await phone.check()
    button = phone.page.get_by_role("button", name="Aanmelden met itsme of eID")
    assert await button.is_visible()
    await phone.assert_fits(320)
    await phone.screenshot("portal-start-itsme")

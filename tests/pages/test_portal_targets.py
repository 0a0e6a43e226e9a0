"""Every portal page on a 320 px phone: no sideways scrolling, every control at least 44 px, a compact header."""

from __future__ import annotations

from tests.pages.cases import make_case
from tests.pages.test_portal import sign_in

PAGES = ["/portal", "/portal/betrokken", "/portal/toestemming", "/portal/overleg", "/portal/overleg/vragen",
         "/portal/mensen", "/portal/afspraken", "/portal/documenten", "/portal/berichten", "/portal/bekeken",
         "/portal/gegevens"]


async def test_every_portal_page_has_big_targets(phone, client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    await sign_in(phone, sessionmaker, case.workspace_id)
    for path in PAGES:
        await phone.goto(path)
        await phone.assert_fits(320, target=44)
        header = await phone.page.evaluate("() => document.querySelector('header.top').getBoundingClientRect().height")
        assert header <= 640 * 0.25, (path, header)  # the header leaves the screen to the content

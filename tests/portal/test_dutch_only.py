"""Text that exists only in Dutch carries lang="nl" when the portal speaks French or English (screen readers switch voice)."""

from __future__ import annotations

from tests.meetings.test_checkin import _portal
from tests.pages.cases import make_case
from tests.portal.helpers import csrf, fresh_client


async def _language(c, lang: str) -> None:
    page = await c.get("/portal")
    r = await c.post("/portal/taal", data={"language": lang, "back": "/portal", "_csrf_token": csrf(page.text)},
                     follow_redirects=False)
    assert r.status_code in (302, 303)


async def test_dutch_only_text_is_marked_in_french_and_english(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    question = "Helpen zoeken naar werk."
    agreement = f"Woning zoeken {case.given_name}"
    async with fresh_client(client) as c:
        await _portal(c, sessionmaker, case.workspace_id)
        # In Dutch the whole page is Dutch: no extra marks.
        page = await c.get("/portal/betrokken")
        assert question in page.text and f'<span lang="nl">{question}</span>' not in page.text
        for lang in ("fr", "en"):
            await _language(c, lang)
            page = await c.get("/portal/betrokken")
            assert f'<html lang="{lang}">' in page.text
            assert f'<span lang="nl">{question}</span>' in page.text, lang
            page = await c.get("/portal/afspraken")
            assert f'<span lang="nl">{agreement}</span>' in page.text, lang

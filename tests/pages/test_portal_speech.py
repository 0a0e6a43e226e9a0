"""Read-aloud on a 360x640 phone without a Dutch voice: the server speaks the page text; Dutch-only text is marked."""

from __future__ import annotations

import shutil

import pytest

from tests.pages.cases import make_case
from tests.pages.test_portal import sign_in


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (scripts/ensure-speech.sh)")
async def test_server_voice_where_the_phone_has_none(phone, client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    await sign_in(phone, sessionmaker, case.workspace_id)
    p = phone.page
    await phone.goto("/portal/berichten")
    has_dutch_voice = await p.evaluate(
        "() => new Promise(r => setTimeout(() => r('speechSynthesis' in window && speechSynthesis.getVoices()"
        ".some(v => v.lang.startsWith('nl'))), 1000))")
    button = p.locator("button[data-speak='inbox-intro']")
    await button.wait_for(state="visible")
    if has_dutch_voice:
        pytest.skip("this Chromium has a Dutch voice of its own; the server's voice is not needed")
    assert await button.get_attribute("data-mode") == "server"
    async with p.expect_response(lambda r: "/portal/spraak?" in r.url) as sound:
        await button.click()
    resp = await sound.value
    assert resp.status == 200 and resp.headers["content-type"] == "audio/wav"
    assert "k=portal.inbox.intro" in resp.url
    assert (await resp.body())[:4] == b"RIFF"
    # Buttons over text with a person's details (an agreement) are not offered: the server reads page text only.
    await phone.goto("/portal/afspraken")
    await p.wait_for_timeout(1200)
    assert not await p.locator("li button[data-speak]").first.is_visible()
    await phone.assert_fits(320, target=44)


async def test_dutch_only_text_is_marked_for_screen_readers(phone, client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    await sign_in(phone, sessionmaker, case.workspace_id)
    p = phone.page
    await phone.submit(p.get_by_role("button", name="English"))
    await phone.goto("/portal/betrokken")
    lang = await p.evaluate("() => [...document.querySelectorAll('main p')].find(e => e.textContent.includes("
                            "'Helpen zoeken naar werk.')).querySelector('[lang]').lang")
    assert lang == "nl"
    assert await p.get_attribute("html", "lang") == "en"
    await phone.goto("/portal/afspraken")
    assert await p.get_by_text(f"Woning zoeken {case.given_name}").get_attribute("lang") == "nl"

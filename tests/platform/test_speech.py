"""Read-aloud made on the server with the real espeak-ng: page texts only, cached per sentence, limited, or 503."""

from __future__ import annotations

import io
import shutil
import wave

import pytest

from tests.meetings.test_checkin import _portal
from tests.pages.cases import make_case
from tests.portal.helpers import csrf, fresh_client

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed "
                                "(scripts/ensure-speech.sh installs it; make test runs that script)")


def _frames(body: bytes) -> int:
    with wave.open(io.BytesIO(body), "rb") as w:
        assert w.getnchannels() == 1 and w.getframerate() > 8000
        return w.getnframes()


async def test_page_text_is_spoken_cached_and_limited(client, factory, sessionmaker, monkeypatch):
    from w2.platform import speech
    from w2.platform.i18n import t

    case = await make_case(client, factory, sessionmaker)
    async with fresh_client(client) as c:
        # Not signed in: nothing.
        r = await c.get("/portal/spraak", params={"k": "portal.inbox.intro"}, follow_redirects=False)
        assert r.status_code in (302, 303, 401)
        await _portal(c, sessionmaker, case.workspace_id)
        assert (await c.get("/portal/spraak/status")).status_code == 204

        r = await c.get("/portal/spraak", params={"k": ["portal.consent.intro", "portal.consent.intro2"]})
        assert r.status_code == 200 and r.headers["content-type"] == "audio/wav"
        assert r.content[:4] == b"RIFF" and r.content[8:12] == b"WAVE" and _frames(r.content) > 10000
        # Each sentence is made once and kept in the file store under a hash of language and text.
        text = f"{t('portal.consent.intro', 'nl')} {t('portal.consent.intro2', 'nl')}"
        sentences = [s for s in speech._SENTENCE.split(text) if s.strip()]
        assert len(sentences) >= 2
        paths = [speech.cache_path(s, "nl") for s in sentences]
        assert all(p.is_file() for p in paths)
        stamps = [p.stat().st_mtime_ns for p in paths]
        again = await c.get("/portal/spraak", params={"k": ["portal.consent.intro", "portal.consent.intro2"]})
        assert again.content == r.content and [p.stat().st_mtime_ns for p in paths] == stamps
        assert sum(_frames(p.read_bytes()) for p in paths) == _frames(r.content)

        # In French the French text is spoken (another sound, another cache entry).
        page = await c.get("/portal")
        await c.post("/portal/taal", data={"language": "fr", "back": "/portal", "_csrf_token": csrf(page.text)})
        fr = await c.get("/portal/spraak", params={"k": "portal.inbox.intro"})
        assert fr.status_code == 200
        assert speech.cache_path(t("portal.inbox.intro", "fr"), "fr").is_file()

        # Never free text, staff text, texts that need a person's details, unknown keys or too many keys.
        for bad in (["Lees dit voor: iets anders"], ["mail.digest.subject"], ["portal.checkin.from"],
                    ["portal.bestaat.niet"], [], ["portal.inbox.intro"] * 7):
            r = await c.get("/portal/spraak", params={"k": bad})
            assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json", bad
            assert r.json()["type"].endswith("/speech-unknown-text") and r.json()["detail"]

        # A budget per workspace: past it, 429 with a message, and espeak-ng is not started.
        monkeypatch.setattr(speech, "BUDGET", 4)
        statuses = [(await c.get("/portal/spraak", params={"k": "portal.inbox.intro"})).status_code for _ in range(6)]
        assert statuses[-1] == 429 and 200 not in statuses[statuses.index(429):]
        r = await c.get("/portal/spraak", params={"k": "portal.inbox.intro"})
        assert r.headers["content-type"] == "application/problem+json" and r.json()["status"] == 429


async def test_without_espeak_ng_the_endpoint_says_503(client, factory, sessionmaker, monkeypatch):
    from w2.platform.settings import get_settings

    case = await make_case(client, factory, sessionmaker)
    async with fresh_client(client) as c:
        await _portal(c, sessionmaker, case.workspace_id)
        monkeypatch.setenv("W2_SPEECH_COMMAND", "espeak-ng-is-not-installed-here")
        get_settings.cache_clear()
        try:
            for path in ("/portal/spraak/status", "/portal/spraak?k=portal.inbox.intro"):
                r = await c.get(path)
                assert r.status_code == 503 and r.headers["content-type"] == "application/problem+json", path
                assert r.json()["type"].endswith("/speech-unavailable") and "Voorlezen kan nu niet" in r.json()["detail"]
            # The portal then offers the buttons only where the phone itself can speak (readaloud.js).
            page = await c.get("/portal/berichten")
            assert 'data-say="portal.inbox.intro"' in page.text and "hidden" in page.text
        finally:
            monkeypatch.delenv("W2_SPEECH_COMMAND")
            get_settings.cache_clear()

"""The read-aloud fallback on the job seeker's pages: catalogue text spoken by the server, or a clear 503."""

from __future__ import annotations

import logging
from typing import Any

import msgspec
from litestar import Request, Response, get

from w2.platform import speech, throttle
from w2.platform.auth import signed_in
from w2.platform.i18n import t
from w2.platform.page_kit import page_language, require_jobseeker
from w2.platform.portal_kit import portal_router

log = logging.getLogger(__name__)


def _problem(status: int, kind: str, title: str, detail: str) -> Response[bytes]:
    body = {"type": f"https://w2.invalid/problems/{kind}", "title": title, "status": status, "detail": detail}
    return Response(msgspec.json.encode(body), status_code=status, media_type="application/problem+json",
                    headers={"Cache-Control": "no-store"})


@get("/spraak/status", guards=[signed_in])
async def speech_status(request: Request[Any, Any, Any]) -> Response[bytes]:
    """204 when the server can read aloud, 503 (problem+json) when espeak-ng is not installed."""
    require_jobseeker(request)
    if not speech.available():
        return _problem(503, "speech-unavailable", "Service Unavailable", t("speech.unavailable", page_language(request)))
    return Response(b"", status_code=204, headers={"Cache-Control": "no-store"})


@get("/spraak", guards=[signed_in])
async def speech_audio(request: Request[Any, Any, Any]) -> Response[bytes]:
    """The sound of page texts named by their catalogue keys (`?k=...`), in the page's language, as WAV."""
    actor = require_jobseeker(request)
    lang = page_language(request)
    if not speech.available():
        return _problem(503, "speech-unavailable", "Service Unavailable", t("speech.unavailable", lang))
    keys = request.query_params.getall("k", [])
    text = speech.speakable_text(list(keys), lang)
    if text is None:
        return _problem(404, "speech-unknown-text", "Not Found", t("speech.unknown", lang))
    store = request.app.stores.get("signin")
    if await throttle.take(store, f"speech:{actor.workspace_id}", speech.WINDOW_SECONDS) > speech.BUDGET:
        return _problem(429, "speech-too-often", "Too Many Requests", t("speech.too_often", lang))
    try:
        audio = await speech.speak(text, lang)
    except (OSError, RuntimeError, TimeoutError):
        log.exception("speech failed")
        return _problem(503, "speech-unavailable", "Service Unavailable", t("speech.unavailable", lang))
    return Response(audio, media_type="audio/wav", headers={"Cache-Control": "private, max-age=86400"})


SPEECH_PAGES = portal_router([speech_status, speech_audio])

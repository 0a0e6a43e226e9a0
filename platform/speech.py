"""Read-aloud made on the server with espeak-ng, for phones that have no voice in the page's language.

Only catalogue text of the job seeker's own pages can be spoken (never text sent by the client), each
sentence is made once per language and kept in the file store, and each workspace has a request budget.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
import shutil
import wave
from pathlib import Path

from w2.platform.i18n import known, t
from w2.platform.settings import get_settings

# espeak-ng voices for the portal's languages.
VOICES = {"nl": "nl", "fr": "fr", "en": "en"}
# Catalogue keys of text the job seeker reads on their own pages; staff text and mails are left out.
SPEAKABLE = ("portal.", "instruments.portal.", "scoretabel.portal.")
MAX_KEYS = 6
BUDGET = 60  # requests per workspace ...
WINDOW_SECONDS = 600  # ... per ten minutes
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def available() -> bool:
    """True when the speech command is configured and installed on this server."""
    command = get_settings().speech_command
    return bool(command) and shutil.which(command) is not None


def speakable_text(keys: list[str], language: str) -> str | None:
    """The page text behind catalogue keys, or None when a key is unknown, not a portal text or needs values."""
    if not keys or len(keys) > MAX_KEYS:
        return None
    parts = []
    for key in keys:
        if not key.startswith(SPEAKABLE) or not known(key):
            return None
        text = t(key, language)
        if "{" in text:  # a text with a person's details filled in is not a fixed page text
            return None
        parts.append(text.strip())
    return " ".join(parts)


def cache_path(sentence: str, language: str) -> Path:
    """Where the sound of one sentence is kept: a hash of language and text."""
    digest = hashlib.sha256(f"{language}\n{sentence}".encode()).hexdigest()
    return get_settings().storage_dir / "speech" / digest[:2] / f"{digest}.wav"


async def _make(sentence: str, language: str, target: Path) -> None:
    """Run espeak-ng for one sentence (text on stdin, never on the command line) into the cache."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".part")
    proc = await asyncio.create_subprocess_exec(
        get_settings().speech_command, "-v", VOICES.get(language, "nl"), "-s", "140", "-w", str(tmp), "--stdin",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    try:
        await asyncio.wait_for(proc.communicate(sentence.encode()), timeout=20)
    except TimeoutError:
        proc.kill()
        raise
    if proc.returncode != 0 or not tmp.is_file():
        raise RuntimeError(f"espeak-ng stopte met code {proc.returncode}")
    tmp.replace(target)  # atomic: a parallel request never reads half a file


async def speak(text: str, language: str) -> bytes:
    """One WAV for the text: each sentence from the cache, made first when it is not there yet."""
    sentences = [s for s in _SENTENCE.split(text) if s.strip()]
    frames: list[bytes] = []
    params = None
    for sentence in sentences:
        path = cache_path(sentence, language)
        if not path.is_file():
            await _make(sentence, language, path)
        with wave.open(str(path), "rb") as w:
            params = params or w.getparams()
            frames.append(w.readframes(w.getnframes()))
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        assert params is not None  # speakable_text never returns an empty text
        w.setparams(params)
        for chunk in frames:
            w.writeframes(chunk)
    return out.getvalue()

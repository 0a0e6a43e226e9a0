"""Message catalogue: user-facing text by key, Dutch first, other languages where translated."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT_LANGUAGE = "nl"
# The kernel's own catalogues; the composition root adds each domain's (platform/boot/wiring.py).
CATALOGUE_DIRS: list[Path] = [LOCALE_DIR, LOCALE_DIR / "pages"]


def register_catalogue_dir(path: Path) -> None:
    """Add a folder of `<lang>.json` files (the composition root does this for every domain)."""
    if path not in CATALOGUE_DIRS:
        CATALOGUE_DIRS.append(path)
        _catalogue.cache_clear()


@lru_cache(maxsize=16)
def _catalogue(language: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for folder in CATALOGUE_DIRS:
        f = folder / f"{language}.json"
        if f.is_file():
            merged.update(json.loads(f.read_text(encoding="utf-8")))
    return merged


def known(key: str) -> bool:
    """True when the Dutch catalogue has this key (every text exists in Dutch first)."""
    return key in _catalogue(DEFAULT_LANGUAGE)


def languages() -> list[str]:
    """Languages with a catalogue."""
    found = {p.stem for d in CATALOGUE_DIRS for p in d.glob("*.json")}
    return sorted(found)


def t(key: str, language: str | None = None, **params: Any) -> str:
    """Translate `key`; falls back to Dutch, then to the key itself."""
    text = _catalogue(language or DEFAULT_LANGUAGE).get(key)
    if text is None:
        text = _catalogue(DEFAULT_LANGUAGE).get(key, key)
    return text.format(**params) if params else text

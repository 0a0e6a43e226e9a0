"""The handbook's glossary of key competences (sleutelcompetenties), shipped as data in nl, fr and en."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("nl", "fr", "en")


@lru_cache(maxsize=4)
def glossary(language: str = "nl") -> tuple[dict[str, str], ...]:
    """The key competences in the handbook's order; Dutch is the handbook's own wording."""
    lang = language if language in LANGUAGES else "nl"
    items = json.loads((DATA / f"key_competences.{lang}.json").read_text(encoding="utf-8"))
    return tuple(items)


def codes() -> tuple[str, ...]:
    """Every known competence code."""
    return tuple(i["code"] for i in glossary("nl"))

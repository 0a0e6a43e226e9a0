"""Every catalogue the job seeker, a confidant or a PDF reads is complete in French and English."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest

from w2.platform import i18n

ROOT = Path(__file__).resolve().parents[2]
# Staff-only pages and API texts: Dutch only, on purpose (DESIGN.md); everything else is translated.
DUTCH_ONLY = {"platform/locale/pages", "platform/identity/locale", "consent/locale", "meetings/locale"}
TRANSLATED = sorted(str(d.relative_to(ROOT)) for d in i18n.CATALOGUE_DIRS if str(d.relative_to(ROOT)) not in DUTCH_ONLY)


def _load(folder: str, lang: str) -> dict[str, str]:
    return json.loads((ROOT / folder / f"{lang}.json").read_text(encoding="utf-8"))


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_catalogue_is_either_translated_or_dutch_only() -> None:
    folders = {str(d.relative_to(ROOT)) for d in i18n.CATALOGUE_DIRS}
    assert DUTCH_ONLY <= folders, "a Dutch-only catalogue moved: update DUTCH_ONLY"
    assert {"reports/locale", "reports/locale/portal", "instruments/locale", "platform/locale"} <= set(TRANSLATED)


@pytest.mark.parametrize("folder", TRANSLATED)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_translation_has_every_dutch_key_with_the_same_fields(folder: str, lang: str) -> None:
    nl, other = _load(folder, "nl"), _load(folder, lang)
    assert [k for k in nl if k not in other] == [], f"{folder}/{lang}.json misses keys (the text falls back to Dutch)"
    assert [k for k in other if k not in nl] == [], f"{folder}/{lang}.json has keys Dutch does not have"
    for key, text in nl.items():
        assert _fields(other[key]) == _fields(text), f"{folder}/{lang}.json {key}: placeholders differ"
        assert other[key].count("|") == text.count("|"), f"{folder}/{lang}.json {key}: plural forms differ"

"""The job seeker's meeting pages speak nl, fr and en with the same keys and placeholders."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIRS = [ROOT / "meetings" / "locale" / "portal", ROOT / "consent" / "locale" / "people",
        ROOT / "meetings" / "agreements" / "locale", ROOT / "reports" / "locale" / "portal",
        ROOT / "notifications" / "locale" / "portal"]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("folder", DIRS, ids=lambda p: str(p.relative_to(ROOT)))
def test_languages_have_the_same_keys_and_placeholders(folder: Path) -> None:
    nl = json.loads((folder / "nl.json").read_text(encoding="utf-8"))
    for lang in ("fr", "en"):
        other = json.loads((folder / f"{lang}.json").read_text(encoding="utf-8"))
        assert set(other) == set(nl), (lang, set(nl) ^ set(other))
        for key, text in nl.items():
            assert _fields(other[key]) == _fields(text), (lang, key)


PORTAL_NL = [ROOT / "consent" / "locale" / "portal" / "nl.json", *(d / "nl.json" for d in DIRS)]


def _syllables(word: str) -> int:
    # Dutch vowel groups (ij, ei, ui, oe, ou, au, eu, ie and long vowels) count as one syllable.
    return max(1, len(re.findall(r"ij|ei|ui|oe|ou|au|eu|ie|aa|ee|oo|uu|[aeiouyàâäéèêëïîôöûü]", word.lower())))


def test_portal_dutch_reads_easily() -> None:
    """Flesch-Douma of all the portal's Dutch page text (mails left out) stays at 80 or more."""
    parts = []
    for f in PORTAL_NL:
        for key, text in json.loads(f.read_text(encoding="utf-8")).items():
            if key.startswith(("mail.", "sms.")):
                continue
            text = re.sub(r"\{[a-z_]+\}", "Jan", text).strip()
            parts.append(text if text.endswith((".", "?", "!", ":")) else text + ".")
    body = " ".join(parts)
    sentences = len(re.findall(r"[.!?:]+(?:\s|$)", body))
    words = re.findall(r"[A-Za-zÀ-ÿ]+", body)
    score = 206.835 - 0.93 * len(words) / sentences - 77 * sum(map(_syllables, words)) / len(words)
    assert score >= 80, round(score, 1)

"""The job seeker's meeting pages speak nl, fr and en with the same keys and placeholders."""

from __future__ import annotations

import json
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

"""One voice in every text a person reads: one term for the meeting, "vous" in French, counted words in the plural."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from w2.notifications.channels import digest_lines

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = ("platform", "consent", "meetings", "instruments", "notifications", "reports")
CATALOGUES = sorted(p for d in DOMAINS for p in (ROOT / d).rglob("locale/**/*.json"))
TEMPLATES = sorted(p for d in DOMAINS for p in (ROOT / d).rglob("*.html"))
# The handbook's other name for the W²-overleg; w2 says "W²-overleg" or "overleg" everywhere.
OTHER_TERM = re.compile(r"ronde ?tafel|table ronde|round[- ]?table", re.IGNORECASE)
# Informal French: the job seeker is addressed with "vous" in every text.
TU = re.compile(r"\b(tu|ton|ta|tes|toi|te)\b|\bt['’]", re.IGNORECASE)


def _values(path: Path) -> dict[str, str]:
    return dict(json.loads(path.read_text(encoding="utf-8")))


def test_the_catalogues_and_templates_were_found() -> None:
    assert len(CATALOGUES) > 20 and len(TEMPLATES) > 50


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogues_say_overleg_and_vous(path: Path) -> None:
    for key, text in _values(path).items():
        assert not OTHER_TERM.search(text), (key, text)
        if path.stem == "fr":
            assert not TU.search(text), (key, text)


def test_templates_say_overleg() -> None:
    found = [(str(p.relative_to(ROOT)), m.group(0)) for p in TEMPLATES
             for m in OTHER_TERM.finditer(p.read_text(encoding="utf-8"))]
    assert found == []


@pytest.mark.parametrize(("language", "one", "three"), [
    ("nl", "1 afspraak is over tijd", "3 afspraken zijn over tijd"),
    ("fr", "1 accord est en retard", "3 accords sont en retard"),
    ("en", "1 agreement is overdue", "3 agreements are overdue"),
])
def test_counted_agreements_take_the_plural(language: str, one: str, three: str) -> None:
    assert digest_lines({"agreement_overdue": 1}, language) == [one]
    assert digest_lines({"agreement_overdue": 3}, language) == [three]


def test_every_counted_text_has_both_forms_in_each_language() -> None:
    for path in CATALOGUES:
        for key, text in _values(path).items():
            if key.startswith("digest."):
                one, bar, many = text.partition("|")
                assert bar and "{n}" in one and "{n}" in many, (path, key)

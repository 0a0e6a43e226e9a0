"""The scoretabel's themes carry the handbook's own labels (compared with the handbook text)."""

from __future__ import annotations

import re

from tests.handbook import handbook_text
from w2.platform.i18n import t
from w2.reports.themes import GROUPS, PERIODS, THEMES

# Words spelled the same in Dutch and the other language are not a missing translation.
SAME_WORD = {"period.start"}


def _norm(text: str) -> str:
    return re.sub(r"\s*/\s*", " / ", re.sub(r"\s+", " ", text)).strip()


def test_labels_are_the_handbooks() -> None:
    import w2.reports.render  # noqa: F401 - registers the reports catalogue

    handbook = handbook_text()
    start = handbook.index("3. Scoretabel voor de opvolging evolutie werkzoekende")
    table = handbook[start:handbook.index("4. Visualisering evolutie werkzoekende", start)]
    lines = [_norm(line) for line in table.splitlines() if line.strip()]
    for code in THEMES:
        assert _norm(t(f"theme.{code}")) in lines, code
    for label in ("Ervaring met solliciteren", "Orde in je administratie", "Zicht op / greep op je kwetsbaarheden",
                  "Zicht op welke hulpverlening er bestaat"):
        assert label in [t(f"theme.{c}") for c in THEMES]


def test_french_and_english_have_a_label_for_every_theme() -> None:
    import w2.reports.render  # noqa: F401 - registers the reports catalogue
    from w2.platform.i18n import _catalogue

    for lang in ("fr", "en"):
        own = _catalogue(lang)
        keys = [f"theme.{code}" for code in THEMES] + [f"period.{p}" for p in PERIODS]
        keys += [f"progress.group.{g}" for g in GROUPS]
        for key in keys:
            assert own.get(key), (lang, key)  # its own text, not the Dutch fallback
            assert own[key] != _catalogue("nl")[key] or key in SAME_WORD, (lang, key)

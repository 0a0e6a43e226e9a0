"""The knipperlichtenlijst rule: at least one indicator in at least three of the five rubrics."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from w2.platform.screening import INDICATORS, RUBRICS, assess


def test_three_rubrics_needed():
    assert not assess({"income.debts", "income.lives_alone", "health.complaints"}).probable_poverty
    a = assess({"income.debts", "health.complaints", "housing.moves_often"})
    assert a.probable_poverty and a.rubrics_hit == ("income", "housing", "health")
    assert not assess({"bogus.x", "income.nope"}).rubrics_hit


@given(st.sets(st.sampled_from(sorted(INDICATORS))))
def test_rule_matches_definition(checked):
    rubrics = {c.split(".")[0] for c in checked}
    assert assess(checked).probable_poverty == (len(rubrics) >= 3)
    assert set(assess(checked).rubrics_hit) <= set(RUBRICS)

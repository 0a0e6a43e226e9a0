"""Rijksregisternummer: valid numbers pass; every single-digit error and adjacent swap is refused."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from w2.platform import rrn

births = st.dates(min_value=date(1920, 1, 1), max_value=date(2025, 12, 31))
serials = st.integers(min_value=1, max_value=997)


@given(births, serials)
def test_generated_numbers_are_valid(birth, serial):
    n = rrn.make(birth, serial)
    assert rrn.normalize(n, birth) == n
    assert rrn.normalize(f"{n[:2]}.{n[2:4]}.{n[4:6]}-{n[6:9]}.{n[9:]}", birth) == n


@settings(max_examples=300)
@given(births, serials, st.integers(0, 10), st.integers(1, 9))
def test_every_single_digit_change_is_refused(birth, serial, pos, delta):
    n = rrn.make(birth, serial)
    changed = n[:pos] + str((int(n[pos]) + delta) % 10) + n[pos + 1 :]
    assert rrn.normalize(changed, birth) is None


@settings(max_examples=300)
@given(births, serials, st.integers(0, 9))
def test_every_adjacent_swap_is_refused(birth, serial, pos):
    n = rrn.make(birth, serial)
    swapped = n[:pos] + n[pos + 1] + n[pos] + n[pos + 2 :]
    if swapped != n:
        assert rrn.normalize(swapped, birth) is None


def test_2000_rule():
    # Born 2001-01-01, serial 1: check over 2010101001.
    n = rrn.make(date(2001, 1, 1), 1)
    assert n.startswith("010101001")
    assert int(n[9:]) == 97 - 2010101001 % 97
    assert rrn.normalize(n) == n
    assert rrn.normalize(n, date(1901, 1, 1)) is None


def test_garbage_is_refused():
    for bad in ["", "123", "abcdefghijk", "12345678901234", "85.07.30-033.61"]:
        assert rrn.normalize(bad) is None

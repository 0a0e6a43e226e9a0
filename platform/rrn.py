"""Belgian national register number (rijksregisternummer): format, mod-97 check, 2000+ rule."""

from __future__ import annotations

import re
from datetime import date

_SEPARATORS = re.compile(r"[\s.\-]")


def _check_ok(digits: str, born_2000_or_later: bool) -> bool:
    # From 2000 on, the check is computed over "2" followed by the first nine digits.
    base = int(("2" if born_2000_or_later else "") + digits[:9])
    return 97 - base % 97 == int(digits[9:])


def _plausible_date(digits: str) -> bool:
    # Month may be 00 (unknown) or shifted by 20/40 for bis numbers; day 00-31.
    month, day = int(digits[2:4]), int(digits[4:6])
    return month % 20 <= 12 and month < 60 and day <= 31


def normalize(value: str, birth_date: date | None = None) -> str | None:
    """The 11 digits of a valid number, or None.

    With a known birth date, the century decides which check applies and the date part must match,
    so every single-digit error and adjacent swap is caught. Without it, either check is accepted
    (a 2000+ check only when that year is not in the future).
    """
    digits = _SEPARATORS.sub("", value or "")
    if not re.fullmatch(r"\d{11}", digits) or not _plausible_date(digits):
        return None
    if birth_date is not None:
        if not _check_ok(digits, birth_date.year >= 2000) or not birth_date_matches(digits, birth_date):
            return None
        return digits
    if _check_ok(digits, False):
        return digits
    if _check_ok(digits, True) and 2000 + int(digits[:2]) <= date.today().year:
        return digits
    return None


def birth_date_matches(digits: str, birth: date) -> bool:
    """True when the date part agrees with the birth date (unknown parts 00 and bis shifts allowed)."""
    yy, mm, dd = int(digits[0:2]), int(digits[2:4]) % 20, int(digits[4:6])
    if yy != birth.year % 100:
        return False
    return mm in (0, birth.month) and dd in (0, birth.day)


def make(birth: date, serial: int) -> str:
    """Build a valid number for a birth date and a serial (1-997); used by demo and test data."""
    body = f"{birth.year % 100:02d}{birth.month:02d}{birth.day:02d}{serial:03d}"
    base = int(("2" + body) if birth.year >= 2000 else body)
    return body + f"{97 - base % 97:02d}"

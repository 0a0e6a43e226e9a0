"""Belgian national register number (rijksregisternummer): format and mod-97 check."""

from __future__ import annotations

import re
from datetime import date

_SEPARATORS = re.compile(r"[\s.\-]")


def normalize(value: str) -> str | None:
    """The 11 digits of a valid number, or None when it is not valid."""
    digits = _SEPARATORS.sub("", value or "")
    if not re.fullmatch(r"\d{11}", digits):
        return None
    body, check = int(digits[:9]), int(digits[9:])
    if 97 - body % 97 == check:
        return digits
    # Born in 2000 or later: the check is computed over "2" followed by the nine digits.
    if 97 - int("2" + digits[:9]) % 97 == check:
        return digits
    return None


def born_after_1999(digits: str) -> bool:
    """True when the number uses the 2000+ check."""
    return 97 - int(digits[:9]) % 97 != int(digits[9:])


def birth_date_matches(digits: str, birth: date) -> bool:
    """True when the date part agrees with a known birth date (unknown parts 00 are allowed)."""
    yy, mm, dd = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    century = 2000 if born_after_1999(digits) else 1900
    if mm == 0 or dd == 0 or mm > 12:
        return birth.year == century + yy
    return (century + yy, mm, dd) == (birth.year, birth.month, birth.day)


def make(birth: date, serial: int) -> str:
    """Build a valid number for a birth date and a serial (1-997); used by demo and test data."""
    body = f"{birth.year % 100:02d}{birth.month:02d}{birth.day:02d}{serial:03d}"
    base = int(("2" + body) if birth.year >= 2000 else body)
    return body + f"{97 - base % 97:02d}"

"""'Wie keek': the access log summarised per service and per day, with the lines behind each count."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, tzinfo
from typing import Any


@dataclass
class DayOfService:
    """What one service did with the job seeker's data on one day."""

    agency: str
    day: date
    count: int = 0
    denied: int = 0
    changed: int = 0
    domains: list[str] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)


READS = ("read", "list", "view", "export", "download")


def summarise(entries: list[dict[str, Any]], tz: tzinfo, unknown: str) -> list[DayOfService]:
    """Group log lines (newest first) per local day and service; the newest day comes first."""
    groups: dict[tuple[date, str], DayOfService] = {}
    for e in entries:
        day = e["at"].astimezone(tz).date()
        agency = e["agency"] or unknown
        g = groups.get((day, agency))
        if g is None:
            g = groups[(day, agency)] = DayOfService(agency, day)
        g.count += 1
        if e["outcome"] != "allowed":
            g.denied += 1
        elif e["action"] not in READS:
            g.changed += 1
        if e["life_domain"] and e["life_domain"] not in g.domains:
            g.domains.append(e["life_domain"])
        g.entries.append(e)
    return sorted(groups.values(), key=lambda g: (-g.day.toordinal(), g.agency))


def plural(translate: Any, key: str, n: int, **params: Any) -> str:
    """`key.one` for one, `key.other` for any other number (enough for nl, fr and en)."""
    return str(translate(f"{key}.one" if n == 1 else f"{key}.other", n=n, **params))

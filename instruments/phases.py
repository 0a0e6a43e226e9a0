"""The spiral of the trajectory: its cycles and phases, named as in the handbook (ch. 2 §2, ch. 3-5)."""

from __future__ import annotations

from typing import NamedTuple


class Phase(NamedTuple):
    """One phase of the spiral; `rank` orders the whole spiral bottom to top."""

    code: str
    name: str
    cycle: int  # 0 = toeleiding en selectie, 1 = krachtgerichte integrale begeleiding, 2 = opleiding, 3 = werk
    order: int
    rank: int


_SPIRAL: tuple[tuple[int, tuple[tuple[str, str], ...]], ...] = (
    (0, (("c0_referral", "Toeleiding"), ("c0_selection", "Selectie"))),
    (1, (
        ("c1_first_contact", "Het eerste contact"),
        ("c1_exploration", "Exploratie en eerste acties op domeinen van welzijn en werk"),
        ("c1_shared_insights", "Naar gedeelde inzichten"),
        ("c1_action", "Sporen tot actie en komen tot uitzichten"),
        ("c1_crisis", "Omgaan met crisis en weerstanden"),
        ("c1_sustainable", "Naar duurzame ontwikkeling op het vlak van welzijn en werk"),
        ("c1_evaluation", "Naar evaluatie en beslissing tot samen verder gaan"),
    )),
    # Cycles 2 (training) and 3 (work) share the five phases of chapter 5.
    *((cycle, (
        (f"c{cycle}_search", "Samen zoeken naar een geschikte opleiding of werkgever"),
        (f"c{cycle}_information", "Zoeken naar informatie over het opleidingscentrum"),
        (f"c{cycle}_mediation", "Bemiddelen en samen solliciteren"),
        (f"c{cycle}_welfare", "De welzijnsdomeinen blijvend in de gaten houden tijdens de opleiding of tewerkstelling"),
        (f"c{cycle}_follow_up", "Blijvend opvolgen en terugkoppelen"),
    )) for cycle in (2, 3)),
)

PHASES: tuple[Phase, ...] = tuple(
    Phase(code, name, cycle, order, 0) for cycle, items in _SPIRAL for order, (code, name) in enumerate(items, 1)
)
PHASES = tuple(p._replace(rank=i) for i, p in enumerate(PHASES))
BY_CODE: dict[str, Phase] = {p.code: p for p in PHASES}
CYCLES = (0, 1, 2, 3)
# Where the trajectory sits is case content about guidance towards work: it is read under this domain.
PHASE_DOMAIN = "work_training"


def direction(previous: str | None, new: str) -> str:
    """`start`, `forward`, `back` or `same`: moving back is part of the method, recorded as such."""
    if previous is None or previous not in BY_CODE:
        return "start"
    a, b = BY_CODE[previous].rank, BY_CODE[new].rank
    return "forward" if b > a else "back" if b < a else "same"

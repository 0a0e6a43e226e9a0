"""A coordinator per meeting: any member agency's professional may coordinate; handovers are logged and announced."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.meetings import schemas as s
from w2.meetings.access import member_user, require_coordinator, require_participation, require_status
from w2.meetings.models import Meeting, MeetingCoordinatorChange
from w2.platform import mail
from w2.platform.actor import Actor
from w2.platform.errors import Conflict
from w2.platform.i18n import t
from w2.platform.models import User
from w2.platform.outbox import enqueue
from w2.platform.settings import get_settings

HANDOVER_FROM = ("requested", "preparing", "polling", "scheduled", "held")


async def hand_over(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID, data: s.CoordinatorIn) -> Meeting:
    """The current coordinator (or the case's coordinating agency) hands this meeting to another professional.

    The new coordinator must work for a member agency that may take part in meetings (or for the
    coordinating agency itself); the workspace keeps its coordinating agency.
    """
    m, ws = await require_coordinator(session, actor, meeting_id)
    require_status(m, HANDOVER_FROM)
    user = await member_user(session, ws.id, data.user_id, "user_id")
    if user.id == m.coordinator_user_id:
        raise Conflict(t("meetings.error.already_coordinator"), kind="already-coordinator")
    if user.agency_id != ws.coordinating_agency_id:
        await require_participation(session, ws.id, user.agency_id)
    previous = m.coordinator_user_id
    m.coordinator_user_id = user.id
    row = MeetingCoordinatorChange(meeting_id=m.id, workspace_id=m.workspace_id, from_user_id=previous,
                                   to_user_id=user.id, by_user_id=actor.user_id)
    session.add(row)
    await session.flush()
    link = f"{get_settings().base_url}/meetings/{m.id}"
    for uid, role in ((user.id, "to"), (previous, "from")):
        person = await session.get(User, uid) if uid else None
        if person is None:
            continue
        # Both see it: a mail with a link behind sign-in (no case content), and the meeting page's history.
        await enqueue(session, key=f"meeting-handover:{row.id}:{role}", kind="meeting_handover",
                      to_address=person.email, recipient_user_id=person.id, language=person.preferred_language,
                      params={"name": person.name, "role": role, "new": user.name, "link": link},
                      workspace_id=m.workspace_id)
    await session.flush()
    return m


async def coordinator_history(session: AsyncSession, m: Meeting) -> list[s.CoordinatorChangeOut]:
    """Every handover of this meeting, oldest first."""
    rows = await session.scalars(select(MeetingCoordinatorChange).where(MeetingCoordinatorChange.meeting_id == m.id)
                                 .order_by(MeetingCoordinatorChange.created_at, MeetingCoordinatorChange.id))
    return [s.CoordinatorChangeOut(from_user_id=r.from_user_id, to_user_id=r.to_user_id, by_user_id=r.by_user_id,
                                   at=r.created_at) for r in rows]


def render_handover(params: dict[str, Any], language: str) -> Any:
    """The handover mail, to the new or to the previous coordinator."""
    key = "meeting_handover_to" if params.get("role") == "to" else "meeting_handover_from"
    return mail.simple(key, params, language)

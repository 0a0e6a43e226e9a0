"""The follow-up loop: plan the next meeting from a finalized one, with its invitees and still-open agreements."""

from __future__ import annotations

import uuid
from urllib.parse import urlparse

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import can_read_domain
from w2.meetings.access import active_invitees, participation_granted, require_coordinator, require_status
from w2.meetings.agreements.models import Agreement
from w2.meetings.checkin import ask_how_it_goes
from w2.meetings.models import Meeting, MeetingInvitee
from w2.meetings.round_table import system_scope
from w2.platform.actor import Actor
from w2.platform.errors import Conflict
from w2.platform.i18n import t
from w2.platform.settings import get_settings

STILL_OPEN = ("open", "in_progress")


async def plan_follow_up(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID) -> Meeting:
    """A new meeting in `requested`, linked to this one, with the same invitees proposed and open agreements carried.

    The invitees are proposed, not invited: nobody is mailed, and the job seeker agrees to the list
    again. A professional whose agency may no longer take part is left off.
    """
    m, ws = await require_coordinator(session, actor, meeting_id)
    require_status(m, ("finalized",))
    existing = await session.scalar(select(Meeting.id).where(Meeting.follow_up_of_id == m.id,
                                                             Meeting.status != "cancelled").limit(1))
    if existing is not None:
        raise Conflict(t("meetings.error.follow_up_exists"), kind="follow-up-exists",
                       extra={"follow_up_id": str(existing)})
    # Every still-open agreement is carried, in every domain: read under the system scope like the
    # frozen report, only ids leave this function; each caller later sees only the ones it may read.
    async with system_scope(session):
        carried = [str(a) for a in await session.scalars(
            select(Agreement.id).where(
                Agreement.workspace_id == m.workspace_id, Agreement.status.in_(STILL_OPEN),
                or_(Agreement.meeting_id == m.id, Agreement.id.in_([uuid.UUID(x) for x in m.carried_agreement_ids])))
            .order_by(Agreement.created_at, Agreement.id))]
    host = urlparse(get_settings().base_url).hostname or "w2.invalid"
    new = Meeting(
        workspace_id=m.workspace_id, status="requested", follow_up_of_id=m.id, carried_agreement_ids=carried,
        reason=t("meetings.follow_up.reason"), goal=m.goal, requested_by_kind="professional",
        requested_by_user_id=actor.user_id, created_by_user_id=actor.user_id,
        coordinator_user_id=m.coordinator_user_id or actor.user_id,
        jobseeker_participation=m.jobseeker_participation, non_participation_reason=m.non_participation_reason,
        practical_needs=list(m.practical_needs), interpreter_language=m.interpreter_language,
        partner_name=m.partner_name, children_names=list(m.children_names),
        ics_uid=f"{uuid.uuid4()}@{host}",
    )
    session.add(new)
    await session.flush()
    proposed = 0
    for inv in await active_invitees(session, m.id):
        if inv.kind == "professional" and inv.agency_id and inv.agency_id != ws.coordinating_agency_id \
                and not await participation_granted(session, ws.id, inv.agency_id):
            continue
        session.add(MeetingInvitee(meeting_id=new.id, kind=inv.kind, user_id=inv.user_id, agency_id=inv.agency_id,
                                   confidant_id=inv.confidant_id, function=inv.function, address=inv.address,
                                   email=inv.email, added_by_user_id=actor.user_id))
        proposed += 1
    new.invitee_list_version = 1 if proposed else 0
    await session.flush()
    await ask_how_it_goes(session, new)
    return new


async def follow_up_ids(session: AsyncSession, m: Meeting) -> list[uuid.UUID]:
    """The meetings planned as a follow-up of this one."""
    return list(await session.scalars(select(Meeting.id).where(Meeting.follow_up_of_id == m.id)
                                      .order_by(Meeting.created_at)))


async def readable_carried(session: AsyncSession, actor: Actor, m: Meeting) -> list[uuid.UUID]:
    """The carried agreements the actor may read (filtered in SQL)."""
    if not m.carried_agreement_ids:
        return []
    ids = [uuid.UUID(x) for x in m.carried_agreement_ids]
    rows = set(await session.scalars(select(Agreement.id).where(
        Agreement.id.in_(ids), can_read_domain(actor, Agreement.workspace_id, Agreement.life_domain))))
    return [x for x in ids if x in rows]

"""Urgent themes: the job seeker's priorities, each tagged with a life domain and read under consent."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.domains import LIFE_DOMAINS
from w2.consent.policy import (
    ConsentMissing,
    can_read_domain,
    log_access,
    log_denial,
    readable_domains,
    require_grant,
)
from w2.meetings import schemas as s
from w2.meetings.models import Meeting, MeetingUrgentTheme
from w2.platform.actor import Actor


def as_items(value: str | list[s.UrgentThemeIn]) -> list[s.UrgentThemeIn]:
    """Plain text becomes one theme per line (or `;`), tagged `other`: nobody chose a domain for it."""
    if isinstance(value, list):
        return value
    parts = [p.strip(" -•\t") for p in re.split(r"[\n;]", value)]
    return [s.UrgentThemeIn(text=p[:300]) for p in parts if p]


async def replace_urgent_themes(session: AsyncSession, actor: Actor, m: Meeting,
                                value: str | list[s.UrgentThemeIn]) -> None:
    """Replace the themes in the domains the actor may read; themes in other domains stay as they are.

    A theme in a domain the writer's agency holds no information_sharing consent for is refused
    (409, nothing changes): whoever cannot read a domain cannot write in it either.
    """
    items = as_items(value)
    if actor.is_staff:
        assert actor.agency_id is not None
        for item in items:
            try:
                await require_grant(session, m.workspace_id, actor.agency_id, "information_sharing",
                                    item.life_domain)
            except ConsentMissing:
                await log_denial(session, actor, action="write", resource_type="urgent_theme",
                                 workspace_id=m.workspace_id, resource_id=m.id, life_domain=item.life_domain)
                raise
    mine = await readable_domains(session, actor, m.workspace_id)
    await session.execute(delete(MeetingUrgentTheme).where(
        MeetingUrgentTheme.meeting_id == m.id, MeetingUrgentTheme.life_domain.in_(sorted(mine))))
    kept = await session.scalar(select(MeetingUrgentTheme.position).where(MeetingUrgentTheme.meeting_id == m.id)
                                .order_by(MeetingUrgentTheme.position.desc()).limit(1))
    start = (kept or 0) + 1
    for n, item in enumerate(items):
        session.add(MeetingUrgentTheme(meeting_id=m.id, workspace_id=m.workspace_id, life_domain=item.life_domain,
                                       text=item.text, position=start + n, created_by_user_id=actor.user_id))
    for domain in sorted({i.life_domain for i in items}):
        await log_access(session, actor, action="write", resource_type="urgent_theme", workspace_id=m.workspace_id,
                         resource_id=m.id, life_domain=domain)
    await session.flush()


async def readable_urgent_themes(session: AsyncSession, actor: Actor, m: Meeting) -> list[s.UrgentThemeOut]:
    """The meeting's urgent themes in the domains the actor may read (filtered in SQL), each domain's read logged."""
    rows = list(await session.scalars(
        select(MeetingUrgentTheme)
        .where(MeetingUrgentTheme.meeting_id == m.id,
               can_read_domain(actor, MeetingUrgentTheme.workspace_id, MeetingUrgentTheme.life_domain))
        .order_by(MeetingUrgentTheme.position, MeetingUrgentTheme.id)))
    for domain in sorted({r.life_domain for r in rows}, key=LIFE_DOMAINS.index):
        await log_access(session, actor, action="read", resource_type="urgent_theme", workspace_id=m.workspace_id,
                         resource_id=m.id, life_domain=domain)
    if rows:
        await session.flush()
    return [s.UrgentThemeOut(id=r.id, text=r.text, life_domain=r.life_domain) for r in rows]


async def all_urgent_themes(session: AsyncSession, meeting_id: uuid.UUID) -> list[dict[str, str]]:
    """Every theme, unfiltered, for freezing the report (call under the system scope only)."""
    rows = await session.scalars(select(MeetingUrgentTheme).where(MeetingUrgentTheme.meeting_id == meeting_id)
                                 .order_by(MeetingUrgentTheme.position, MeetingUrgentTheme.id))
    return [{"text": r.text, "life_domain": r.life_domain} for r in rows]

"""The personal calendar feed: a user's round tables as RFC 5545 events, without any case content."""

from __future__ import annotations

import hmac
import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.meetings.models import CalendarFeed, Meeting, MeetingInvitee
from w2.platform.i18n import t
from w2.platform.models import User
from w2.platform.settings import get_settings


def _new_token() -> str:
    return secrets.token_urlsafe(24)


async def feed_secret(session: AsyncSession, user_id: uuid.UUID) -> str:
    """The user's current feed secret, made on first use."""
    row = await session.get(CalendarFeed, user_id)
    if row is None:
        row = CalendarFeed(user_id=user_id, token=_new_token())
        session.add(row)
        await session.flush()
    return row.token


async def rotate_feed(session: AsyncSession, user_id: uuid.UUID) -> str:
    """A new feed secret for the user: the old address stops working at once."""
    row = await session.get(CalendarFeed, user_id)
    if row is None:
        return await feed_secret(session, user_id)
    row.token = _new_token()
    row.created_at = datetime.now(UTC)
    await session.flush()
    return row.token


async def feed_owner(session: AsyncSession, user_id: uuid.UUID, token: str) -> User | None:
    """The active user whose current feed secret this is, or None."""
    row = await session.get(CalendarFeed, user_id)
    if row is None or not hmac.compare_digest(row.token.encode(), token.encode()):
        return None
    user = await session.get(User, user_id)
    return user if user is not None and user.active else None


async def feed_url(session: AsyncSession, user_id: uuid.UUID) -> str:
    """The address to subscribe to in a calendar app."""
    return f"{get_settings().base_url}/agenda/{user_id}/{await feed_secret(session, user_id)}.ics"


async def meetings_for_user(session: AsyncSession, user: User) -> list[Any]:
    """Scheduled or held round tables the user is (still) invited to, while their agency may take part."""
    from w2.meetings.access import meeting_visible
    from w2.platform.auth import staff_actor
    from w2.platform.db.scope import rls_scope, switch_scope

    # The feed URL proved the user (a public route starts out anonymous): read as that user's agency.
    await switch_scope(session, rls_scope(staff_actor(user)))

    return list(await session.scalars(
        select(Meeting).join(MeetingInvitee, MeetingInvitee.meeting_id == Meeting.id)
        .where(MeetingInvitee.user_id == user.id, MeetingInvitee.removed_at.is_(None),
               Meeting.status.in_(("scheduled", "held", "finalized")), Meeting.starts_at.is_not(None),
               # Revoked meeting participation (or membership) ends the feed on the next poll.
               meeting_visible(staff_actor(user), Meeting.workspace_id))
        .order_by(Meeting.starts_at).distinct()
    ))


async def calendar_for_user(session: AsyncSession, user: User) -> bytes:
    """VCALENDAR with one VEVENT per scheduled round table: time, place, a link; nothing about the person."""
    from icalendar import Event

    cal = Calendar.new(prodid="-//w2//Overleg//NL")
    cal.add("X-WR-CALNAME", "w2 – overleg")
    now = datetime.now(UTC)
    base = get_settings().base_url.rstrip("/")
    for m in await meetings_for_user(session, user):
        # The link opens the meeting page behind sign-in; the event itself names no one.
        link = f"{base}/meetings/{m.id}"
        cal.add_component(Event.new(uid=m.ics_uid, sequence=m.ics_sequence or 0, summary="W²-overleg",
                                    start=m.starts_at, end=m.ends_at, stamp=now, location=m.location or None,
                                    status="CONFIRMED", url=link,
                                    description=t("pages.feed.event_link", user.preferred_language or "nl",
                                                  url=link)))
    return cal.to_ical()

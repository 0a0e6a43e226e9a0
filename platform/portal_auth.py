"""One-time sign-in links for the job seeker's own pages: no password to remember (WCAG 2.2 §3.3.8).

A link's token exists only in the message that delivers it: it is minted at send time and only
its SHA-256 is stored (DESIGN rule 10). A new link or invitation voids every older unused one.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, ForeignKey, String, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from w2.platform.auth import token_digest
from w2.platform.db.base import Base, CreatedMixin, IdMixin, UTCDateTime, utcnow
from w2.platform.db.scope import jobseeker_scope, switch_scope
from w2.platform.errors import NotFound
from w2.platform.i18n import t
from w2.platform.models import Workspace
from w2.platform.settings import get_settings

LINK_TTL = timedelta(hours=72)
CHANNELS = ("cli", "email", "sms", "letter")


class PortalLink(IdMixin, CreatedMixin, Base):
    """A one-time sign-in link; only the SHA-256 of its token is stored."""

    __tablename__ = "portal_link"
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    channel: Mapped[str] = mapped_column(String(20), default="cli")
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    invitation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("portal_invitation.id"), default=None)


class PortalInvitation(IdMixin, CreatedMixin, Base):
    """A request to send a sign-in link to the job seeker's own phone or mail; holds no token."""

    __tablename__ = "portal_invitation"
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    sent_to: Mapped[str] = mapped_column(String(320))  # masked, as shown to the requester
    requested_by: Mapped[str] = mapped_column(String(20), default="staff")  # staff | jobseeker
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


def portal_url(raw: str, base_url: str | None = None) -> str:
    """The address the job seeker opens."""
    return f"{(base_url or get_settings().base_url).rstrip('/')}/portal/in/{raw}"


def _usable() -> tuple[ColumnElement[bool], ...]:
    return (PortalLink.used_at.is_(None), PortalLink.voided_at.is_(None), PortalLink.expires_at > utcnow())


async def void_unused_links(session: AsyncSession, workspace_id: uuid.UUID) -> None:
    """Make every unused link of the workspace worthless (a newer one replaces them)."""
    await session.execute(
        update(PortalLink).where(PortalLink.workspace_id == workspace_id, *_usable()).values(voided_at=utcnow())
    )


async def create_portal_link(
    session: AsyncSession, workspace_id: uuid.UUID, *, channel: str = "cli",
    created_by_user_id: uuid.UUID | None = None, ttl: timedelta = LINK_TTL,
    invitation_id: uuid.UUID | None = None,
) -> str:
    """Store a fresh link (voiding older unused ones) and return its raw token, for the sender only."""
    if await session.get(Workspace, workspace_id) is None:
        raise NotFound(t("error.workspace_not_found"))
    await void_unused_links(session, workspace_id)
    raw = secrets.token_urlsafe(24)
    session.add(PortalLink(workspace_id=workspace_id, token_hash=token_digest(raw), expires_at=utcnow() + ttl,
                           channel=channel, created_by_user_id=created_by_user_id, invitation_id=invitation_id))
    await session.flush()
    return raw


async def find_portal_link(session: AsyncSession, raw: str) -> PortalLink | None:
    """The unused, unexpired link for a raw token (without using it); the session then reads as its job seeker."""
    link = await session.scalar(select(PortalLink).where(PortalLink.token_hash == token_digest(raw), *_usable()))
    if link is not None:
        await switch_scope(session, jobseeker_scope(link.workspace_id))
    return link


async def redeem_portal_link(session: AsyncSession, raw: str) -> uuid.UUID | None:
    """Use a link once: returns the workspace id, or None when unknown, used, voided or expired."""
    link = await session.scalar(
        select(PortalLink).where(PortalLink.token_hash == token_digest(raw), *_usable()).with_for_update()
    )
    if link is None:
        return None
    link.used_at = utcnow()
    await session.flush()
    await switch_scope(session, jobseeker_scope(link.workspace_id))
    return link.workspace_id

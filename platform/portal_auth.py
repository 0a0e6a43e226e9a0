"""One-time sign-in links for the job seeker's own pages: no password to remember (WCAG 2.2 §3.3.8)."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from w2.platform.auth import token_digest
from w2.platform.db.base import Base, CreatedMixin, IdMixin, UTCDateTime, utcnow
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
    channel: Mapped[str] = mapped_column(String(20), default="cli")
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)


def portal_url(raw: str, base_url: str | None = None) -> str:
    """The address the job seeker opens."""
    return f"{(base_url or get_settings().base_url).rstrip('/')}/portal/in/{raw}"


async def create_portal_link(
    session: AsyncSession, workspace_id: uuid.UUID, *, channel: str = "cli",
    created_by_user_id: uuid.UUID | None = None, ttl: timedelta = LINK_TTL,
) -> str:
    """Store a fresh link for the workspace's job seeker and return its raw token (shown once)."""
    if await session.get(Workspace, workspace_id) is None:
        raise NotFound(t("error.workspace_not_found"))
    raw = secrets.token_urlsafe(24)
    session.add(PortalLink(workspace_id=workspace_id, token_hash=token_digest(raw), expires_at=utcnow() + ttl,
                           channel=channel, created_by_user_id=created_by_user_id))
    await session.flush()
    return raw


async def find_portal_link(session: AsyncSession, raw: str) -> PortalLink | None:
    """The unused, unexpired link for a raw token (without using it)."""
    return await session.scalar(
        select(PortalLink).where(PortalLink.token_hash == token_digest(raw), PortalLink.used_at.is_(None),
                                 PortalLink.expires_at > utcnow())
    )


async def redeem_portal_link(session: AsyncSession, raw: str) -> uuid.UUID | None:
    """Use a link once: returns the workspace id, or None when unknown, used or expired."""
    link = await session.scalar(
        select(PortalLink)
        .where(PortalLink.token_hash == token_digest(raw), PortalLink.used_at.is_(None),
               PortalLink.expires_at > utcnow())
        .with_for_update()
    )
    if link is None:
        return None
    link.used_at = utcnow()
    await session.flush()
    return link.workspace_id

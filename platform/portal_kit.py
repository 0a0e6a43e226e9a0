"""The job seeker's portal, shared by every domain that serves a page there: prefix, frame, flash, own workspace.

Each domain mounts its own portal pages with `portal_router`; the frame is `portal/base.html`.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, Router
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform.actor import Actor
from w2.platform.errors import NotFound
from w2.platform.i18n import t
from w2.platform.models import Jobseeker, Workspace
from w2.platform.page_kit import page_router
from w2.platform.settings import get_settings

PREFIX = "/portal"


def portal_router(handlers: list[Any]) -> Router:
    """A router for one domain's portal pages under /portal."""
    return page_router(PREFIX, handlers)


def take_flash(request: Request[Any, Any, Any]) -> str | None:
    """The one-time message a previous step left for this page (removed once read)."""
    session = request.scope.get("session")
    return session.pop("flash", None) if isinstance(session, dict) else None


def set_flash(request: Request[Any, Any, Any], message: str) -> None:
    """Leave a one-time message for the next page."""
    session = request.scope.get("session")
    if isinstance(session, dict):
        session["flash"] = message


def local_tz() -> ZoneInfo:
    """The time zone portal pages show times in."""
    return ZoneInfo(get_settings().timezone)


async def own_workspace(session: AsyncSession, actor: Actor) -> tuple[Workspace, Jobseeker]:
    """The job seeker's own workspace and identity."""
    ws = await session.get(Workspace, actor.workspace_id) if actor.workspace_id else None
    js = await session.get(Jobseeker, ws.jobseeker_id) if ws else None
    if ws is None or js is None:
        raise NotFound(t("error.workspace_not_found"))
    return ws, js

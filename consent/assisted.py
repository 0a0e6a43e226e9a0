"""Assisted sessions (DESIGN rule 11): a professional opens the job seeker's pages on their own screen,
at the counter, with the job seeker beside them. Nobody gets the job seeker's key: the session names
the helper on every page, logs every request under the kind `assisted`, and ends back in the
professional's own session.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from litestar import Request, post
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import log_access
from w2.platform.actor import Actor
from w2.platform.auth import get_actor, signed_in, staff
from w2.platform.db.scope import rls_scope
from w2.platform.errors import Forbidden, Invalid
from w2.platform.i18n import t
from w2.platform.models import Jobseeker
from w2.platform.page_kit import page_router, require_staff
from w2.platform.sessions import start_session
from w2.platform.workspaces import get_workspace

ASSISTING_ROLES = ("coordinator", "worker")
PORTAL_LANGUAGES = ("nl", "fr", "en")


async def open_assisted(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> Jobseeker:
    """Check that this professional may sit with the job seeker, and log the start."""
    ws = await get_workspace(session, actor, workspace_id)
    if not actor.is_staff or actor.is_platform_admin or not any(actor.has_role(r) for r in ASSISTING_ROLES):
        raise Forbidden(t("assisted.error.not_allowed"))
    js = await session.get(Jobseeker, ws.jobseeker_id)
    assert js is not None
    await log_access(session, actor, action="assist_start", resource_type="assisted_session", workspace_id=ws.id)
    return js


def assisted_session_data(actor: Actor, workspace_id: uuid.UUID, js: Jobseeker,
                          staff_session: dict[str, Any]) -> dict[str, Any]:
    """The page session of an assisted session: the job seeker's pages, the helper named, the
    professional's own sign-in time kept (its absolute limit keeps counting)."""
    started = staff_session.get("signed_in_at")
    return {"jobseeker_workspace_id": str(workspace_id), "assisted_by": str(actor.user_id),
            "signed_in_at": started if isinstance(started, int) else int(time.time()),
            "name": js.given_name, "staff_auth": staff_session.get("auth"),
            "language": js.preferred_language if js.preferred_language in PORTAL_LANGUAGES else "nl"}


@post("/workspaces/{workspace_id:uuid}/samen", guards=[staff])
async def start_assisted(request: Request[Any, Any, Any], db: AsyncSession, workspace_id: uuid.UUID) -> Redirect:
    """Open the job seeker's pages together, on this screen; the job seeker must be there."""
    actor = require_staff(request)
    form = await request.form()
    if form.get("present") != "1":
        raise Invalid("present", t("assisted.error.present"))
    js = await open_assisted(db, actor, workspace_id)
    old = request.scope.get("session")
    data = assisted_session_data(actor, workspace_id, js, old if isinstance(old, dict) else {})
    start_session(request, data)
    return Redirect("/portal")


async def end_assisted(request: Request[Any, Any, Any], db: AsyncSession, actor: Actor) -> Redirect:
    """Log the end and give the professional their own session back, on the workspace page."""
    await log_access(db, actor, action="assist_end", resource_type="assisted_session",
                     workspace_id=actor.workspace_id)
    session = request.scope.get("session")
    started = session.get("signed_in_at") if isinstance(session, dict) else None
    # How the professional signed in comes back too: an admin's session needs it (second factor or SSO).
    how = session.get("staff_auth") if isinstance(session, dict) else None
    start_session(request, {"user_id": str(actor.assisted_by_user_id), "auth": how,
                            "signed_in_at": started if isinstance(started, int) else int(time.time())})
    return Redirect(f"/workspaces/{actor.workspace_id}")


@post("/portal/samen/stop", guards=[signed_in])
async def stop_assisted(request: Request[Any, Any, Any], db: AsyncSession) -> Redirect:
    """End the assisted session."""
    actor = get_actor(request)
    if actor is None or not actor.is_assisted:
        return Redirect("/portal")
    return await end_assisted(request, db, actor)


async def log_assisted_request(request: Request[Any, Any, Any]) -> None:
    """Every page request in an assisted session is logged (own transaction: pages may fail later)."""
    actor = get_actor(request)
    if actor is None or not actor.is_assisted:
        return
    async with request.app.state.sessionmaker() as s, s.begin():
        s.info["rls"] = rls_scope(actor)
        await log_access(s, actor, action="view" if request.method in ("GET", "HEAD") else "change",
                         resource_type="portal_page", workspace_id=actor.workspace_id,
                         resource_id=request.url.path[:80])


ASSISTED_PAGES = page_router("/", [start_assisted, stop_assisted])

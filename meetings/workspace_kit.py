"""What every workspace page shares: the header context, the saved banner, members and pivots."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request
from litestar.response import Redirect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform.i18n import t
from w2.platform.models import Agency, Jobseeker, Membership, PivotAssignment, User
from w2.platform.page_kit import form_fields, require_staff
from w2.platform.visibility import contact_visible
from w2.platform.workspaces import get_workspace


async def form_values(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """The posted form, stripped; multi-value fields stay lists."""
    return await form_fields(request, multi=("indicators", "practical_needs"))


async def head(db: AsyncSession, request: Request[Any, Any, Any], workspace_id: uuid.UUID) -> dict[str, Any]:
    """What every workspace page shows on top: the job seeker, the agencies, who may do what, a saved banner."""
    actor = require_staff(request)
    ws = await get_workspace(db, actor, workspace_id)
    session = request.scope.get("session")
    saved = session.pop("workspace_saved", None) if isinstance(session, dict) else None
    return {"ws": ws, "js": await db.get(Jobseeker, ws.jobseeker_id),
            "agencies": {a.id: a for a in await db.scalars(select(Agency).order_by(Agency.name))},
            "is_coordinator": actor.agency_id == ws.coordinating_agency_id and actor.has_role("coordinator"),
            "may_contact": bool(await db.scalar(select(contact_visible(actor, ws.id)))),
            "saved": t(f"workspace.saved.{saved}") if saved else None, "errors": []}


def saved_then(request: Request[Any, Any, Any], key: str, path: str) -> Redirect:
    """Redirect after a save; the next page shows the success banner once."""
    session = request.scope.get("session")
    if isinstance(session, dict):
        session["workspace_saved"] = key
    return Redirect(path)


async def members_of(db: AsyncSession, workspace_id: uuid.UUID) -> list[Any]:
    """Member agencies with their contact person, in the order they joined."""
    return list((await db.execute(
        select(Membership, User).outerjoin(User, User.id == Membership.contact_user_id)
        .where(Membership.workspace_id == workspace_id).order_by(Membership.created_at))).all())


async def pivots_of(db: AsyncSession, workspace_id: uuid.UUID) -> list[Any]:
    """The pivot history, the current one first."""
    return list((await db.execute(
        select(PivotAssignment, User).join(User, User.id == PivotAssignment.user_id)
        .where(PivotAssignment.workspace_id == workspace_id).order_by(PivotAssignment.since.desc()))).all())



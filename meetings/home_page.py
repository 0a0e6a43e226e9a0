"""The professional's start page, "Mijn werkruimtes": search by the job seeker's name and a status per workspace."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from w2.meetings.workspace_status import workspace_statuses
from w2.platform.auth import get_actor, public
from w2.platform.models import Agency
from w2.platform.page_kit import render
from w2.platform.workspaces import search_workspaces

LIMIT = 100


@get("/", guards=[public], include_in_schema=False)
async def home(request: Request[Any, Any, Any], db: AsyncSession) -> Template | Redirect:
    """The workspaces this professional may see; `zoek` narrows them by name (only among those)."""
    actor = get_actor(request)
    if actor is None:
        return Redirect("/login")
    if actor.is_jobseeker:
        return Redirect("/portal")
    query = (request.query_params.get("zoek") or "").strip()[:100]
    rows, total = await search_workspaces(db, actor, query, LIMIT)
    statuses = await workspace_statuses(db, actor, [ws.id for ws, _ in rows])
    items = [{"id": ws.id, "name": f"{js.given_name} {js.family_name}", "statuses": statuses.get(ws.id, [])}
             for ws, js in rows]
    agency = await db.get(Agency, actor.agency_id) if actor.agency_id else None
    return render(request, "workspace/list.html", agency=agency, workspaces=items, total=total, query=query,
                  limit=LIMIT)

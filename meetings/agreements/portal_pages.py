"""The job seeker's own agreements in the portal."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import log_access
from w2.consent.portal_service import involved
from w2.meetings.agreements.portal import agreements_for
from w2.platform.auth import signed_in
from w2.platform.page_kit import render, require_jobseeker
from w2.platform.portal_kit import local_tz, own_workspace, portal_router, take_flash


@get("/afspraken", guards=[signed_in])
async def agreements_page(request: Request[Any, Any, Any], db: AsyncSession) -> Template:
    """My agreements."""
    actor = require_jobseeker(request)
    ws, _ = await own_workspace(db, actor)
    rows = await agreements_for(db, actor, ws.id)
    names = {m.agency_id: m.agency_name for m in await involved(db, ws.id)}
    await log_access(db, actor, action="read", resource_type="agreements", workspace_id=ws.id)
    return render(request, "portal/agreements.html", agreements=rows, names=names, flash=take_flash(request),
                  tz=local_tz())


PORTAL_AGREEMENT_PAGES = portal_router([agreements_page])

"""The job seeker's own round tables and agreements in the portal: read them, and say yes to a round table."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import log_access
from w2.consent.portal_service import involved
from w2.meetings.agreements.portal import agreements_for
from w2.meetings.schemas import JobseekerAgreementIn
from w2.meetings.service import list_meetings, meeting_out, record_jobseeker_agreement
from w2.platform.auth import signed_in
from w2.platform.i18n import t
from w2.platform.page_kit import page_language, render, require_jobseeker
from w2.platform.portal_kit import local_tz, own_workspace, portal_router, set_flash, take_flash


@get("/afspraken", guards=[signed_in])
async def agreements_page(request: Request[Any, Any, Any], db: AsyncSession) -> Template:
    """My agreements and round tables."""
    actor = require_jobseeker(request)
    ws, _ = await own_workspace(db, actor)
    rows = await agreements_for(db, actor, ws.id)
    names = {m.agency_id: m.agency_name for m in await involved(db, ws.id)}
    await log_access(db, actor, action="read", resource_type="agreements", workspace_id=ws.id)
    return render(request, "portal/agreements.html", agreements=rows, names=names, flash=take_flash(request),
                  meetings=await _meetings(db, actor, ws.id), tz=local_tz())


async def _meetings(db: AsyncSession, actor: Any, workspace_id: uuid.UUID) -> list[Any]:
    """Round tables of the workspace that are planned or held, with who is invited."""
    return [await meeting_out(db, actor, m) for m in await list_meetings(db, actor, workspace_id)
            if m.status != "cancelled"]


@post("/overleg/{meeting_id:uuid}/akkoord", guards=[signed_in])
async def meeting_agree(request: Request[Any, Any, Any], db: AsyncSession, meeting_id: uuid.UUID) -> Redirect:
    """The job seeker says yes to the round table and to who comes, on their own page."""
    actor = require_jobseeker(request)
    await record_jobseeker_agreement(db, actor, meeting_id, JobseekerAgreementIn(method="portal"))
    set_flash(request, t("portal.meetings.agreed", page_language(request)))
    return Redirect(f"/portal/afspraken#m-{meeting_id}")


PORTAL_PAGES = portal_router([agreements_page, meeting_agree])

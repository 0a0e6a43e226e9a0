"""The job seeker's documents: each verslag and werk-welzijnsverslag (easy-read and full), voortgang, overeenkomst."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import log_access
from w2.instruments.integrated import list_reports
from w2.meetings.service import list_meetings
from w2.platform.auth import signed_in
from w2.platform.page_kit import render, require_jobseeker
from w2.platform.portal_kit import local_tz, own_workspace, portal_router
from w2.reports.models import ScoreEntry


@get("/documenten", guards=[signed_in])
async def documents_page(request: Request[Any, Any, Any], db: AsyncSession) -> Template:
    """Every document about me, each a tap away and downloadable."""
    actor = require_jobseeker(request)
    ws, _ = await own_workspace(db, actor)
    reports = [m for m in await list_meetings(db, actor, ws.id) if m.status == "finalized"]
    has_scores = bool(await db.scalar(select(func.count()).select_from(ScoreEntry).where(
        ScoreEntry.workspace_id == ws.id, ScoreEntry.filled_by == "jobseeker")))
    integrated_reports = await list_reports(db, actor, ws.id)
    await log_access(db, actor, action="list", resource_type="documents", workspace_id=ws.id)
    return render(request, "portal/documents.html", reports=reports, has_scores=has_scores, workspace_id=ws.id,
                  tz=local_tz(), integrated_reports=integrated_reports)


PORTAL_DOCUMENT_PAGES = portal_router([documents_page])

"""The round-table page's "Nieuwe versie van het verslag": freeze the report again after a correction."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from w2.meetings.coordinator_pages import meeting_page
from w2.platform.auth import staff
from w2.platform.errors import W2Error
from w2.platform.page_kit import page_router, require_staff
from w2.reports import service as svc


@post("/meetings/{meeting_id:uuid}/verslag/nieuwe-versie", guards=[staff])
async def new_version_submit(request: Request[Any, Any, Any], db: AsyncSession,
                             meeting_id: uuid.UUID) -> Template | Redirect:
    """A new report version that says what changed; refused in plain words when nothing did."""
    actor = require_staff(request)
    try:
        await svc.reissue(db, actor, meeting_id)
    except W2Error as exc:
        await db.rollback()
        return await meeting_page(request, db, meeting_id, 422, "finalize", exc.detail)
    session = request.scope.get("session")
    if isinstance(session, dict):
        session["saved_step"] = "report_version"
    return Redirect(f"/meetings/{meeting_id}#finalize")


REPORT_VERSION_PAGES = page_router("/", [new_version_submit])

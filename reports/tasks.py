"""Workers render report renditions: a sweep claims pending ones, one task renders one rendition."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from w2.platform import runtime
from w2.platform.celery_app import celery_app
from w2.reports import sandbox
from w2.reports import service as svc
from w2.reports.models import ReportRendition

log = logging.getLogger("w2.reports")
MAX_ATTEMPTS = 3
# Rendering runs in the sandbox child with its own limit; these bound the task around it.
SOFT_LIMIT, HARD_LIMIT = 150, 180


def _lock(stmt, session: AsyncSession):  # type: ignore[no-untyped-def]
    return stmt.with_for_update(skip_locked=True) if session.bind.dialect.name == "postgresql" else stmt


async def pending_ids(sm: async_sessionmaker[AsyncSession]) -> list[uuid.UUID]:
    """Renditions still to render."""
    async with sm() as session, session.begin():
        session.info["rls"] = dict(svc.SYSTEM_SCOPE)
        rows = await session.scalars(select(ReportRendition.id).where(ReportRendition.status == "pending")
                                     .order_by(ReportRendition.created_at).limit(200))
        return list(rows)


@celery_app.task(name="w2.reports.sweep", ignore_result=True)
def sweep() -> int:
    """Hand every pending rendition to a render task (beat every minute; nudged after finalize)."""
    ids = runtime.run(pending_ids)
    for rid in ids:
        render_rendition.delay(str(rid))
    return len(ids)


async def render_one(sm: async_sessionmaker[AsyncSession], rendition_id: uuid.UUID) -> str:
    """Render one rendition under the consent that holds now; skip it if another worker has it."""
    async with sm() as session, session.begin():
        session.info["rls"] = dict(svc.SYSTEM_SCOPE)
        r = await session.scalar(_lock(select(ReportRendition).where(ReportRendition.id == rendition_id), session))
        if r is None or r.status != "pending":
            return r.status if r else "missing"
        from w2.meetings.models import MeetingReportVersion

        version = await session.get(MeetingReportVersion, r.version_id)
        if version is None:
            r.status, r.error = "failed", "report version missing"
            return r.status
        content = await svc.version_content(session, version)
        r.attempts += 1
        try:
            if r.audience == "agency":
                assert r.agency_id is not None
                domains = await svc.recipient_domains(session, r.workspace_id, r.agency_id)
                if not domains:
                    r.status, r.domains = "nothing_shared", []
                    await svc.notify_agency(session, r, "report_nothing_shared")
                    return r.status
                r.domains = sorted(domains)
                recipient = await svc.agency_name(session, r.agency_id)
                data = sandbox.render_report(content, domains, recipient)
            elif r.kind == "easy_read":
                data = sandbox.render_easy_read(content, r.language)
            else:
                data = sandbox.render_report(content, None, None)
        except sandbox.RenderError as exc:
            r.error = str(exc)[:2000]
            if r.attempts >= MAX_ATTEMPTS:
                r.status = "failed"
            log.warning("rendition %s attempt %s failed: %s", r.id, r.attempts, r.error)
            return r.status
        first = r.audience == "agency" and not await _already_told(session, r)
        svc.store(r, data)
        if first:
            await svc.notify_agency(session, r, "report_ready")
        return r.status


async def _already_told(session: AsyncSession, r: ReportRendition) -> bool:
    # A re-render after a consent change is the same report for the same agency: no second mail.
    return bool(await session.scalar(select(ReportRendition.id).where(
        ReportRendition.version_id == r.version_id, ReportRendition.agency_id == r.agency_id,
        ReportRendition.id != r.id, ReportRendition.rendered_at.is_not(None)).limit(1)))


@celery_app.task(name="w2.reports.render", ignore_result=True, soft_time_limit=SOFT_LIMIT, time_limit=HARD_LIMIT)
def render_rendition(rendition_id: str) -> str:
    """Render and store one recipient's PDF (idempotent)."""
    return runtime.run(lambda sm: render_one(sm, uuid.UUID(rendition_id)))

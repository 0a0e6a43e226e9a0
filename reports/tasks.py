"""Workers render report renditions: a sweep claims pending ones, one task renders one rendition."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from w2.meetings.models import MeetingReportVersion
from w2.platform import runtime
from w2.platform.celery_app import celery_app
from w2.platform.db.ops import skip_locked
from w2.platform.db.scope import SYSTEM_SCOPE
from w2.reports import integrated_tasks, sandbox
from w2.reports import service as svc
from w2.reports.models import ReportRendition

log = logging.getLogger("w2.reports")
MAX_ATTEMPTS = 3
# Rendering runs in the sandbox child with its own limit; these bound the task around it.
SOFT_LIMIT, HARD_LIMIT = 150, 180



async def pending_ids(sm: async_sessionmaker[AsyncSession]) -> list[uuid.UUID]:
    """Renditions still to render: one per planned consent scope (its task serves the others of that scope)."""
    async with sm() as session, session.begin():
        session.info["rls"] = dict(SYSTEM_SCOPE)
        rows = await session.execute(
            select(ReportRendition.id, ReportRendition.audience, ReportRendition.version_id, ReportRendition.kind,
                   ReportRendition.domains).where(ReportRendition.status == "pending")
            .order_by(ReportRendition.created_at).limit(200))
        return svc.first_of_each_scope((rid, audience, (version_id, kind), domains)
                                       for rid, audience, version_id, kind, domains in rows)


@celery_app.task(name="w2.reports.sweep", ignore_result=True)
def sweep() -> int:
    """Hand every pending rendition to a render task (beat every minute; nudged after finalize or a new report)."""
    ids = runtime.run(pending_ids)
    for rid in ids:
        render_rendition.delay(str(rid))
    integrated = runtime.run(integrated_tasks.pending_ids)
    for rid in integrated:
        integrated_tasks.render_integrated.delay(str(rid))
    return len(ids) + len(integrated)


async def render_one(sm: async_sessionmaker[AsyncSession], rendition_id: uuid.UUID,
                     later: list[uuid.UUID] | None = None) -> str:
    """Render one rendition under the consent that holds now; skip it if another worker has it.

    Pending copies of the same scope are served the same file; those whose scope changed go to `later`.
    """
    async with sm() as session, session.begin():
        session.info["rls"] = dict(SYSTEM_SCOPE)
        r = await session.scalar(skip_locked(select(ReportRendition).where(ReportRendition.id == rendition_id), session))
        if r is None or r.status != "pending":
            return r.status if r else "missing"

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
                twin = await _same_scope_ready(session, r)
                if twin is not None:
                    return await _share(session, r, twin)
                # No agency name in the copy: every agency with this scope gets the same bytes.
                data = sandbox.render_report(content, domains, None)
            elif r.kind == "easy_read":
                data = sandbox.render_easy_read(content, r.language)
            else:
                data = sandbox.render_report(content, None, None, language=r.language)
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
        if r.audience == "jobseeker":
            await svc.notify_jobseeker(session, r)
        if r.audience == "agency":
            (later if later is not None else []).extend(await _serve_same_scope(session, r))
        return r.status


async def _same_scope_ready(session: AsyncSession, r: ReportRendition) -> ReportRendition | None:
    """A ready agency copy of the same version holding exactly the same domains."""
    rows = await session.scalars(select(ReportRendition).where(
        ReportRendition.version_id == r.version_id, ReportRendition.audience == "agency",
        ReportRendition.kind == r.kind, ReportRendition.status == "ready", ReportRendition.id != r.id))
    return next((x for x in rows if sorted(x.domains) == sorted(r.domains) and x.storage_key), None)


async def _share(session: AsyncSession, r: ReportRendition, twin: ReportRendition) -> str:
    """Serve this recipient the file already made for its scope (checked against its hash first)."""
    first = not await _already_told(session, r)
    if not svc.take_twin_file(r, twin):
        return r.status
    if first:
        await svc.notify_agency(session, r, "report_ready")
    return r.status


async def _serve_same_scope(session: AsyncSession, r: ReportRendition) -> list[uuid.UUID]:
    """Hand the file just made to every pending agency copy planned with the same scope, if it still holds."""
    rows = await session.scalars(skip_locked(select(ReportRendition).where(
        ReportRendition.version_id == r.version_id, ReportRendition.audience == "agency",
        ReportRendition.kind == r.kind, ReportRendition.status == "pending", ReportRendition.id != r.id), session))
    changed = []
    for other in rows:
        if sorted(other.domains) != r.domains or other.agency_id is None:
            continue
        # Consent is checked again for this agency: a copy is shared only if its scope is still the same.
        if sorted(await svc.recipient_domains(session, other.workspace_id, other.agency_id)) == r.domains:
            await _share(session, other, r)
        else:
            changed.append(other.id)
    return changed


async def _already_told(session: AsyncSession, r: ReportRendition) -> bool:
    # A re-render after a consent change is the same report for the same agency: no second mail.
    return bool(await session.scalar(select(ReportRendition.id).where(
        ReportRendition.version_id == r.version_id, ReportRendition.agency_id == r.agency_id,
        ReportRendition.id != r.id, ReportRendition.rendered_at.is_not(None)).limit(1)))


@celery_app.task(name="w2.reports.render", ignore_result=True, soft_time_limit=SOFT_LIMIT, time_limit=HARD_LIMIT)
def render_rendition(rendition_id: str) -> str:
    """Render and store one recipient's PDF (idempotent); copies whose scope changed get their own task."""
    later: list[uuid.UUID] = []
    status = runtime.run(lambda sm: render_one(sm, uuid.UUID(rendition_id), later))
    for rid in later:
        render_rendition.delay(str(rid))
    return status

"""Workers render integrated-report renditions: the reports sweep claims pending ones, one task per scope."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from w2.instruments.models import IntegratedReport
from w2.platform import runtime
from w2.platform.celery_app import celery_app
from w2.platform.db.ops import skip_locked
from w2.platform.db.scope import SYSTEM_SCOPE
from w2.reports import integrated_service as svc
from w2.reports import sandbox
from w2.reports.models import IntegratedRendition
from w2.reports.service import first_of_each_scope, recipient_domains, take_twin_file

log = logging.getLogger("w2.reports")
MAX_ATTEMPTS = 3
SOFT_LIMIT, HARD_LIMIT = 150, 180



async def pending_ids(sm: async_sessionmaker[AsyncSession]) -> list[uuid.UUID]:
    """Renditions still to render: one per planned agency scope (its task serves the others of that scope)."""
    async with sm() as session, session.begin():
        session.info["rls"] = dict(SYSTEM_SCOPE)
        rows = await session.execute(
            select(IntegratedRendition.id, IntegratedRendition.audience, IntegratedRendition.report_id,
                   IntegratedRendition.version, IntegratedRendition.domains)
            .where(IntegratedRendition.status == "pending").order_by(IntegratedRendition.created_at).limit(200))
        return first_of_each_scope((rid, audience, (report_id, version), domains)
                                   for rid, audience, report_id, version, domains in rows)


async def render_one(sm: async_sessionmaker[AsyncSession], rendition_id: uuid.UUID,
                     later: list[uuid.UUID] | None = None) -> str:
    """Render one rendition under the consent that holds now; skip it if another worker has it."""
    async with sm() as session, session.begin():
        session.info["rls"] = dict(SYSTEM_SCOPE)
        r = await session.scalar(skip_locked(select(IntegratedRendition).where(IntegratedRendition.id == rendition_id),
                                       session))
        if r is None or r.status != "pending":
            return r.status if r else "missing"
        report = await session.get(IntegratedReport, r.report_id)
        if report is None or report.version != r.version:
            r.status = "stale"  # edited since: the newer version has its own renditions
            return r.status
        r.attempts += 1
        try:
            if r.audience == "agency":
                assert r.agency_id is not None
                domains = await recipient_domains(session, r.workspace_id, r.agency_id)
                if not domains:
                    r.status, r.domains = "nothing_shared", []
                    return r.status
                r.domains = sorted(domains)
                twin = await _same_scope_ready(session, r)
                if twin is not None:
                    take_twin_file(r, twin)
                    return r.status
                content = await svc.content(session, report, r.agency_id, domains)
                data = sandbox.render_integrated(content, False, "nl")
            else:
                content = await svc.content(session, report, None, None)
                data = sandbox.render_integrated(content, r.kind == "easy_read", r.language)
        except sandbox.RenderError as exc:
            r.error = str(exc)[:2000]
            if r.attempts >= MAX_ATTEMPTS:
                r.status = "failed"
            log.warning("integrated rendition %s attempt %s failed: %s", r.id, r.attempts, r.error)
            return r.status
        svc.store(r, data)
        if r.audience == "agency":
            (later if later is not None else []).extend(await _serve_same_scope(session, r))
        return r.status


async def _same_scope_ready(session: AsyncSession, r: IntegratedRendition) -> IntegratedRendition | None:
    """A ready agency copy of the same version holding exactly the same domains."""
    rows = await session.scalars(select(IntegratedRendition).where(
        IntegratedRendition.report_id == r.report_id, IntegratedRendition.version == r.version,
        IntegratedRendition.audience == "agency", IntegratedRendition.status == "ready",
        IntegratedRendition.id != r.id))
    return next((x for x in rows if sorted(x.domains) == sorted(r.domains) and x.storage_key), None)


async def _serve_same_scope(session: AsyncSession, r: IntegratedRendition) -> list[uuid.UUID]:
    """Hand the file just made to every pending agency copy planned with the same scope, if it still holds."""
    rows = await session.scalars(skip_locked(select(IntegratedRendition).where(
        IntegratedRendition.report_id == r.report_id, IntegratedRendition.version == r.version,
        IntegratedRendition.audience == "agency", IntegratedRendition.status == "pending",
        IntegratedRendition.id != r.id), session))
    changed = []
    for other in rows:
        if sorted(other.domains) != r.domains or other.agency_id is None:
            continue
        # Consent is checked again for this agency: a copy is shared only if its scope is still the same.
        if sorted(await recipient_domains(session, other.workspace_id, other.agency_id)) == r.domains:
            take_twin_file(other, r)
        else:
            changed.append(other.id)
    return changed


@celery_app.task(name="w2.reports.render_integrated", ignore_result=True, soft_time_limit=SOFT_LIMIT,
                 time_limit=HARD_LIMIT)
def render_integrated(rendition_id: str) -> str:
    """Render and store one recipient's integrated report (idempotent); changed scopes get their own task."""
    later: list[uuid.UUID] = []
    status = runtime.run(lambda sm: render_one(sm, uuid.UUID(rendition_id), later))
    for rid in later:
        render_integrated.delay(str(rid))
    return status

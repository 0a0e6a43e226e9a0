"""Renditions of the integrated work-welfare report: planned per recipient, made by workers, served per caller.

The same rules as the verslag (reports/service.py): an agency's copy holds the sections whose life domain
it holds BOTH `information_sharing` and `report_distribution` consent for, checked when the copy is planned,
rendered and downloaded; agencies with the same scope share one file; the job seeker gets a full copy and an
easy-read copy in their language.
"""

from __future__ import annotations

import uuid

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.domains import LIFE_DOMAINS
from w2.consent.policy import has_grant
from w2.instruments import integrated
from w2.instruments.models import IntegratedReport, IntegratedReportSection
from w2.platform.actor import Actor
from w2.platform.errors import Forbidden, NotFound
from w2.platform.i18n import t
from w2.platform.models import Jobseeker, Membership, Workspace
from w2.platform.workspaces import get_workspace
from w2.reports import service
from w2.reports.models import IntegratedRendition
from w2.reports.schemas import IntegratedContent, IntegratedSectionRow
from w2.reports.service import (
    Download,
    Rendering,
    mark_pending,
    recipient_domains,
    serve_stored,
    usable_agency_copy,
)

RESOURCE = "integrated_report"


async def member_agencies(session: AsyncSession, workspace_id: uuid.UUID) -> list[uuid.UUID]:
    """Every member agency of the workspace receives the report (the coordinating agency first)."""
    ws = await session.get(Workspace, workspace_id)
    assert ws is not None
    rows = await session.scalars(select(Membership.agency_id).where(Membership.workspace_id == workspace_id)
                                 .order_by(Membership.created_at))
    return [ws.coordinating_agency_id, *[a for a in rows if a != ws.coordinating_agency_id]]


async def plan(session: AsyncSession, report: IntegratedReport) -> None:
    """In the request's transaction: one copy per member agency, two for the job seeker; older ones go stale."""
    old = await session.scalars(select(IntegratedRendition).where(
        IntegratedRendition.report_id == report.id, IntegratedRendition.version < report.version,
        IntegratedRendition.status.in_(("pending", "ready"))))
    for r in old:
        r.status = "stale"
    for agency_id in await member_agencies(session, report.workspace_id):
        domains = await recipient_domains(session, report.workspace_id, agency_id)
        session.add(IntegratedRendition(report_id=report.id, version=report.version, workspace_id=report.workspace_id,
                                        audience="agency", agency_id=agency_id, domains=sorted(domains),
                                        status="pending" if domains else "nothing_shared"))
    ws = await session.get(Workspace, report.workspace_id)
    js = await session.get(Jobseeker, ws.jobseeker_id) if ws else None
    for kind in ("full", "easy_read"):
        session.add(IntegratedRendition(report_id=report.id, version=report.version, workspace_id=report.workspace_id,
                                        audience="jobseeker", kind=kind, domains=list(LIFE_DOMAINS),
                                        language=(js.preferred_language if js else None) or "nl"))
    await session.flush()
    mark_pending(session)


async def content(session: AsyncSession, report: IntegratedReport, agency_id: uuid.UUID | None,
                  domains: set[str] | None) -> IntegratedContent:
    """A recipient's copy; the filter is in the query (identity, or both consents held now by the agency).

    `agency_id` None is the job seeker's own copy (every section). `domains` names the copy's scope: a section
    outside it is withheld even if consent grew since it was planned (the file is shared by that scope).
    """
    cond = [IntegratedReportSection.report_id == report.id]
    if agency_id is not None:
        col, ws_col = IntegratedReportSection.life_domain, IntegratedReportSection.workspace_id
        cond.append(or_(col == integrated.IDENTITY, and_(
            col.in_(sorted(domains or ())), has_grant(agency_id, ws_col, col, "information_sharing"),
            has_grant(agency_id, ws_col, col, "report_distribution"))))
    rows = {r.key: r for r in await session.scalars(select(IntegratedReportSection).where(*cond))}
    ws = await session.get(Workspace, report.workspace_id)
    js = await session.get(Jobseeker, ws.jobseeker_id) if ws else None
    name = " ".join(filter(None, [js.given_name, js.family_name])) if js else ""
    sections = []
    for s in integrated.SECTIONS:
        row = rows.get(s.key)
        shown = agency_id is None or s.life_domain == integrated.IDENTITY or s.life_domain in (domains or ())
        sections.append(IntegratedSectionRow(position=s.position, title=s.title, key=s.key,
                                             text=row.text if row is not None and shown else None,
                                             withheld=not shown))
    return IntegratedContent(jobseeker=name, evaluation_month=report.evaluation_month, sections=sections,
                             version=report.version, shared=agency_id is not None)


async def _latest(session: AsyncSession, report: IntegratedReport, audience: str, agency_id: uuid.UUID | None,
                  kind: str) -> IntegratedRendition | None:
    cond = [IntegratedRendition.report_id == report.id, IntegratedRendition.version == report.version,
            IntegratedRendition.audience == audience, IntegratedRendition.kind == kind,
            IntegratedRendition.agency_id == agency_id if agency_id else IntegratedRendition.agency_id.is_(None)]
    return await session.scalar(select(IntegratedRendition).where(*cond)
                                .order_by(IntegratedRendition.created_at.desc()).limit(1))


async def get_report(session: AsyncSession, actor: Actor, report_id: uuid.UUID) -> IntegratedReport:
    """The report if the caller may see its workspace; 404 otherwise."""
    report = await session.get(IntegratedReport, report_id)
    if report is None:
        raise NotFound(t("instruments.error.report_not_found"))
    await get_workspace(session, actor, report.workspace_id)
    return report


async def caller_rendition(session: AsyncSession, actor: Actor, report_id: uuid.UUID,
                           kind: str = "full") -> Download | Rendering:
    """The caller's own copy of the newest version; Rendering (202) while a worker makes it."""
    report = await get_report(session, actor, report_id)
    if actor.is_jobseeker:
        r = await _latest(session, report, "jobseeker", None, kind)
        if r is None or r.status == "stale":
            r = IntegratedRendition(report_id=report.id, version=report.version, workspace_id=report.workspace_id,
                                    audience="jobseeker", kind=kind, domains=list(LIFE_DOMAINS),
                                    language=actor.language or "nl")
            session.add(r)
            await session.flush()
            mark_pending(session)
        return await _serve(session, actor, r)
    if kind != "full" or actor.agency_id is None or actor.is_platform_admin:
        raise Forbidden(t("error.forbidden"))
    domains = await recipient_domains(session, report.workspace_id, actor.agency_id)
    r = await _latest(session, report, "agency", actor.agency_id, "full")
    if not await usable_agency_copy(session, actor, r, domains, RESOURCE, report.workspace_id, report.id):
        r = IntegratedRendition(report_id=report.id, version=report.version, workspace_id=report.workspace_id,
                                audience="agency", agency_id=actor.agency_id, domains=sorted(domains))
        session.add(r)
        await session.flush()
        mark_pending(session)
    return await _serve(session, actor, r)


async def _serve(session: AsyncSession, actor: Actor, r: IntegratedRendition) -> Download | Rendering:
    report = await session.get(IntegratedReport, r.report_id)
    name = "werk-welzijnsverslag-eenvoudig" if r.kind == "easy_read" else "werk-welzijnsverslag"
    filename = f"{name}-{report.evaluation_month if report else ''}-v{r.version}.pdf"
    return await serve_stored(session, actor, r, RESOURCE, r.report_id, filename)


async def statuses(session: AsyncSession, actor: Actor, report: IntegratedReport) -> dict[str, str]:
    """For the counsellor's page: the state of the caller's own copy and of the job seeker's copies."""
    out = {}
    if actor.agency_id is not None:
        mine = await _latest(session, report, "agency", actor.agency_id, "full")
        out["mine"] = mine.status if mine else "none"
    for kind in ("full", "easy_read"):
        r = await _latest(session, report, "jobseeker", None, kind)
        out[f"jobseeker_{kind}"] = r.status if r else "none"
    return out


def store(r: IntegratedRendition, data: bytes) -> None:
    """Write the PDF under the report's folder and record its SHA-256 and size."""
    service.store(r, data, f"integrated/{r.report_id}/{r.id}.pdf")

"""Scores (scoretabel) and who received which report copy (verslag, werk-welzijnsverslag), in the own export."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import can_read_identity
from w2.consent.portal_export import ExportPart, day, domain_name, iso, label
from w2.instruments.models import IntegratedReport
from w2.platform.actor import Actor
from w2.platform.i18n import t
from w2.platform.models import Agency
from w2.reports.models import IntegratedRendition, ReportRendition
from w2.reports.scoring import label_of, visible_scores


async def export_parts(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> list[ExportPart]:
    """Every score sheet line by line, and every report copy made for an agency or for the job seeker."""
    lang = actor.language
    rows = sorted(await visible_scores(session, actor, workspace_id),
                  key=lambda r: (r.taken_on, r.created_at, r.sheet_id, r.id))
    score_items = [{"sheet_id": str(r.sheet_id), "taken_on": iso(r.taken_on), "filled_by": r.filled_by,
                    "theme": r.theme, "theme_name": label_of(r, lang), "group": r.group, "life_domain": r.life_domain,
                    "start": r.start, "now": r.now, "future": r.future} for r in rows]
    score_lines = [t("export.score", lang, date=day(r.taken_on, lang), who=label("export.filled_by", r.filled_by, lang),
                     theme=label_of(r, lang), domain=domain_name(r.life_domain, lang),
                     start=_n(r.start), now=_n(r.now), future=_n(r.future)) for r in rows]
    names = {a.id: a.name for a in await session.scalars(select(Agency))}
    copies = list(await session.scalars(
        select(ReportRendition).where(ReportRendition.workspace_id == workspace_id,
                                      can_read_identity(actor, ReportRendition.workspace_id))
        .order_by(ReportRendition.created_at, ReportRendition.id)))
    copy_items = [{"meeting_id": str(c.meeting_id), "version": c.version, "audience": c.audience, "kind": c.kind,
                   "agency": names.get(c.agency_id) if c.agency_id else None, "language": c.language,
                   "life_domains": list(c.domains), "status": c.status, "made_at": iso(c.created_at),
                   "rendered_at": iso(c.rendered_at)} for c in copies]
    copy_lines = [t("export.copy", lang, n=c.version, date=day(c.created_at, lang),
                    to=names.get(c.agency_id, "-") if c.agency_id else t("export.copy.you", lang),
                    kind=label("export.copy_kind", c.kind, lang),
                    domains=t("export.copy.all", lang) if c.audience == "jobseeker" else
                    ", ".join(domain_name(d, lang) for d in c.domains) or t("export.copy.nothing", lang))
                  for c in copies]
    return [ExportPart("scores", t("export.scores.title", lang), score_items, score_lines),
            ExportPart("report_copies", t("export.copies.title", lang), copy_items, copy_lines),
            await _integrated_copies(session, actor, workspace_id, names)]


async def _integrated_copies(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID,
                             names: dict[uuid.UUID, str]) -> ExportPart:
    """Every copy of a werk-welzijnsverslag: for whom, which version, which life domains it held."""
    lang = actor.language
    rows = list(await session.execute(
        select(IntegratedRendition, IntegratedReport.evaluation_month)
        .join(IntegratedReport, IntegratedReport.id == IntegratedRendition.report_id)
        .where(IntegratedRendition.workspace_id == workspace_id,
               can_read_identity(actor, IntegratedRendition.workspace_id))
        .order_by(IntegratedRendition.created_at, IntegratedRendition.id)))
    items = [{"integrated_report_id": str(c.report_id), "evaluation_month": month, "version": c.version,
              "audience": c.audience, "kind": c.kind, "agency": names.get(c.agency_id) if c.agency_id else None,
              "language": c.language, "life_domains": list(c.domains), "status": c.status,
              "made_at": iso(c.created_at), "rendered_at": iso(c.rendered_at)} for c, month in rows]
    lines = [t("export.integrated_copy", lang, month=month, n=c.version, date=day(c.created_at, lang),
               to=names.get(c.agency_id, "-") if c.agency_id else t("export.copy.you", lang),
               kind=label("export.copy_kind", c.kind, lang),
               domains=t("export.copy.all", lang) if c.audience == "jobseeker" else
               ", ".join(domain_name(d, lang) for d in c.domains) or t("export.copy.nothing", lang))
             for c, month in rows]
    return ExportPart("integrated_report_copies", t("export.integrated_copies.title", lang), items, lines)


def _n(value: int | None) -> str:
    return "-" if value is None else str(value)

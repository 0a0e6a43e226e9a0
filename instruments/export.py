"""The instruments in the job seeker's own export (GDPR art. 15), read through the consent policy."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.portal_export import ExportPart, day, month
from w2.instruments import cards, drawings, integrated, service, trajectory, vignet
from w2.instruments.models import IntegratedReport
from w2.instruments.phases import BY_CODE
from w2.platform.actor import Actor
from w2.platform.i18n import t


async def export_parts(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> list[ExportPart]:
    """Phase history, every vignet version and every trajectovereenkomst version."""
    lang = actor.language
    phases = await service.phase_history(session, actor, workspace_id)
    phase_items = [{"code": p.code, "name": BY_CODE[p.code].name, "direction": p.direction,
                    "since": p.since.isoformat(), "note": p.note} for p in phases]
    sections = {s.id: s for s in await vignet.read_vignet(session, actor, workspace_id)}
    versions = await vignet.section_versions(session, actor, workspace_id)
    vignet_items = [{"key": sections[v.section_id].key, "perspective": sections[v.section_id].perspective,
                     "version": v.version, "life_domain": v.life_domain, "sensitive": v.sensitive, "text": v.text,
                     "written_at": v.created_at.isoformat(),
                     "written_by_jobseeker": v.written_by_jobseeker} for v in versions]
    agreements = await trajectory.list_versions(session, actor, workspace_id)
    agreement_items = [{"version": a.version, "in_force": a.in_force, "created_at": a.created_at.isoformat(),
                        "goals": [{"area": g.area, "life_domain": g.life_domain, "text": g.text,
                                   "measure": g.measure, "due_date": g.due_date.isoformat(),
                                   "helped_by": g.helped_by, "actions": g.actions} for g in a.goals],
                        "signatures": [{"by": s.by, "method": s.method, "signed_at": s.signed_at.isoformat()}
                                       for s in a.signatures]} for a in agreements]
    card_items = [{"kind": c.kind, "named_by": c.named_by, "job_title": c.job_title, "tasks": list(c.tasks),
                   "key_competences": list(c.key_competences), "technical_competences": list(c.technical_competences),
                   "job_targets": list(c.job_targets), "created_at": c.created_at.isoformat()}
                  for c in await cards.list_cards(session, actor, workspace_id)]
    report_items = []
    for rid in await session.scalars(select(IntegratedReport.id).where(IntegratedReport.workspace_id == workspace_id)
                                     .order_by(IntegratedReport.created_at)):
        report, sections = await integrated.read_report(session, actor, rid)
        report_items.append({"evaluation_month": report.evaluation_month,
                             "sections": [{"position": x.position, "key": x.key, "life_domain": x.life_domain,
                                           "text": x.text} for x in sections]})
    return [
        ExportPart("integrated_reports", t("instruments.export.integrated", lang), report_items,
                   [t("export.integrated", lang, month=month(r["evaluation_month"], lang), n=len(r["sections"]))
                    + " " + " ".join(x["text"] for x in r["sections"] if x["text"]) for r in report_items]),
        ExportPart("competence_cards", t("instruments.export.cards", lang), card_items,
                   [f"{day(date.fromisoformat(c['created_at'][:10]), lang)}: " + ", ".join([c["job_title"] or "", *c["job_targets"],
                                                            *c["technical_competences"]]).strip(", ")
                    for c in card_items]),
        ExportPart("phase_history", t("instruments.export.phases", lang), phase_items,
                   [f"{day(date.fromisoformat(p['since'][:10]), lang)}: {p['name']}" + (f" ({p['note']})" if p["note"] else "")
                    for p in phase_items]),
        ExportPart("vignet", t("instruments.export.vignet", lang), vignet_items,
                   [f"{t('instruments.vignet.' + v['key'], lang)} ({day(date.fromisoformat(v['written_at'][:10]), lang)}): "
                    f"{v['text']}" for v in vignet_items]),
        ExportPart("trajectory_agreements", t("instruments.export.agreements", lang), agreement_items,
                   [t("export.goal", lang, n=a["version"], text=g["text"], measure=g["measure"],
                      date=day(date.fromisoformat(g["due_date"]), lang))
                    for a in agreement_items for g in a["goals"]]),
    ]


async def drawing_parts(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> list[ExportPart]:
    """Every drawing (draaglast-draagkracht, weegschaal, ecogram), as data and in words."""
    lang = actor.language
    rows = sorted(await drawings.list_drawings(session, actor, workspace_id), key=lambda d: d.created_at)
    items = [{"kind": d.kind, "life_domain": d.life_domain, "title": d.title, "items": list(d.items),
              "made_at": d.created_at.isoformat(), "made_by_jobseeker": d.created_by_jobseeker} for d in rows]
    return [ExportPart("drawings", t("export.drawings.title", lang), items,
                       [f"{day(d.created_at, lang)}: {drawings.text_alternative(d, lang)}" for d in rows])]

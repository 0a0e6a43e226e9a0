"""Het geïntegreerd werk-welzijnsverslag: nine sections in the handbook's order, prefilled only from sources in
the same life domain (so nothing changes domain), read back through the consent policy."""

from __future__ import annotations

import re
import uuid
from typing import Any, NamedTuple

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import can_read_domain, can_read_identity, log_access
from w2.instruments import cards, drawings, trajectory, vignet
from w2.instruments.models import IntegratedReport, IntegratedReportSection
from w2.instruments.schemas import IntegratedReportIn
from w2.instruments.service import log_reads, no_admin, require_write
from w2.platform.actor import Actor
from w2.platform.errors import Forbidden, Invalid, NotFound
from w2.platform.i18n import t
from w2.platform.models import Confidant, Jobseeker
from w2.platform.workspaces import get_workspace

IDENTITY = "identity"
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class Section(NamedTuple):
    """One of the handbook's nine sections, with the life domain its content belongs to."""

    position: int
    key: str
    title: str
    life_domain: str


SECTIONS: tuple[Section, ...] = (
    Section(1, "information", "Inlichtingen", IDENTITY),
    Section(2, "insights", "Verwerven van inzichten", "other"),
    Section(3, "competences", "Competenties", "work_training"),
    Section(4, "network", "Netwerk", "network"),
    Section(5, "key_figures", "Sleutelfiguren en steunbronnen", "network"),
    Section(6, "road_to_work", "De weg naar werk en/of opleiding", "work_training"),
    Section(7, "future_attention", "Welke thema's verdienen in de toekomst nog verdere aandacht?", "other"),
    Section(8, "applications", "Sollicitatiegebeuren", "work_training"),
    Section(9, "looking_back", "Nog even terugblikken", "other"),
)
BY_KEY = {s.key: s for s in SECTIONS}


def _readable(actor: Actor) -> Any:
    """SQL condition: identity sections for the workspace's members, the others under consent for their domain."""
    return or_(
        and_(IntegratedReportSection.life_domain == IDENTITY,
             can_read_identity(actor, IntegratedReportSection.workspace_id)),
        can_read_domain(actor, IntegratedReportSection.workspace_id, IntegratedReportSection.life_domain),
    )


async def _prefill(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, js: Jobseeker) -> dict[str, str]:
    """Text per section from rows of exactly that section's life domain (read as the writer may read them)."""
    out: dict[str, list[str]] = {s.key: [] for s in SECTIONS}
    out["information"].append(" ".join(filter(None, [js.given_name, js.family_name,
                                                     js.birth_date.isoformat() if js.birth_date else None])))
    for sec in await vignet.read_vignet(session, actor, workspace_id):
        if sec.perspective != "counsellor":
            continue
        target = {"life_story": "insights", "course_so_far": "insights", "welfare_obstacles": "future_attention",
                  "work_obstacles": "future_attention", "what_gives_strength": "looking_back",
                  "work_strengths": "competences"}.get(sec.key)
        if target and BY_KEY[target].life_domain == sec.life_domain:
            out[target].append(sec.text)
    for card in await cards.list_cards(session, actor, workspace_id):
        if card.kind == "profile":
            out["competences"].append(", ".join([*card.technical_competences, *card.job_targets]))
    for version in (await trajectory.list_versions(session, actor, workspace_id))[:1]:
        for g in version.goals:
            if g.life_domain == "work_training":
                out["road_to_work"].append(f"{g.text} ({g.measure}, {g.due_date.isoformat()})")
    for d in await drawings.list_drawings(session, actor, workspace_id):
        if d.kind == "ecogram" and d.life_domain == "network":
            out["network"].append(drawings.text_alternative(d))
            break
    confidants = list(await session.scalars(select(Confidant).where(Confidant.workspace_id == workspace_id)))
    out["key_figures"].extend(f"{c.name} ({c.relation})" for c in confidants)
    return {k: "\n".join(v for v in vs if v) for k, vs in out.items()}


async def create_report(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID,
                        data: IntegratedReportIn) -> IntegratedReport:
    """Store a report: given sections as written, the others prefilled; every domain written needs consent."""
    no_admin(actor)
    if not actor.is_staff:
        raise Forbidden(t("error.staff_only"))
    ws = await get_workspace(session, actor, workspace_id)
    if not MONTH.match(data.evaluation_month):
        raise Invalid("evaluation_month", t("instruments.error.month"))
    for key, text in data.sections.items():
        if key not in BY_KEY:
            raise Invalid(f"sections.{key}", t("instruments.error.section_unknown",
                                               keys=", ".join(BY_KEY)))
        if not text.strip():
            raise Invalid(f"sections.{key}", t("instruments.error.text_empty"))
    await require_write(session, actor, ws.id, {BY_KEY[k].life_domain for k in data.sections
                                                if BY_KEY[k].life_domain != IDENTITY}, "integrated_report")
    js = await session.get(Jobseeker, ws.jobseeker_id)
    assert js is not None
    prefill = await _prefill(session, actor, ws.id, js)
    report = IntegratedReport(workspace_id=ws.id, evaluation_month=data.evaluation_month,
                              created_by_user_id=actor.user_id)
    session.add(report)
    await session.flush()
    for s in SECTIONS:
        given = data.sections.get(s.key)
        text = given.strip() if given is not None else prefill.get(s.key, "")
        if not text:
            continue
        session.add(IntegratedReportSection(report_id=report.id, workspace_id=ws.id, position=s.position, key=s.key,
                                            life_domain=s.life_domain, text=text, prefilled=given is None))
    await session.flush()
    await log_access(session, actor, action="create", resource_type="integrated_report", workspace_id=ws.id,
                     resource_id=report.id)
    await session.flush()
    return report


async def read_report(session: AsyncSession, actor: Actor,
                      report_id: uuid.UUID) -> tuple[IntegratedReport, list[IntegratedReportSection]]:
    """The report with the sections the caller may read (filtered in the query); the read is logged."""
    no_admin(actor)
    report = await session.get(IntegratedReport, report_id)
    if report is None:
        raise NotFound(t("instruments.error.report_not_found"))
    await get_workspace(session, actor, report.workspace_id)
    rows = list(await session.scalars(select(IntegratedReportSection).where(
        IntegratedReportSection.report_id == report.id, _readable(actor)).order_by(IntegratedReportSection.position)))
    await log_reads(session, actor, report.workspace_id, {r.life_domain for r in rows if r.life_domain != IDENTITY},
                    "integrated_report")
    return report, rows

"""Het geïntegreerd werk-welzijnsverslag: nine sections in the handbook's order, prefilled only from sources in
the same life domain (so nothing changes domain), read back through the consent policy."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from typing import Any, NamedTuple

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import can_read_domain, can_read_identity, log_access
from w2.instruments import cards, drawings, service, trajectory, vignet
from w2.instruments.models import IntegratedReport, IntegratedReportSection
from w2.instruments.phases import BY_CODE
from w2.instruments.schemas import IntegratedReportEdit, IntegratedReportIn
from w2.instruments.service import log_reads, no_admin, require_write
from w2.meetings.agreements.service import list_workspace_agreements
from w2.platform.actor import Actor
from w2.platform.errors import Conflict, Forbidden, Invalid, NotFound
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


# Where a prefill source lands: (source, its life domain) -> section. A source only lands in a section of its
# own domain (checked in `_put`), so prefilling never moves text to a domain with wider consent.
VIGNET_TARGET = {"life_story": "insights", "course_so_far": "insights", "welfare_obstacles": "future_attention",
                 "work_obstacles": "future_attention", "what_gives_strength": "looking_back",
                 "work_strengths": "competences"}
AGREEMENT_TARGET = {"work_training": "road_to_work", "network": "network", "other": "future_attention"}
Lines = dict[str, list[str]]


def _put(out: Lines, key: str, life_domain: str, text: str) -> None:
    """Add a prefill line to a section only if it comes from that section's own life domain."""
    if text and BY_KEY[key].life_domain == life_domain:
        out[key].append(text)


async def prefill(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID,
                  extra: list[tuple[str, str, str]] | None = None) -> dict[str, str]:
    """Text per section from what w2 holds, read as the writer may read it (consent-filtered, logged).

    `extra` holds (section key, life domain, text) lines from floors above (the scoretabel in reports).
    """
    ws = await get_workspace(session, actor, workspace_id)
    js = await session.get(Jobseeker, ws.jobseeker_id)
    assert js is not None
    out: Lines = {s.key: [] for s in SECTIONS}
    out["information"].append(" ".join(filter(None, [js.given_name, js.family_name,
                                                     js.birth_date.isoformat() if js.birth_date else None])))
    for sec in await vignet.read_vignet(session, actor, workspace_id):
        if sec.perspective == "counsellor" and sec.key in VIGNET_TARGET:
            _put(out, VIGNET_TARGET[sec.key], sec.life_domain, sec.text)
    for card in await cards.list_cards(session, actor, workspace_id):
        if card.kind == "profile":
            _put(out, "competences", card.life_domain, ", ".join([*card.technical_competences, *card.job_targets]))
    for version in (await trajectory.list_versions(session, actor, workspace_id))[:1]:
        for g in version.goals:
            _put(out, "road_to_work", g.life_domain, f"{g.text} ({g.measure}, {g.due_date.isoformat()})")
    phases = await service.phase_history(session, actor, workspace_id)
    if phases:
        last = phases[-1]
        name = BY_CODE[last.code].name if last.code in BY_CODE else last.code
        _put(out, "road_to_work", last.life_domain,
             t("instruments.integrated.phase", name=name, since=last.since.strftime("%d/%m/%Y")))
    for a in await list_workspace_agreements(session, actor, workspace_id):
        if a.status in ("open", "in_progress") and a.life_domain in AGREEMENT_TARGET:
            due = f" ({a.due_date.strftime('%d/%m/%Y')})" if a.due_date else ""
            _put(out, AGREEMENT_TARGET[a.life_domain], a.life_domain,
                 t("instruments.integrated.agreement", text=a.description) + due)
    for d in await drawings.list_drawings(session, actor, workspace_id):
        if d.kind == "ecogram" and d.life_domain == "network":
            _put(out, "network", d.life_domain, drawings.text_alternative(d))
            break
    confidants = list(await session.scalars(select(Confidant).where(Confidant.workspace_id == workspace_id)))
    out["key_figures"].extend(f"{c.name} ({c.relation})" for c in confidants)
    for key, domain, text in extra or []:
        if key in BY_KEY:
            _put(out, key, domain, text)
    return {k: "\n".join(v for v in vs if v) for k, vs in out.items()}


def _validate(data: IntegratedReportIn | IntegratedReportEdit) -> None:
    for key, text in data.sections.items():
        if key not in BY_KEY:
            raise Invalid(f"sections.{key}", t("instruments.error.section_unknown", keys=", ".join(BY_KEY)))
        if not text.strip():
            raise Invalid(f"sections.{key}", t("instruments.error.text_empty"))


async def _require_section_writes(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID,
                                  keys: Iterable[str]) -> None:
    await require_write(session, actor, workspace_id, {BY_KEY[k].life_domain for k in keys
                                                       if BY_KEY[k].life_domain != IDENTITY}, "integrated_report")


async def create_report(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, data: IntegratedReportIn,
                        extra: list[tuple[str, str, str]] | None = None, fill_missing: bool = True) -> IntegratedReport:
    """Store a report: given sections as written, the others prefilled; every domain written needs consent.

    The page shows the prefill in its form and sends what the counsellor kept (`fill_missing=False`).
    """
    no_admin(actor)
    if not actor.is_staff:
        raise Forbidden(t("error.staff_only"))
    ws = await get_workspace(session, actor, workspace_id)
    if not MONTH.match(data.evaluation_month):
        raise Invalid("evaluation_month", t("instruments.error.month"))
    _validate(data)
    await _require_section_writes(session, actor, ws.id, data.sections)
    filled = await prefill(session, actor, ws.id, extra) if fill_missing else {}
    report = IntegratedReport(workspace_id=ws.id, evaluation_month=data.evaluation_month,
                              created_by_user_id=actor.user_id, version=1)
    session.add(report)
    await session.flush()
    for s in SECTIONS:
        given = data.sections.get(s.key)
        text = given.strip() if given is not None else filled.get(s.key, "")
        if not text:
            continue
        session.add(IntegratedReportSection(report_id=report.id, workspace_id=ws.id, position=s.position, key=s.key,
                                            life_domain=s.life_domain, text=text, prefilled=given is None))
    await session.flush()
    await log_access(session, actor, action="create", resource_type="integrated_report", workspace_id=ws.id,
                     resource_id=report.id)
    await session.flush()
    return report


async def update_report(session: AsyncSession, actor: Actor, report_id: uuid.UUID,
                        data: IntegratedReportEdit) -> IntegratedReport:
    """Rewrite the listed sections (others keep their text) and raise the version; needs consent per domain.

    A section the caller may not read cannot be overwritten (409, like the vignet), so nobody erases what
    they could not see.
    """
    no_admin(actor)
    if not actor.is_staff:
        raise Forbidden(t("error.staff_only"))
    report = await session.get(IntegratedReport, report_id)
    if report is None:
        raise NotFound(t("instruments.error.report_not_found"))
    ws = await get_workspace(session, actor, report.workspace_id)
    if data.evaluation_month is not None and not MONTH.match(data.evaluation_month):
        raise Invalid("evaluation_month", t("instruments.error.month"))
    _validate(data)
    await _require_section_writes(session, actor, ws.id, data.sections)
    rows = {r.key: r for r in await session.scalars(select(IntegratedReportSection).where(
        IntegratedReportSection.report_id == report.id, _readable(actor)))}
    changed = data.evaluation_month is not None and data.evaluation_month != report.evaluation_month
    for key, text in data.sections.items():
        row, s = rows.get(key), BY_KEY[key]
        if row is None:
            session.add(IntegratedReportSection(report_id=report.id, workspace_id=ws.id, position=s.position, key=key,
                                                life_domain=s.life_domain, text=text.strip(), prefilled=False))
            changed = True
        elif row.text != text.strip():
            row.text, row.prefilled, changed = text.strip(), False, True
    if not changed:
        raise Conflict(t("instruments.error.report_unchanged"), kind="report-unchanged")
    if data.evaluation_month is not None:
        report.evaluation_month = data.evaluation_month
    report.version += 1
    await session.flush()
    await log_access(session, actor, action="update", resource_type="integrated_report", workspace_id=ws.id,
                     resource_id=report.id)
    await session.flush()
    return report


async def list_reports(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> list[IntegratedReport]:
    """The workspace's integrated reports, newest month first (identity: month and version only)."""
    ws = await get_workspace(session, actor, workspace_id)
    return list(await session.scalars(select(IntegratedReport).where(IntegratedReport.workspace_id == ws.id)
                                      .order_by(IntegratedReport.evaluation_month.desc(),
                                                IntegratedReport.created_at.desc())))


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

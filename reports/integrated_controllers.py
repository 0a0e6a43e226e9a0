"""Het geïntegreerd werk-welzijnsverslag: accept it (202), let workers render each recipient's copy, serve it."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Controller, Response, get, post, put
from litestar.params import JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import readable_domains
from w2.instruments import integrated
from w2.instruments.schemas import IntegratedReportCreated, IntegratedReportEdit, IntegratedReportIn
from w2.platform.actor import Actor
from w2.platform.api_kit import READ, WRITE, problems
from w2.platform.auth import signed_in, staff
from w2.platform.i18n import t
from w2.reports import integrated_service as svc
from w2.reports import scoring
from w2.reports.report_controllers import answer, answer_page
from w2.reports.scoring_controllers import PDF

# Scoretabel themes land in the section of their own life domain (a theme never changes domain).
SCORE_TARGET = {"work_training": "road_to_work", "network": "network", "other": "insights"}


class IntegratedSectionOut(msgspec.Struct):
    """One section: its text, or withheld (null) for this caller."""

    key: str
    position: int
    title: str
    life_domain: str
    text: str | None
    prefilled: bool
    withheld: bool


class IntegratedReportOut(msgspec.Struct):
    """A report as the caller may read it: every section, with text only where consent allows."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    evaluation_month: str
    version: int
    sections: list[IntegratedSectionOut]


class IntegratedReportItem(msgspec.Struct):
    """A report in the workspace's list (no case content)."""

    id: uuid.UUID
    evaluation_month: str
    version: int


class IntegratedReportList(msgspec.Struct):
    """The workspace's integrated reports, newest month first."""

    items: list[IntegratedReportItem]


class IntegratedReportAccepted(msgspec.Struct):
    """The edit is stored; new renditions are being made."""

    id: uuid.UUID
    version: int


async def score_lines(db: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> list[tuple[str, str, str]]:
    """Prefill lines from the newest scoretabel per perspective, as the writer may read it."""
    rows = await scoring.visible_scores(db, actor, workspace_id)
    newest: dict[str, uuid.UUID] = {}
    for r in rows:  # newest sheet first
        newest.setdefault(r.filled_by, r.sheet_id)
    out = []
    for r in rows:
        if newest.get(r.filled_by) != r.sheet_id or r.life_domain not in SCORE_TARGET:
            continue
        scores = ", ".join(f"{t(f'period.{p}')} {getattr(r, p)}" for p in ("start", "now", "future")
                           if getattr(r, p) is not None)
        text = t("integrated.prefill.score", date=r.taken_on.strftime("%d/%m/%Y"), by=t(f"progress.by.{r.filled_by}"),
                 theme=scoring.label_of(r), scores=scores)
        out.append((SCORE_TARGET[r.life_domain], r.life_domain, text))
    return out


async def report_out(db: AsyncSession, actor: Actor, report_id: uuid.UUID) -> IntegratedReportOut:
    """The report with the sections the caller may read (filtered in the query, logged)."""
    report, rows = await integrated.read_report(db, actor, report_id)
    by_key = {r.key: r for r in rows}
    allowed = await readable_domains(db, actor, report.workspace_id) | {integrated.IDENTITY}
    sections = []
    for s in integrated.SECTIONS:
        row = by_key.get(s.key)
        readable = s.life_domain in allowed
        sections.append(IntegratedSectionOut(key=s.key, position=s.position, title=s.title, life_domain=s.life_domain,
                                             text=row.text if row else None, prefilled=bool(row and row.prefilled),
                                             withheld=not readable))
    return IntegratedReportOut(id=report.id, workspace_id=report.workspace_id, evaluation_month=report.evaluation_month,
                               version=report.version, sections=sections)


class IntegratedReportController(Controller):
    """Integrated reports of a workspace and each caller's PDF."""

    tags = ["instruments"]
    guards = [staff]

    @post("/workspaces/{workspace_id:uuid}/integrated-reports", status_code=202, responses=WRITE)
    async def create(self, workspace_id: uuid.UUID, data: JSONBody[IntegratedReportIn], db: AsyncSession,
                     actor: Actor) -> IntegratedReportCreated:
        """Accept a report; sections not given are prefilled; workers render each recipient's copy."""
        extra = await score_lines(db, actor, workspace_id)
        report = await integrated.create_report(db, actor, workspace_id, data, extra)
        await svc.plan(db, report)
        return IntegratedReportCreated(id=report.id)

    @get("/workspaces/{workspace_id:uuid}/integrated-reports", responses=READ)
    async def list_(self, workspace_id: uuid.UUID, db: AsyncSession, actor: Actor) -> IntegratedReportList:
        """The workspace's reports (month and version only)."""
        rows = await integrated.list_reports(db, actor, workspace_id)
        return IntegratedReportList(items=[IntegratedReportItem(id=r.id, evaluation_month=r.evaluation_month,
                                                                version=r.version) for r in rows])

    @get("/integrated-reports/{report_id:uuid}", responses=READ)
    async def read(self, report_id: uuid.UUID, db: AsyncSession, actor: Actor) -> IntegratedReportOut:
        """The sections the caller may read; the others are listed as withheld, without text."""
        return await report_out(db, actor, report_id)

    @put("/integrated-reports/{report_id:uuid}", status_code=202, responses=WRITE)
    async def edit(self, report_id: uuid.UUID, data: JSONBody[IntegratedReportEdit], db: AsyncSession,
                   actor: Actor) -> IntegratedReportAccepted:
        """Rewrite sections; the version goes up, older PDFs are never served again, new ones are rendered."""
        report = await integrated.update_report(db, actor, report_id, data)
        await svc.plan(db, report)
        return IntegratedReportAccepted(id=report.id, version=report.version)

    @get("/integrated-reports/{report_id:uuid}/report.pdf", responses=problems(401, 403, 404, 503), media_type=PDF,
         description="The caller's rendition (only its consented sections; the others say 'niet gedeeld'). "
                     "202 with Retry-After while a worker renders it.")
    async def pdf(self, report_id: uuid.UUID, db: AsyncSession, actor: Actor) -> Response[Any]:
        """The caller agency's copy of the newest version."""
        return answer(await svc.caller_rendition(db, actor, report_id), actor.language)


@get("/integrated-reports/{report_id:uuid}/verslag.pdf", guards=[signed_in], include_in_schema=False, media_type=PDF)
async def integrated_page_pdf(report_id: uuid.UUID, db: AsyncSession, actor: Actor) -> Response[Any]:
    """The signed-in person's copy (staff: their agency's; the job seeker: their full copy)."""
    return answer_page(await svc.caller_rendition(db, actor, report_id), actor.language)


@get("/integrated-reports/{report_id:uuid}/eenvoudig.pdf", guards=[signed_in], include_in_schema=False,
     media_type=PDF)
async def integrated_easy_pdf(report_id: uuid.UUID, db: AsyncSession, actor: Actor) -> Response[Any]:
    """The job seeker's easy-read copy."""
    return answer_page(await svc.caller_rendition(db, actor, report_id, kind="easy_read"), actor.language)


PDF_PAGES = [integrated_page_pdf, integrated_easy_pdf]

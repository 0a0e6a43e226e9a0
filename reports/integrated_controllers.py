"""Het geïntegreerd werk-welzijnsverslag: accept it (202) and give each caller its own PDF."""

from __future__ import annotations

import asyncio
import uuid

from litestar import Controller, Response, get, post
from litestar.params import JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import readable_domains
from w2.instruments import integrated
from w2.instruments.schemas import IntegratedReportCreated, IntegratedReportIn
from w2.platform.actor import Actor
from w2.platform.api_kit import WRITE, problems
from w2.platform.auth import staff
from w2.reports import sandbox
from w2.reports.schemas import IntegratedContent, IntegratedSectionRow
from w2.reports.scoring_controllers import PDF, _names, pdf_response


async def integrated_content(db: AsyncSession, actor: Actor, report_id: uuid.UUID) -> IntegratedContent:
    """The caller's copy: readable sections with text, the others marked as not shared."""
    report, rows = await integrated.read_report(db, actor, report_id)
    name, recipient = await _names(db, actor, report.workspace_id)
    allowed = await readable_domains(db, actor, report.workspace_id) | {integrated.IDENTITY}
    texts = {r.key: r.text for r in rows}
    return IntegratedContent(
        jobseeker=name, evaluation_month=report.evaluation_month, recipient=None if actor.is_jobseeker else recipient,
        sections=[IntegratedSectionRow(position=s.position, title=s.title, text=texts.get(s.key),
                                       withheld=s.life_domain not in allowed) for s in integrated.SECTIONS])


class IntegratedReportController(Controller):
    """Integrated reports of a workspace and their PDFs."""

    tags = ["instruments"]
    guards = [staff]

    @post("/workspaces/{workspace_id:uuid}/integrated-reports", status_code=202, responses=WRITE)
    async def create(self, workspace_id: uuid.UUID, data: JSONBody[IntegratedReportIn], db: AsyncSession,
                     actor: Actor) -> IntegratedReportCreated:
        """Accept a report; sections not given are prefilled from the same life domain's data."""
        report = await integrated.create_report(db, actor, workspace_id, data)
        return IntegratedReportCreated(id=report.id)

    @get("/integrated-reports/{report_id:uuid}/report.pdf", responses=problems(401, 403, 404, 503), media_type=PDF)
    async def pdf(self, report_id: uuid.UUID, db: AsyncSession, actor: Actor,
                  easy_read: bool = False) -> Response[bytes]:
        """The caller's rendition: the nine sections in order, unconsented ones marked 'niet gedeeld'."""
        content = await integrated_content(db, actor, report_id)
        data = await asyncio.to_thread(sandbox.render_integrated, content, easy_read, actor.language)
        return pdf_response(data, f"werk-welzijnsverslag-{content.evaluation_month}.pdf")

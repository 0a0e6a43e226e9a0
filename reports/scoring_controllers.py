"""Reports API: the scoretabel, W²-cirkels and voortgang PDF, and each recipient's report PDF."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated, Literal

from litestar import Controller, Response, get, post
from litestar.params import JSONBody, Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform.actor import Actor
from w2.platform.api_kit import READ, WRITE, problems
from w2.platform.auth import signed_in, staff
from w2.platform.i18n import t
from w2.platform.models import Agency, Jobseeker
from w2.platform.workspaces import get_workspace
from w2.reports import charts, sandbox, scoring
from w2.reports.render import progress_figures
from w2.reports.schemas import ScoreSheetOut, ScoresIn, ScoresOut

PDF = "application/pdf"
FilledBy = Annotated[Literal["jobseeker", "counsellor"] | None, Parameter(description="only this perspective")]
Group = Annotated[Literal["outside", "inside"], Parameter(description="which circle")]


def pdf_response(data: bytes, filename: str) -> Response[bytes]:
    """A PDF download that no cache keeps."""
    return Response(content=data, media_type=PDF, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store, private",
        "X-Content-Type-Options": "nosniff",
    })


async def _names(db: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> tuple[str, str | None]:
    ws = await get_workspace(db, actor, workspace_id)
    js = await db.get(Jobseeker, ws.jobseeker_id)
    agency = await db.get(Agency, actor.agency_id) if actor.agency_id else None
    return (f"{js.given_name} {js.family_name}" if js else ""), (agency.name if agency else None)


class ScoresController(Controller):
    """The scoretabel: 21 themes plus free themes, 0-10 for start, now and future."""

    path = "/workspaces/{workspace_id:uuid}"
    guards = [staff]
    tags = ["scores"]

    @post("/scores", responses=WRITE)
    async def record(self, workspace_id: uuid.UUID, data: JSONBody[ScoresIn], db: AsyncSession,
                     actor: Actor) -> ScoreSheetOut:
        """Store a filled-in scoretabel; every theme's life domain needs information_sharing consent."""
        rows = await scoring.record_scores(db, actor, workspace_id, data)
        return ScoreSheetOut(sheet_id=rows[0].sheet_id, filled_by=rows[0].filled_by, taken_on=rows[0].taken_on,
                             items=[scoring.score_out(r) for r in rows])

    @get("/scores", responses=READ)
    async def list_(self, workspace_id: uuid.UUID, db: AsyncSession, actor: Actor,
                    filled_by: FilledBy = None) -> ScoresOut:
        """Scores in the life domains the caller may read, newest sheet first."""
        rows = await scoring.visible_scores(db, actor, workspace_id, filled_by)
        return ScoresOut(items=[scoring.score_out(r) for r in rows])

    @get("/scores/cirkels.svg", responses=READ, media_type="image/svg+xml")
    async def cirkels(self, workspace_id: uuid.UUID, db: AsyncSession, actor: Actor,
                      group: Group = "outside", filled_by: FilledBy = "jobseeker") -> Response[str]:
        """One W²-cirkel (radar chart) of the newest sheet, as SVG, holding only readable themes."""
        return await cirkel_svg(db, actor, workspace_id, group, filled_by or "jobseeker")

    @get("/progress.pdf", responses=problems(401, 403, 404, 503), media_type=PDF)
    async def progress(self, workspace_id: uuid.UUID, db: AsyncSession, actor: Actor) -> Response[bytes]:
        """The voortgang PDF with the W²-cirkels, holding only the themes the caller may read."""
        return await progress_pdf(db, actor, workspace_id)


async def cirkel_svg(db: AsyncSession, actor: Actor, workspace_id: uuid.UUID, group: str,
                     filled_by: str) -> Response[str]:
    """The SVG of one circle for the caller (consent-filtered in the query)."""
    name, recipient = await _names(db, actor, workspace_id)
    content = await scoring.progress_content(db, actor, workspace_id, name, recipient, actor.language)
    svg = charts.radar_svg(t("progress.none", actor.language), [], [])
    for fig in progress_figures(content, actor.language):
        for chart in fig["charts"]:
            if fig["group"] == group and chart["sheet"].filled_by == filled_by:
                svg = str(chart["svg"])
    return Response(content=svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store, private"})


async def progress_pdf(db: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> Response[bytes]:
    """The caller's voortgang PDF, rendered under limits."""
    name, recipient = await _names(db, actor, workspace_id)
    content = await scoring.progress_content(db, actor, workspace_id, name, recipient, actor.language)
    data = await asyncio.to_thread(sandbox.render_progress, content, actor.language)
    return pdf_response(data, "voortgang.pdf")


@get("/workspaces/{workspace_id:uuid}/scores/cirkels.svg", guards=[signed_in], include_in_schema=False,
     media_type="image/svg+xml")
async def cirkels_page(workspace_id: uuid.UUID, db: AsyncSession, actor: Actor, group: Group = "outside",
                       filled_by: FilledBy = "jobseeker") -> Response[str]:
    """The same circle for pages (session sign-in: staff, or the job seeker on their own workspace)."""
    return await cirkel_svg(db, actor, workspace_id, group, filled_by or "jobseeker")


@get("/workspaces/{workspace_id:uuid}/voortgang.pdf", guards=[signed_in], include_in_schema=False, media_type=PDF)
async def progress_page(workspace_id: uuid.UUID, db: AsyncSession, actor: Actor) -> Response[bytes]:
    """The voortgang PDF for pages."""
    return await progress_pdf(db, actor, workspace_id)


PAGES = [cirkels_page, progress_page]

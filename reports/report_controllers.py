"""The report PDF: API (bearer) for agencies, pages (session) for staff and the job seeker's own copies."""

from __future__ import annotations

import html
import uuid
from typing import Any

import msgspec
from litestar import Controller, Response, get, post
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform.actor import Actor
from w2.platform.api_kit import problems
from w2.platform.auth import signed_in, staff
from w2.platform.i18n import t
from w2.reports import service as svc
from w2.reports.scoring_controllers import PDF, pdf_response


class RenderingOut(msgspec.Struct):
    """The copy is being made; ask again shortly."""

    status: str
    detail: str
    retry_after: int


class VersionOut(msgspec.Struct):
    """A new report version after a correction."""

    meeting_id: uuid.UUID
    version: int
    changes: list[str]


def answer(result: svc.Download | svc.Rendering, language: str) -> Response[Any]:
    """The PDF, or 202 JSON with Retry-After while a worker renders it."""
    if isinstance(result, svc.Rendering):
        body = RenderingOut(status="rendering", detail=t("error.report_rendering", language), retry_after=5)
        return Response(content=msgspec.json.encode(body), media_type="application/json", status_code=202,
                        headers={"Retry-After": "5", "Cache-Control": "no-store"})
    resp = pdf_response(result.data, result.filename)
    resp.headers["Digest"] = f"sha-256={result.sha256}"
    return resp


def answer_page(result: svc.Download | svc.Rendering, language: str) -> Response[Any]:
    """The PDF, or a small self-refreshing page (202) while a worker renders it."""
    if isinstance(result, svc.Rendering):
        msg = html.escape(t("error.report_rendering", language))
        page = (f'<!doctype html><html lang="{html.escape(language)}"><head><meta charset="utf-8">'
                f'<meta http-equiv="refresh" content="5"><title>{msg}</title></head>'
                f"<body><main><p>{msg}</p></main></body></html>")
        return Response(content=page, media_type="text/html", status_code=202,
                        headers={"Retry-After": "5", "Cache-Control": "no-store"})
    return answer(result, language)


class ReportController(Controller):
    """Each agency downloads only its own rendition."""

    path = "/meetings/{meeting_id:uuid}"
    guards = [staff]
    tags = ["reports"]

    @get("/report.pdf", media_type=PDF, responses=problems(401, 403, 404, 409, 503),
         description="The caller's own rendition (only its consented life domains). 409 before finalize; "
                     "202 with Retry-After while it is rendered.")
    async def report_pdf(self, meeting_id: uuid.UUID, db: AsyncSession, actor: Actor) -> Response[Any]:
        """Download the caller agency's copy of the newest report version."""
        return answer(await svc.caller_rendition(db, actor, meeting_id), actor.language)

    @post("/report/versions", status_code=202, responses=problems(401, 403, 404, 409))
    async def reissue(self, meeting_id: uuid.UUID, db: AsyncSession, actor: Actor) -> VersionOut:
        """After a correction: freeze the report again as a new version that says what changed."""
        row = await svc.reissue(db, actor, meeting_id)
        content = await svc.version_content(db, row)
        return VersionOut(meeting_id=meeting_id, version=row.version,
                          changes=[c.text for c in content.changes if c.life_domain is None])


@get("/meetings/{meeting_id:uuid}/verslag.pdf", guards=[signed_in], include_in_schema=False, media_type=PDF)
async def report_page(meeting_id: uuid.UUID, db: AsyncSession, actor: Actor) -> Response[Any]:
    """The signed-in person's copy (the link in the notice mail)."""
    return answer_page(await svc.caller_rendition(db, actor, meeting_id), actor.language)


@get("/meetings/{meeting_id:uuid}/verslag-eenvoudig.pdf", guards=[signed_in], include_in_schema=False,
     media_type=PDF)
async def easy_read_page(meeting_id: uuid.UUID, db: AsyncSession, actor: Actor) -> Response[Any]:
    """The job seeker's easy-read copy."""
    return answer_page(await svc.caller_rendition(db, actor, meeting_id, kind="easy_read"), actor.language)


PAGES = [report_page, easy_read_page]

"""The printable shared drawing (read through the consent policy, like the API): one page, picture and words."""

from __future__ import annotations

import asyncio
import uuid

from litestar import Controller, Response, get
from sqlalchemy.ext.asyncio import AsyncSession

from w2.instruments import drawings
from w2.platform.actor import Actor
from w2.platform.api_kit import problems
from w2.platform.auth import signed_in, staff
from w2.reports import sandbox
from w2.reports.schemas import DrawingContent
from w2.reports.scoring_controllers import PDF, _names, pdf_response

FILE_NAMES = {"balance": "draaglast-draagkracht", "scale": "weegschaal", "ecogram": "ecogram"}


async def drawing_content(db: AsyncSession, actor: Actor, drawing_id: uuid.UUID) -> DrawingContent:
    """One drawing the caller may read (404 otherwise, also without consent for its life domain)."""
    d = await drawings.one_drawing(db, actor, drawing_id)
    name, recipient = await _names(db, actor, d.workspace_id)
    return DrawingContent(id=d.id, jobseeker=name, kind=d.kind, title=d.title, items=list(d.items),
                          made_on=d.created_at.date(), by_jobseeker=d.created_by_jobseeker, life_domain=d.life_domain,
                          recipient=None if actor.is_jobseeker else recipient)


async def drawing_pdf(db: AsyncSession, actor: Actor, drawing_id: uuid.UUID) -> Response[bytes]:
    """The caller's copy as a PDF, rendered under limits."""
    content = await drawing_content(db, actor, drawing_id)
    data = await asyncio.to_thread(sandbox.render_drawing, content, actor.language)
    return pdf_response(data, f"{FILE_NAMES[content.kind]}.pdf")


class DrawingDocumentController(Controller):
    """The printable shared drawing for API callers."""

    path = "/drawings/{drawing_id:uuid}"
    guards = [staff]
    tags = ["instruments"]

    @get("/document.pdf", responses=problems(401, 403, 404, 503), media_type=PDF)
    async def document(self, drawing_id: uuid.UUID, db: AsyncSession, actor: Actor) -> Response[bytes]:
        """The drawing and its text alternative as a PDF; 404 when the caller's agency may not read its domain."""
        return await drawing_pdf(db, actor, drawing_id)


@get("/tekening/{drawing_id:uuid}/afdruk.pdf", guards=[signed_in], include_in_schema=False, media_type=PDF)
async def drawing_pdf_page(drawing_id: uuid.UUID, db: AsyncSession, actor: Actor) -> Response[bytes]:
    """The printable drawing for pages (staff, or the job seeker on their own workspace)."""
    return await drawing_pdf(db, actor, drawing_id)


PAGES = [drawing_pdf_page]

"""The printed trajectovereenkomst: per recipient (consent-filtered goals) and an easy-read copy."""

from __future__ import annotations

import asyncio
import uuid

from litestar import Controller, Response, get
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.domains import LIFE_DOMAINS
from w2.consent.policy import readable_domains
from w2.instruments import trajectory
from w2.instruments.models import TrajectoryAgreement
from w2.platform.actor import Actor
from w2.platform.api_kit import problems
from w2.platform.auth import signed_in, staff
from w2.reports import sandbox
from w2.reports.schemas import TrajectoryContent, TrajectoryGoalRow, TrajectorySignatureRow
from w2.reports.scoring_controllers import PDF, _names, pdf_response


async def trajectory_content(db: AsyncSession, actor: Actor, agreement_id: uuid.UUID) -> TrajectoryContent:
    """One version as the caller may read it (goals filtered in SQL by the consent policy, reads logged)."""
    version = await trajectory.one_version(db, actor, agreement_id)
    name, recipient = await _names(db, actor, version.workspace_id)
    allowed = await readable_domains(db, actor, version.workspace_id)
    return TrajectoryContent(
        jobseeker=name, version=version.version, in_force=version.in_force,
        goals=[TrajectoryGoalRow(area=g.area, life_domain=g.life_domain, text=g.text, measure=g.measure,
                                 due_date=g.due_date, helped_by=g.helped_by, actions=g.actions) for g in version.goals],
        signatures=[TrajectorySignatureRow(by=s.by, method=s.method, signed_at=s.signed_at) for s in version.signatures],
        some_withheld=set(LIFE_DOMAINS) - allowed != set(), recipient=None if actor.is_jobseeker else recipient)


async def trajectory_pdf(db: AsyncSession, actor: Actor, agreement_id: uuid.UUID, easy: bool) -> Response[bytes]:
    """The caller's copy as a PDF."""
    content = await trajectory_content(db, actor, agreement_id)
    data = await asyncio.to_thread(sandbox.render_trajectory, content, easy, actor.language)
    row = await db.get(TrajectoryAgreement, agreement_id)
    suffix = "-eenvoudig" if easy else ""
    return pdf_response(data, f"trajectovereenkomst-v{row.version if row else 0}{suffix}.pdf")


class TrajectoryDocumentController(Controller):
    """The printable trajectovereenkomst for API callers."""

    path = "/trajectory-agreements/{agreement_id:uuid}"
    guards = [staff]
    tags = ["instruments"]

    @get("/document.pdf", responses=problems(401, 403, 404, 503), media_type=PDF)
    async def document(self, agreement_id: uuid.UUID, db: AsyncSession, actor: Actor,
                       easy_read: bool = False) -> Response[bytes]:
        """This version as a PDF holding only the goals the caller's agency may read."""
        return await trajectory_pdf(db, actor, agreement_id, easy_read)


@get("/trajectovereenkomst/{agreement_id:uuid}/afdruk.pdf", guards=[signed_in], include_in_schema=False, media_type=PDF)
async def agreement_pdf_page(agreement_id: uuid.UUID, db: AsyncSession, actor: Actor) -> Response[bytes]:
    """The printable copy for pages (staff, or the job seeker on their own workspace)."""
    return await trajectory_pdf(db, actor, agreement_id, False)


@get("/trajectovereenkomst/{agreement_id:uuid}/eenvoudig.pdf", guards=[signed_in], include_in_schema=False,
     media_type=PDF)
async def agreement_easy_pdf_page(agreement_id: uuid.UUID, db: AsyncSession, actor: Actor) -> Response[bytes]:
    """The easy-read copy for pages."""
    return await trajectory_pdf(db, actor, agreement_id, True)


PAGES = [agreement_pdf_page, agreement_easy_pdf_page]

"""Agreements API (API.md "Agreements")."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.params import JSONBody, Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from w2.meetings.agreements import service as svc
from w2.meetings.agreements.schemas import (
    AgreementIn,
    AgreementListOut,
    AgreementOut,
    AgreementPageOut,
    AgreementPatch,
    CancelIn,
)
from w2.platform.actor import Actor
from w2.platform.api_kit import READ, WRITE, Limit, Offset, problems
from w2.platform.auth import staff


class WorkspaceAgreementController(Controller):
    """Agreements inside one workspace."""

    path = "/workspaces/{workspace_id:uuid}/agreements"
    guards = [staff]
    tags = ["agreements"]

    @post("/", responses=WRITE)
    async def create(self, workspace_id: uuid.UUID, data: JSONBody[AgreementIn], db: AsyncSession,
                     actor: Actor) -> AgreementOut:
        """Make an agreement; 409 when an agency involved lacks consent for the life domain."""
        row = await svc.create_agreement(db, actor, workspace_id, data)
        return (await svc.agreements_out(db, [row]))[0]

    @get("/", responses=READ)
    async def list_(self, workspace_id: uuid.UUID, db: AsyncSession, actor: Actor) -> AgreementListOut:
        """Agreements in the life domains the caller may see."""
        rows, notes = await svc.workspace_agreements(db, actor, workspace_id)
        return AgreementListOut(items=await svc.agreements_out(db, rows, notes))


class AgreementController(Controller):
    """Agreements across workspaces, and one agreement."""

    path = "/agreements"
    guards = [staff]
    tags = ["agreements"]

    @get("/", responses=problems(401, 403, 422))
    async def list_(
        self, db: AsyncSession, actor: Actor,
        owner: Annotated[str | None, Parameter(description="me | my_agency")] = None,
        status: Annotated[str | None, Parameter(description="one status or a comma-separated list")] = None,
        due_before: date | None = None,
        life_domain: str | None = None,
        limit: Limit = 50,
        offset: Offset = 0,
        cursor: Annotated[str | None, Parameter(description="next_cursor of the previous page")] = None,
    ) -> AgreementPageOut:
        """The partner list: agreements the caller's agency may see, soonest due first (keyset pages)."""
        page = await svc.partner_page(db, actor, owner=owner, status=status, due_before=due_before,
                                      life_domain=life_domain, limit=limit, offset=offset, cursor=cursor)
        return AgreementPageOut(items=await svc.agreements_out(db, page.items, page.notes), total=page.total,
                                total_capped=page.total_capped, has_more=page.has_more,
                                next_cursor=page.next_cursor)

    @get("/{agreement_id:uuid}", responses=READ)
    async def detail(self, agreement_id: uuid.UUID, db: AsyncSession, actor: Actor) -> AgreementOut:
        """One agreement (404 outside the caller's consent)."""
        row = await svc.get_agreement(db, actor, agreement_id)
        return (await svc.agreements_out(db, [row]))[0]

    @patch("/{agreement_id:uuid}", responses=WRITE)
    async def update(self, agreement_id: uuid.UUID, data: JSONBody[AgreementPatch], db: AsyncSession,
                     actor: Actor) -> AgreementOut:
        """Change status, due date or owner, or add a progress note."""
        row = await svc.update_agreement(db, actor, agreement_id, data)
        return (await svc.agreements_out(db, [row]))[0]

    @post("/{agreement_id:uuid}/cancel", status_code=200, responses=WRITE)
    async def cancel(self, agreement_id: uuid.UUID, data: JSONBody[CancelIn], db: AsyncSession,
                     actor: Actor) -> AgreementOut:
        """Strike an agreement with a reason (kept, logged, in the next report version); 409 when done."""
        row = await svc.cancel_agreement(db, actor, agreement_id, data)
        return (await svc.agreements_out(db, [row]))[0]

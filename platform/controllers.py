"""Kernel API: who am I, the agency directory, workspaces, members, pivot, confidants."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, get, post, put
from litestar.params import JSONBody
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform import schemas as s
from w2.platform import workspaces as svc
from w2.platform.actor import Actor
from w2.platform.api_kit import READ, WRITE, Limit, Offset, problems
from w2.platform.auth import staff
from w2.platform.models import Agency, User


class DirectoryController(Controller):
    """Identity and directory."""

    guards = [staff]
    tags = ["identity"]

    @get("/me", responses=problems(401, 403))
    async def me(self, db: AsyncSession, actor: Actor) -> s.MeOut:
        """The signed-in professional and their agency."""
        user = await db.get(User, actor.user_id)
        agency = await db.get(Agency, actor.agency_id)
        assert user is not None and agency is not None
        return s.MeOut(id=user.id, email=user.email, name=user.name, roles=list(user.roles),
                       agency=s.AgencyOut(id=agency.id, name=agency.name, kind=agency.kind))

    @get("/agencies", responses=problems(401, 403))
    async def agencies(self, db: AsyncSession) -> s.ItemsOut:
        """All agencies, by name."""
        rows = await db.scalars(select(Agency).order_by(Agency.name))
        return s.ItemsOut(items=[s.AgencyOut(id=a.id, name=a.name, kind=a.kind) for a in rows])


class WorkspaceController(Controller):
    """Workspaces: one per job seeker."""

    path = "/workspaces"
    guards = [staff]
    tags = ["workspaces"]

    @post("/", responses=WRITE)
    async def create(self, data: JSONBody[s.WorkspaceIn], db: AsyncSession, actor: Actor) -> s.WorkspaceOut:
        """Create a workspace; the caller's agency coordinates it."""
        ws = await svc.create_workspace(db, actor, data)
        return await svc.workspace_out(db, ws, actor)

    @get("/", responses=READ)
    async def list_(self, db: AsyncSession, actor: Actor, limit: Limit = 50, offset: Offset = 0) -> s.WorkspaceListOut:
        """Workspaces where the caller's agency is a member."""
        rows, total = await svc.list_workspaces(db, actor, limit, offset)
        return s.WorkspaceListOut(items=[await svc.workspace_out(db, w, actor) for w in rows], total=total)

    @get("/{workspace_id:uuid}", responses=READ)
    async def detail(self, workspace_id: uuid.UUID, db: AsyncSession, actor: Actor) -> s.WorkspaceOut:
        """One workspace (404 for non-members)."""
        ws = await svc.get_workspace(db, actor, workspace_id)
        return await svc.workspace_out(db, ws, actor)

    @post("/{workspace_id:uuid}/members", responses=WRITE)
    async def add_member(
        self, workspace_id: uuid.UUID, data: JSONBody[s.MemberIn], db: AsyncSession, actor: Actor,
        request: Request[Any, Any, Any],
    ) -> s.MemberOut:
        """Add an agency as a member; its contact person gets a mail without case content."""
        m = await svc.add_member(db, actor, workspace_id, data)
        request.state.outbox_dirty = True
        return s.MemberOut(agency_id=m.agency_id, contact_user_id=m.contact_user_id,
                           question_type=m.question_type, question=m.question, life_domain=m.life_domain)

    @put("/{workspace_id:uuid}/pivot", responses=WRITE)
    async def set_pivot(self, workspace_id: uuid.UUID, data: JSONBody[s.PivotIn], db: AsyncSession,
                        actor: Actor) -> s.PivotOut:
        """Set the pivot (spilfiguur); the history is kept."""
        p = await svc.set_pivot(db, actor, workspace_id, data)
        return s.PivotOut(user_id=p.user_id, chosen_by_jobseeker=p.chosen_by_jobseeker, since=p.since)

    @post("/{workspace_id:uuid}/confidants", responses=WRITE)
    async def add_confidant(self, workspace_id: uuid.UUID, data: JSONBody[s.ConfidantIn], db: AsyncSession,
                            actor: Actor) -> s.ConfidantOut:
        """Add a confidant (vertrouwenspersoon)."""
        c = await svc.add_confidant(db, actor, workspace_id, data)
        return s.ConfidantOut(id=c.id, name=c.name, relation=c.relation, email=c.email, phone=c.phone)

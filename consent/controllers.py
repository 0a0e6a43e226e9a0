"""Consent API: record, list, withdraw, FHIR export and the access log (API.md "Consent")."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent import service as svc
from w2.consent.closing import close_workspace
from w2.consent.fhir import consent_bundle
from w2.consent.schemas import (
    AccessLogListOut,
    AccessLogOut,
    ClosedOut,
    CloseIn,
    ConsentIn,
    ConsentListOut,
    ConsentOut,
    RevokeIn,
)
from w2.platform.actor import Actor
from w2.platform.api_kit import READ, WRITE, Limit, Offset
from w2.platform.auth import staff
from w2.platform.models import Agency, Workspace


class ConsentController(Controller):
    """Consents of a workspace."""

    path = "/workspaces/{workspace_id:uuid}"
    guards = [staff]
    tags = ["consent"]

    @post("/consents", responses=WRITE)
    async def grant(
        self, workspace_id: uuid.UUID, data: JSONBody[ConsentIn], db: AsyncSession, actor: Actor,
        request: Request[Any, Any, Any],
    ) -> ConsentOut:
        """Record a consent (coordinator of the coordinating agency); the job seeker is told."""
        consent = await svc.grant_consent(db, actor, workspace_id, data)
        request.state.outbox_dirty = True
        return await svc.get_consent_out(db, consent)

    @post("/close", status_code=200, responses=WRITE)
    async def close(self, workspace_id: uuid.UUID, data: JSONBody[CloseIn], db: AsyncSession,
                    actor: Actor) -> ClosedOut:
        """Close the case: every consent ends now and nothing is shared any more."""
        ws = await close_workspace(db, actor, workspace_id, data.reason)
        assert ws.closed_at is not None
        return ClosedOut(id=ws.id, closed_at=ws.closed_at)

    @get("/consents", responses=READ)
    async def list_(self, workspace_id: uuid.UUID, db: AsyncSession, actor: Actor) -> ConsentListOut:
        """All consents of the workspace with their state."""
        return ConsentListOut(items=await svc.list_consents(db, actor, workspace_id))

    @post("/consents/{consent_id:uuid}/revoke", status_code=200, responses=WRITE)
    async def revoke(
        self, workspace_id: uuid.UUID, consent_id: uuid.UUID, db: AsyncSession, actor: Actor,
        data: JSONBody[RevokeIn | None] = None,
    ) -> ConsentOut:
        """Withdraw a consent; it stops counting on the very next request."""
        consent = await svc.revoke_consent(db, actor, workspace_id, consent_id, data.reason if data else None)
        return await svc.get_consent_out(db, consent)

    @get("/consents/{consent_id:uuid}/notice.pdf", responses=READ, media_type="application/pdf")
    async def notice(self, workspace_id: uuid.UUID, consent_id: uuid.UUID, db: AsyncSession,
                     actor: Actor) -> Response[bytes]:
        """The printable notice for a job seeker without mail or phone."""
        pdf = await svc.notice_document(db, actor, workspace_id, consent_id)
        return Response(pdf, media_type="application/pdf")

    @post("/consents/{consent_id:uuid}/notice/handed-over", status_code=200, responses=WRITE)
    async def handed_over(self, workspace_id: uuid.UUID, consent_id: uuid.UUID, db: AsyncSession,
                          actor: Actor) -> ConsentOut:
        """The recording professional confirms handing the printed notice to the job seeker."""
        consent = await svc.confirm_notice_handed_over(db, actor, workspace_id, consent_id)
        return await svc.get_consent_out(db, consent)

    @get("/consents.fhir", responses=READ, media_type="application/fhir+json")
    async def fhir(self, workspace_id: uuid.UUID, db: AsyncSession, actor: Actor) -> Response[dict[str, Any]]:
        """The consents as a FHIR R5 Bundle of Consent resources."""
        items = await svc.list_consents(db, actor, workspace_id)
        ws = await db.get(Workspace, workspace_id)
        assert ws is not None
        names = dict((await db.execute(select(Agency.id, Agency.name).where(
            Agency.id.in_({c.agency_id for c in items})))).tuples().all()) if items else {}
        return Response(consent_bundle(items, ws.jobseeker_id, names), media_type="application/fhir+json")

    @get("/access-log", responses=READ)
    async def access_log(
        self, workspace_id: uuid.UUID, db: AsyncSession, actor: Actor, limit: Limit = 100, offset: Offset = 0
    ) -> AccessLogListOut:
        """Who read or changed what, when (staff see their own agency's lines)."""
        rows, total = await svc.access_log(db, actor, workspace_id, limit, offset)
        return AccessLogListOut(
            items=[AccessLogOut(at=r.at, actor=r.actor_name, actor_kind=r.actor_kind, agency_id=r.agency_id,
                                action=r.action, resource_type=r.resource_type, resource_id=r.resource_id,
                                life_domain=r.life_domain, outcome=r.outcome) for r in rows],
            total=total,
        )

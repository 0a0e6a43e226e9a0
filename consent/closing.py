"""Closing a case: every consent ends at once, so nothing is shared any more (retention starts here)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.models import Consent, ConsentRevocation
from w2.consent.policy import log_access
from w2.platform.actor import Actor
from w2.platform.db.base import utcnow
from w2.platform.errors import Conflict, Forbidden, Invalid, NotFound
from w2.platform.i18n import t
from w2.platform.models import Workspace
from w2.platform.workspaces import require_coordinator


async def close_workspace(session: AsyncSession, actor: Actor | None, workspace_id: uuid.UUID, reason: str) -> Workspace:
    """Close a case: every consent ends now, planned round tables are cancelled, nothing is shared any more."""
    if actor is not None:
        # Staff close a case only as coordinator of the coordinating agency; the operator CLI passes None.
        if not actor.is_staff or actor.is_platform_admin:
            raise Forbidden(t("error.workspace_close_forbidden"))
        await require_coordinator(session, actor, workspace_id)
    ws = await session.get(Workspace, workspace_id)
    if ws is None:
        raise NotFound(t("error.workspace_not_found"))
    if not reason.strip():
        raise Invalid("reason", t("error.workspace_close_reason"))
    if ws.closed_at is not None:
        raise Conflict(t("error.workspace_closed"), kind="workspace-closed")
    now = utcnow()
    active = await session.scalars(select(Consent.id).where(
        Consent.workspace_id == ws.id,
        ~select(ConsentRevocation.consent_id).where(ConsentRevocation.consent_id == Consent.id).exists()))
    for cid in active:
        session.add(ConsentRevocation(consent_id=cid, kind="case_closed", revoked_at=now,
                                      revoked_by_user_id=actor.user_id if actor and actor.is_staff else None,
                                      reason=reason[:500]))
    ws.closed_at, ws.closed_reason = now, reason[:2000]
    await log_access(session, actor, action="close", resource_type="workspace", workspace_id=ws.id,
                     resource_id=ws.id)
    await session.flush()
    return ws

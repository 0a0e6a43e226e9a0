"""Who may see a workspace's identity and logistics: member agencies and the job seeker."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, false, select

from w2.platform.actor import Actor
from w2.platform.models import Membership


def workspace_visible(actor: Actor, workspace_id_col: Any) -> ColumnElement[bool]:
    """SQL condition: the actor may see this workspace exists (not its case content)."""
    if actor.is_jobseeker:
        return workspace_id_col == actor.workspace_id if actor.workspace_id else false()
    if actor.agency_id is None or actor.is_platform_admin:
        # The platform administrator manages agencies and users; no job seeker's identity (security.md).
        return false()
    return exists(
        select(1).where(Membership.workspace_id == workspace_id_col, Membership.agency_id == actor.agency_id)
    )


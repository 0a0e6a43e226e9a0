"""Who may see a workspace's identity and logistics: member agencies and the job seeker."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, false, or_, select

from w2.platform.actor import Actor
from w2.platform.models import Membership, PivotAssignment, User, Workspace


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



def contact_visible(actor: Actor, workspace_id_col: Any) -> ColumnElement[bool]:
    """SQL condition: contact details, birth date, national number and the members' questions are shown.

    Only to the job seeker, the coordinating agency and the agency of the current pivot (spilfiguur);
    other members get what they need to act: the name and the preferred language."""
    if actor.is_jobseeker:
        return workspace_id_col == actor.workspace_id if actor.workspace_id else false()
    if actor.agency_id is None or actor.is_platform_admin:
        return false()
    coordinating = exists(
        select(1).where(Workspace.id == workspace_id_col, Workspace.coordinating_agency_id == actor.agency_id)
    )
    pivot = exists(
        select(1).select_from(PivotAssignment).join(User, User.id == PivotAssignment.user_id)
        .where(PivotAssignment.workspace_id == workspace_id_col, PivotAssignment.until.is_(None),
               User.agency_id == actor.agency_id)
    )
    return or_(coordinating, pivot)

"""Arranging a workspace with two agencies and different consents for instrument tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.factories import new_workspace
from tests.reports.helpers import add_member, grant


async def setup_case(client: Any, factory: Any, sm: Any, coord_domains: list[str],
                     partner_domains: list[str]) -> tuple[Any, Any, dict[str, Any]]:
    """A coordinator (VDAB) and a partner (OCMW) in one workspace, each with its own consent."""
    coord = await factory.person(kind="vdab")
    ws = await new_workspace(client, coord)
    await grant(sm, ws["id"], coord.agency_id, coord_domains)
    partner = await factory.person(kind="ocmw")
    await add_member(client, coord, ws["id"], partner)
    if partner_domains:
        await grant(sm, ws["id"], partner.agency_id, partner_domains)
    return coord, partner, ws


async def logged(sm: Any, workspace_id: str, agency_id: Any, resource_type: str,
                 outcome: str = "allowed", action: str | None = None) -> set[str | None]:
    """Life domains in the access log for this agency and resource type."""
    from w2.consent.models import AccessLogEntry

    cond = [AccessLogEntry.workspace_id == workspace_id, AccessLogEntry.agency_id == agency_id,
            AccessLogEntry.resource_type == resource_type, AccessLogEntry.outcome == outcome]
    if action:
        cond.append(AccessLogEntry.action == action)
    async with sm() as s:
        return set(await s.scalars(select(AccessLogEntry.life_domain).where(*cond)))

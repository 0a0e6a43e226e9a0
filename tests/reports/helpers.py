"""Arranging consent and membership for report tests."""

from __future__ import annotations

import uuid
from typing import Any

from tests.factories import Person


async def grant(sm: Any, workspace_id: Any, agency_id: uuid.UUID, domains: list[str],
                purposes: tuple[str, ...] = ("information_sharing", "meeting_participation", "report_distribution"),
                ) -> list[uuid.UUID]:
    """Record a signed-form consent per purpose (as the consent service would) and return their ids."""
    from w2.consent.models import Consent, ConsentGrant

    ids = []
    async with sm() as s, s.begin():
        for purpose in purposes:
            c = Consent(workspace_id=uuid.UUID(str(workspace_id)), agency_id=agency_id, purpose=purpose,
                        life_domains=domains, method="signed_form", text_version="test-1")
            s.add(c)
            await s.flush()
            for d in domains:
                s.add(ConsentGrant(consent_id=c.id, life_domain=d, workspace_id=c.workspace_id, agency_id=agency_id,
                                   purpose=purpose))
            ids.append(c.id)
    return ids


async def revoke(sm: Any, consent_ids: list[uuid.UUID]) -> None:
    """Withdraw consents."""
    from w2.consent.models import ConsentRevocation

    async with sm() as s, s.begin():
        for cid in consent_ids:
            s.add(ConsentRevocation(consent_id=cid, kind="withdrawn", reason="test"))


async def add_member(client: Any, coordinator: Person, workspace_id: str, member: Person) -> None:
    """Make the member's agency part of the workspace."""
    r = await client.post(f"/api/v1/workspaces/{workspace_id}/members",
                          json={"agency_id": str(member.agency_id), "contact_user_id": str(member.user_id),
                                "question_type": "advies"}, headers=coordinator.headers)
    assert r.status_code == 201, r.text

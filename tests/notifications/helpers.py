"""Data builders for notification tests (direct rows where other branches own the API)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from w2.consent.models import Consent, ConsentGrant, ConsentRevocation
from w2.consent.policy import today
from w2.meetings.agreements.models import Agreement
from w2.notifications.models import NotificationPreference
from w2.platform.models import Membership, User
from w2.platform.outbox import OutboxMessage
from w2.platform.tasks import claim_due, deliver_one


async def grant(sm: Any, workspace_id: Any, agency_id: Any, domains: list[str], *,
                purpose: str = "information_sharing", valid_until: date | None = None) -> uuid.UUID:
    """Record a consent and its per-domain grants."""
    async with sm() as s, s.begin():
        c = Consent(workspace_id=workspace_id, agency_id=agency_id, purpose=purpose, life_domains=domains,
                    method="signed_form", granted_by="jobseeker", text_version="nl-test", valid_until=valid_until)
        s.add(c)
        await s.flush()
        for d in domains:
            s.add(ConsentGrant(consent_id=c.id, life_domain=d, workspace_id=workspace_id, agency_id=agency_id,
                               purpose=purpose, valid_until=valid_until))
        return c.id


async def revoke(sm: Any, consent_id: uuid.UUID) -> None:
    """Withdraw a consent."""
    async with sm() as s, s.begin():
        s.add(ConsentRevocation(consent_id=consent_id, kind="withdrawn"))


async def add_member(sm: Any, workspace_id: Any, agency_id: Any, contact_user_id: Any) -> None:
    """Make an agency a member with a contact person."""
    async with sm() as s, s.begin():
        s.add(Membership(workspace_id=workspace_id, agency_id=agency_id, contact_user_id=contact_user_id,
                         question_type="advies"))


async def agreements(sm: Any, workspace_id: Any, n: int = 1, *, due_in: int = 2, domain: str = "housing",
                     owner_kind: str = "agency", agency_id: Any = None, user_id: Any = None) -> list[uuid.UUID]:
    """Create n open agreements due in `due_in` days."""
    ids = []
    async with sm() as s, s.begin():
        for i in range(n):
            a = Agreement(workspace_id=workspace_id, life_domain=domain, description=f"Geheime afspraak {i}",
                          owner_kind=owner_kind, owner_agency_id=agency_id, owner_user_id=user_id,
                          due_date=today() + timedelta(days=due_in))
            s.add(a)
            await s.flush()
            ids.append(a.id)
    return ids


async def prefer(sm: Any, user_id: Any, *, channel: str = "email", digest: bool = False, phone: str | None = None) -> None:
    """Set a user's notification preferences directly."""
    async with sm() as s, s.begin():
        row = await s.scalar(select(NotificationPreference).where(NotificationPreference.user_id == user_id))
        if row is None:
            row = NotificationPreference(user_id=user_id, language="nl")
            s.add(row)
        row.channel, row.digest = channel, digest
        if phone:
            (await s.get(User, user_id)).phone = phone


async def drain(sm: Any) -> dict[str, int]:
    """Deliver everything due in-process (tests without a worker)."""
    counts: dict[str, int] = {}
    while ids := await claim_due(sm):
        for mid in ids:
            status = await deliver_one(sm, mid)
            counts[status] = counts.get(status, 0) + 1
    return counts


async def messages(sm: Any, prefix: str) -> list[OutboxMessage]:
    """Outbox rows whose key starts with prefix."""
    async with sm() as s:
        return list(await s.scalars(select(OutboxMessage).where(OutboxMessage.idempotency_key.like(prefix + "%"))))

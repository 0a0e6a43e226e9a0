"""Background work as the `system` scope: consent expiry (beat) and the announcement mail."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta

from sqlalchemy import select

from tests.consent.helpers import add_agreement, grant, make_case
from w2.consent.models import Consent, ConsentGrant, ConsentRevocation
from w2.platform.boot.worker import BEAT_SCHEDULE


async def test_expiry_job_adds_expired_revocation(client, factory, sessionmaker, celery_worker):
    case = await make_case(client, factory, partners=1)
    p = case.partners[0]
    await grant(client, case, case.coord.agency_id, ["housing"])
    a = await add_agreement(client, case, "housing", case.coord.agency_id)
    # The API refuses end dates in the past, so write an already-ended consent as the owner would.
    yesterday = date.today() - timedelta(days=2)
    async with sessionmaker() as s, s.begin():
        old = Consent(workspace_id=uuid.UUID(case.wid), agency_id=p.agency_id, purpose="information_sharing",
                      life_domains=["housing"], method="signed_form", text_version="nl-2026-1",
                      valid_until=yesterday)
        s.add(old)
        await s.flush()
        s.add(ConsentGrant(consent_id=old.id, life_domain="housing", workspace_id=old.workspace_id,
                           agency_id=p.agency_id, purpose="information_sharing", valid_until=yesterday))
        old_id = old.id
    # Past its end date the grant no longer counts, before the job has even run.
    assert (await client.get(f"/api/v1/agreements/{a['id']}", headers=p.headers)).status_code == 404
    from w2.consent.tasks import expire

    expire.delay()
    for _ in range(100):
        async with sessionmaker() as s:
            rev = await s.scalar(select(ConsentRevocation).where(ConsentRevocation.consent_id == old_id))
        if rev is not None:
            break
        await asyncio.sleep(0.1)
    assert rev is not None and rev.kind == "expired"
    r = await client.get(f"/api/v1/workspaces/{case.wid}/consents", headers=case.coord.headers)
    item = next(i for i in r.json()["items"] if i["id"] == str(old_id))
    assert item["status"] == "expired" and item["revocation_kind"] == "expired"
    r = await client.post(f"/api/v1/workspaces/{case.wid}/consents/{old_id}/revoke", headers=case.coord.headers)
    assert r.status_code == 409
    assert "consent-expire" in BEAT_SCHEDULE


async def test_announcement_mail_reaches_jobseeker_without_case_content(client, factory, mailbox, celery_worker):
    email = f"js-{uuid.uuid4().hex[:8]}@example.test"
    case = await make_case(client, factory, partners=1, email=email)
    await grant(client, case, case.partners[0].agency_id, ["health", "justice"])
    [msg] = await mailbox.wait_for(1, address=email)
    body = msg.get_body(("plain",)).get_content()
    assert "/portal" in body
    for secret in ("Gezondheid", "Justitie", "health", "justice", case.partners[0].agency_name):
        assert secret not in body and secret not in str(msg["Subject"])

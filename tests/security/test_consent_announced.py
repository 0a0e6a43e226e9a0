"""Finding 4: a consent recorded by staff is never silent (mail, else SMS, else a printed notice handed over)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from tests.consent.helpers import grant, make_case
from w2.platform.outbox import OutboxMessage


async def _messages(sessionmaker, consent_id: str) -> list[OutboxMessage]:
    async with sessionmaker() as s:
        return list(await s.scalars(select(OutboxMessage).where(
            OutboxMessage.idempotency_key.like(f"consent-recorded:{consent_id}%"))))


async def test_phone_only_job_seeker_gets_an_sms(client, factory, sessionmaker):
    case = await make_case(client, factory, partners=1, phone="+32470123456")
    c = await grant(client, case, case.partners[0].agency_id, ["housing"])
    msgs = await _messages(sessionmaker, c["id"])
    assert [(m.channel, m.to_address) for m in msgs] == [("sms", "+32470123456")]
    assert "housing" not in str(msgs[0].params)
    assert c["notice"] == {"channel": "sms", "handed_over_at": None, "handed_over_by_user_id": None}


async def test_no_channel_means_a_printed_notice_the_recorder_confirms(client, factory, sessionmaker):
    case = await make_case(client, factory, partners=1)
    p = case.partners[0]
    c = await grant(client, case, p.agency_id, ["housing"])
    assert await _messages(sessionmaker, c["id"]) == []
    assert c["notice"]["channel"] == "letter" and c["notice"]["handed_over_at"] is None
    base = f"/api/v1/workspaces/{case.wid}/consents/{c['id']}"
    pdf = await client.get(f"{base}/notice.pdf", headers=case.coord.headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # Only the professional who recorded it confirms the hand-over; the list shows what is still open.
    assert (await client.post(f"{base}/notice/handed-over", headers=p.headers)).status_code == 403
    listed = (await client.get(f"/api/v1/workspaces/{case.wid}/consents", headers=case.coord.headers)).json()
    assert [i["notice"]["handed_over_at"] for i in listed["items"] if i["id"] == c["id"]] == [None]
    done = await client.post(f"{base}/notice/handed-over", headers=case.coord.headers)
    assert done.status_code == 200, done.text
    assert done.json()["notice"]["handed_over_by_user_id"] == str(case.coord.user_id)
    other = await client.post(f"/api/v1/workspaces/{case.wid}/consents/{uuid.uuid4()}/notice/handed-over",
                              headers=case.coord.headers)
    assert other.status_code == 404

"""Finding 6 (part): a calendar feed stops showing a round table once its agency loses meeting participation."""

from __future__ import annotations

from sqlalchemy import select

from tests.meetings.support import future, make_case, ready_meeting


async def test_feed_stops_when_participation_is_withdrawn(client, factory, sessionmaker):
    from w2.consent.models import Consent, ConsentRevocation
    from w2.meetings.partner_pages import feed_url

    case = await make_case(client, factory, sessionmaker, members=("vdab",))
    mid, _ = await ready_meeting(client, case)
    start = future(10)
    r = await client.post(f"/api/v1/meetings/{mid}/schedule", headers=case.coord.headers,
                          json={"starts_at": start.isoformat(), "ends_at": future(10, 11).isoformat(),
                                "location": "OCMW zaal 2"})
    assert r.status_code == 200, r.text
    vdab = case.members["vdab"]
    path = "/" + feed_url(vdab.user_id).split("://", 1)[1].split("/", 1)[1]
    before = await client.get(path)
    assert before.status_code == 200 and "OCMW zaal 2" in before.text
    async with sessionmaker() as s, s.begin():
        for c in await s.scalars(select(Consent).where(Consent.agency_id == vdab.agency_id,
                                                       Consent.purpose == "meeting_participation")):
            s.add(ConsentRevocation(consent_id=c.id, reason="test"))
    after = await client.get(path)
    assert after.status_code == 200 and "BEGIN:VEVENT" not in after.text and "OCMW zaal 2" not in after.text

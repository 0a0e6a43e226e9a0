"""Finding a moment: slots, answers via the API and via a personal signed link, ranking."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from tests.meetings.support import future, make_case, portal_vote, ready_meeting


async def _slot(client, case, mid, starts, ends, **extra):
    return await client.post(f"/api/v1/meetings/{mid}/slots",
                             json={"starts_at": starts.isoformat(), "ends_at": ends.isoformat(), **extra},
                             headers=case.coord.headers)


async def test_slot_validation(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    mid, _ = await ready_meeting(client, case)
    a = future(10, 9)
    r = await _slot(client, case, mid, a, a + timedelta(hours=1), location="OCMW, zaal 2")
    assert r.status_code == 201, r.text
    assert r.json()["rank"] == 1
    m = (await client.get(f"/api/v1/meetings/{mid}", headers=case.coord.headers)).json()
    assert m["status"] == "polling"
    # overlapping, past, reversed, naive, too long
    r = await _slot(client, case, mid, a + timedelta(minutes=30), a + timedelta(hours=2))
    assert r.status_code == 409 and r.json()["type"].endswith("slot-overlap")
    past = future(-2, 9)
    r = await _slot(client, case, mid, past, past + timedelta(hours=1))
    assert r.status_code == 422 and r.json()["errors"][0]["key"] == "starts_at"
    b = future(11, 14)
    r = await _slot(client, case, mid, b, b - timedelta(hours=1))
    assert r.status_code == 422 and r.json()["errors"][0]["key"] == "ends_at"
    r = await client.post(f"/api/v1/meetings/{mid}/slots",
                          json={"starts_at": b.replace(tzinfo=None).isoformat(),
                                "ends_at": (b + timedelta(hours=1)).replace(tzinfo=None).isoformat()},
                          headers=case.coord.headers)
    assert r.status_code == 422
    r = await _slot(client, case, mid, b, b + timedelta(hours=9))
    assert r.status_code == 422
    r = await client.get(f"/api/v1/meetings/{mid}/slots", headers=case.coord.headers)
    assert len(r.json()["items"]) == 1
    # adjacent is fine
    r = await _slot(client, case, mid, a + timedelta(hours=1), a + timedelta(hours=2))
    assert r.status_code == 201


async def test_votes_and_ranking(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker, members=("vdab", "caw"))
    mid, ids = await ready_meeting(client, case)
    s1 = (await _slot(client, case, mid, future(8, 9), future(8, 10))).json()["id"]
    s2 = (await _slot(client, case, mid, future(9, 9), future(9, 10))).json()["id"]
    s3 = (await _slot(client, case, mid, future(10, 9), future(10, 10))).json()["id"]

    async def vote(slot, who, answer, headers=None):
        return await client.post(f"/api/v1/meetings/{mid}/slots/{slot}/votes",
                                 json={"invitee_id": ids[who], "answer": answer},
                                 headers=headers or case.coord.headers)

    # s1: everyone yes but the job seeker says no; s2: yes, maybe, no; s3: yes, yes, maybe
    for who in ("coord", "vdab", "caw"):
        assert (await vote(s1, who, "yes")).status_code == 201
    assert (await vote(s1, "jobseeker", "no")).status_code == 201
    await vote(s2, "coord", "yes")
    await vote(s2, "vdab", "maybe")
    await vote(s2, "caw", "no")
    await vote(s3, "coord", "yes")
    await vote(s3, "jobseeker", "yes")
    # an invitee answers for themself; changing an answer replaces it
    vdab = case.members["vdab"]
    assert (await vote(s3, "vdab", "no", vdab.headers)).status_code == 201
    assert (await vote(s3, "vdab", "maybe", vdab.headers)).status_code == 201
    # but not for someone else
    assert (await vote(s3, "caw", "no", vdab.headers)).status_code == 403
    r = await client.get(f"/api/v1/meetings/{mid}/slots", headers=case.coord.headers)
    ranked = r.json()["items"]
    assert [x["id"] for x in ranked] == [s3, s2, s1]
    assert ranked[0] | {} == ranked[0] and (ranked[0]["yes"], ranked[0]["maybe"], ranked[0]["unanswered"]) == (2, 1, 1)
    assert ranked[2]["jobseeker_answer"] == "no"
    # unknown slot / invitee
    r = await vote(str(uuid.uuid4()), "coord", "yes")
    assert r.status_code == 404
    r = await client.post(f"/api/v1/meetings/{mid}/slots/{s1}/votes",
                          json={"invitee_id": str(uuid.uuid4()), "answer": "yes"}, headers=case.coord.headers)
    assert r.status_code == 404
    r = await vote(s1, "coord", "perhaps")
    assert r.status_code == 422


async def test_personal_link(client, factory, sessionmaker):
    from w2.meetings.poll import make_link_token
    from w2.platform.db.base import utcnow

    case = await make_case(client, factory, sessionmaker)
    mid, ids = await ready_meeting(client, case)
    s1 = (await _slot(client, case, mid, future(8, 9), future(8, 10), location="Stadhuis")).json()["id"]
    r = await client.get(f"/api/v1/meetings/{mid}/invitees/{ids['vdab']}/link", headers=case.coord.headers)
    assert r.status_code == 200
    url = r.json()["url"]
    token = url.rsplit("/", 1)[1]
    assert url.startswith("http://testserver.local/m/")

    r = await client.get(f"/api/v1/meeting-links/{token}")  # no account
    assert r.status_code == 200, r.text
    view = r.json()
    assert view["status"] == "polling" and view["slots"][0]["location"] == "Stadhuis"
    text = r.text
    assert "Begeleiding" not in text and "Afspraken" not in text and case.ws["jobseeker"]["family_name"] not in text
    r = await client.post(f"/api/v1/meeting-links/{token}", json={"votes": [{"slot_id": s1, "answer": "yes"}]})
    assert r.status_code == 200 and r.json()["slots"][0]["answer"] == "yes"
    slots = (await client.get(f"/api/v1/meetings/{mid}/slots", headers=case.coord.headers)).json()["items"]
    assert (slots[0]["yes"], slots[0]["jobseeker_answer"]) == (1, None)
    # The job seeker answers on their own portal, not through a link staff could hold.
    await portal_vote(client, sessionmaker, case.wid, mid, {s1: "yes"})
    slots = (await client.get(f"/api/v1/meetings/{mid}/slots", headers=case.coord.headers)).json()["items"]
    assert (slots[0]["yes"], slots[0]["jobseeker_answer"]) == (2, "yes")

    # forged: flip a character of the signature, or of the invitee
    forged = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    r = await client.post(f"/api/v1/meeting-links/{forged}", json={"votes": [{"slot_id": s1, "answer": "no"}]})
    assert r.status_code == 404
    # a professional's signature on a token naming the job seeker is worthless
    other = make_link_token(uuid.UUID(ids["jobseeker"]), utcnow() + timedelta(days=1)).split(".")[0] + "." + \
        token.split(".")[1]
    assert (await client.get(f"/api/v1/meeting-links/{other}")).status_code == 404
    assert (await client.get("/api/v1/meeting-links/garbage")).status_code == 404
    # expired
    expired = make_link_token(uuid.UUID(ids["vdab"]), utcnow() - timedelta(minutes=1))
    r = await client.post(f"/api/v1/meeting-links/{expired}", json={"votes": [{"slot_id": s1, "answer": "no"}]})
    assert r.status_code == 409 and r.json()["type"].endswith("link-expired")
    # nothing changed
    slots = (await client.get(f"/api/v1/meetings/{mid}/slots", headers=case.coord.headers)).json()["items"]
    assert slots[0]["yes"] == 2 and slots[0]["no"] == 0
    # a slot of another meeting is refused
    r = await client.post(f"/api/v1/meeting-links/{token}",
                          json={"votes": [{"slot_id": str(uuid.uuid4()), "answer": "no"}]})
    assert r.status_code == 404
    # a reply is only possible once scheduled
    r = await client.post(f"/api/v1/meeting-links/{token}", json={"rsvp": "accepted"})
    assert r.status_code == 409
    # a removed invitee's link stops working
    r = await client.delete(f"/api/v1/meetings/{mid}/invitees/{ids['vdab']}", headers=case.coord.headers)
    assert r.status_code == 200
    assert (await client.get(f"/api/v1/meeting-links/{token}")).status_code == 404


async def test_no_link_for_the_jobseeker(client, factory, sessionmaker):
    """Regression (DESIGN rule 10): staff never get the job seeker's answer link; confidants still do."""
    case = await make_case(client, factory, sessionmaker)
    mid, ids = await ready_meeting(client, case)
    await _slot(client, case, mid, future(8, 9), future(8, 10))
    r = await client.get(f"/api/v1/meetings/{mid}/invitees/{ids['jobseeker']}/link", headers=case.coord.headers)
    assert r.status_code == 409, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["type"].endswith("jobseeker-answers-themself") and "samen met de werkzoekende" in body["detail"]
    # nothing that is, or could be turned into, a personal link (payload.signature of the link tokens)
    seen = r.text + " ".join(f"{k}: {v}" for k, v in r.headers.items())
    assert "/m/" not in seen and "url" not in body and not re.search(r"[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}", seen)
    # a confidant without an account still gets their link to pass on
    conf = (await client.post(f"/api/v1/workspaces/{case.wid}/confidants", headers=case.coord.headers,
                              json={"name": "Buurvrouw Els", "relation": "buur"})).json()
    r = await client.post(f"/api/v1/meetings/{mid}/invitees", headers=case.coord.headers,
                          json={"kind": "confidant", "confidant_id": conf["id"]})
    assert r.status_code == 201, r.text
    r = await client.get(f"/api/v1/meetings/{mid}/invitees/{r.json()['id']}/link", headers=case.coord.headers)
    assert r.status_code == 200 and "/m/" in r.json()["url"]
    # nothing was answered in the job seeker's name
    slots = (await client.get(f"/api/v1/meetings/{mid}/slots", headers=case.coord.headers)).json()["items"]
    assert slots[0]["jobseeker_answer"] is None


async def test_link_page_without_account(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    mid, ids = await ready_meeting(client, case)
    s1 = (await _slot(client, case, mid, future(8, 9), future(8, 10, 30), location="Stadhuis")).json()["id"]
    url = (await client.get(f"/api/v1/meetings/{mid}/invitees/{ids['vdab']}/link",
                            headers=case.coord.headers)).json()["url"]
    path = url.removeprefix("http://testserver.local")
    r = await client.get(path)
    assert r.status_code == 200, r.text
    html = r.text
    assert "Stadhuis" in html and "09:00" in html and "10:30" in html
    for secret in ("Begeleiding", "Afspraken", case.ws["jobseeker"]["family_name"], case.coord.name):
        assert secret not in html
    token = re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)
    r = await client.post(path, data={"_csrf_token": token, f"slot_{s1}": "maybe"})
    assert r.status_code == 200, r.text
    assert "bewaard" in r.text
    slots = (await client.get(f"/api/v1/meetings/{mid}/slots", headers=case.coord.headers)).json()["items"]
    assert (slots[0]["maybe"], slots[0]["jobseeker_answer"]) == (1, None)
    # forged link: a page that says so, with 404
    r = await client.get(path[:-3] + "xyz")
    assert r.status_code == 404 and "niet geldig" in r.text


async def test_failed_poll_mail_never_shows_the_jobseeker_link_to_staff(client, factory, sessionmaker):
    """The job seeker's poll mail carries their link in the outbox row; the admin's failed list must not."""
    from sqlalchemy import select, update

    from w2.platform.outbox import OutboxMessage
    from w2.platform.tasks import deliver_one

    case = await make_case(client, factory, sessionmaker)
    admin = await factory.person(agency_id=case.coord.agency_id, roles=("agency_admin",))
    mid, _ = await ready_meeting(client, case)
    await _slot(client, case, mid, future(8, 9), future(8, 10))
    r = await client.post(f"/api/v1/meetings/{mid}/poll-invitations", json={}, headers=case.coord.headers)
    assert r.status_code == 202 and r.json()["sent"] >= 1, r.text
    async with sessionmaker() as s, s.begin():
        row = await s.scalar(select(OutboxMessage).where(
            OutboxMessage.kind == "meeting_poll", OutboxMessage.to_address == case.ws["jobseeker"]["email"],
            OutboxMessage.workspace_id == uuid.UUID(case.wid)))
        link, row_id = row.params["link"], row.id
        assert "/m/" in link  # the row does hold it: that is what must stay hidden
        # An address the mail server will refuse, so the real sender fails this one message.
        await s.execute(update(OutboxMessage).where(OutboxMessage.id == row_id).values(to_address="nobody@@x"))
    assert await deliver_one(sessionmaker, row_id) == "failed"
    token = link.rsplit("/", 1)[1]
    r = await client.get("/api/v1/outbox/failed", headers=admin.headers)
    assert r.status_code == 200 and str(row_id) in {i["id"] for i in r.json()["items"]}
    assert token not in r.text and "/m/" not in r.text and "params" not in r.text
    r = await client.post(f"/api/v1/outbox/{row_id}/retry", headers=admin.headers)
    assert r.status_code == 200 and token not in r.text and "/m/" not in r.text

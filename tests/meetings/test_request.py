"""Request, preparation, invitees and the job seeker's agreement."""

from __future__ import annotations

from tests.meetings.support import agree, future, grant, invite, make_case, new_meeting


async def test_request_and_prepare(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    vdab = case.members["vdab"]
    await grant(sessionmaker, case.wid, case.coord.agency_id, "information_sharing", ["other"])
    body = {"reason": "Zoektocht naar gepaste hulp", "goal": "Taken afbakenen",
            "requested_by": {"kind": "professional", "user_id": str(vdab.user_id)},
            "jobseeker_participation": "second_part", "practical_needs": ["childcare", "interpreter"],
            "interpreter_language": "Arabisch", "urgent_themes": "Woning te klein"}
    r = await client.post(f"/api/v1/workspaces/{case.wid}/meetings", json=body, headers=case.coord.headers)
    assert r.status_code == 201, r.text
    m = r.json()
    assert m["status"] == "requested"
    assert m["requested_by"] == {"kind": "professional", "user_id": str(vdab.user_id)}
    assert m["practical_needs"] == ["childcare", "interpreter"]
    # plain text is one theme per line, in the domain `other` (nobody chose another)
    assert [(u["text"], u["life_domain"]) for u in m["urgent_themes"]] == [("Woning te klein", "other")]

    r = await client.put(f"/api/v1/meetings/{m['id']}/preparation",
                         json={"jobseeker_informed": True, "prepared_with_user_id": str(vdab.user_id),
                               "thresholds": "Schrik voor veel mensen tegelijk"}, headers=case.coord.headers)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "preparing"
    assert r.json()["coordinator_user_id"] == str(case.coord.user_id)

    r = await client.get(f"/api/v1/workspaces/{case.wid}/meetings", headers=vdab.headers)
    assert r.status_code == 200 and r.json()["total"] == 1


async def test_request_by_member_professional_and_for_jobseeker(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    vdab = case.members["vdab"]
    r = await client.post(f"/api/v1/workspaces/{case.wid}/meetings",
                          json={"reason": "Hervalt", "goal": "Terug op weg", "requested_by": {"kind": "jobseeker"}},
                          headers=vdab.headers)
    assert r.status_code == 201, r.text
    assert r.json()["requested_by"]["kind"] == "jobseeker"
    assert r.json()["coordinator_user_id"] is None
    # only the coordinating agency's coordinator prepares it
    r2 = await client.put(f"/api/v1/meetings/{r.json()['id']}/preparation", json={"jobseeker_informed": True},
                          headers=vdab.headers)
    assert r2.status_code == 403


async def test_bad_request_input(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    url = f"/api/v1/workspaces/{case.wid}/meetings"
    base = {"reason": "x", "goal": "y", "requested_by": {"kind": "professional"}}
    r = await client.post(url, json={**base, "jobseeker_participation": "none"}, headers=case.coord.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["key"] == "non_participation_reason"
    stranger = await factory.person()
    r = await client.post(url, json={**base, "requested_by": {"kind": "professional",
                                                              "user_id": str(stranger.user_id)}},
                          headers=case.coord.headers)
    assert r.status_code == 422
    r = await client.post(url, json=base, headers=stranger.headers)
    assert r.status_code == 404
    r = await client.post(url, json={**base, "practical_needs": ["taxi"]}, headers=case.coord.headers)
    assert r.status_code == 422
    r = await client.get(url, headers=case.coord.headers)
    assert r.json()["total"] == 0


async def test_invitee_needs_participation_consent(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker, members=("vdab", "caw"), consent=("coord", "vdab"))
    m = await new_meeting(client, case)
    caw = case.members["caw"]
    r = await invite(client, case, m["id"], kind="professional", user_id=str(caw.user_id))
    assert r.status_code == 409, r.text
    body = r.json()
    assert body["missing_consent"]["agency_id"] == str(caw.agency_id)
    assert body["missing_consent"]["purpose"] == "meeting_participation"
    assert caw.agency_name in body["detail"] and "deelnemen aan het overleg" in body["detail"]
    assert "levensdomein" not in body["detail"]
    # the non-consented agency does not see the meeting at all
    r = await client.get(f"/api/v1/meetings/{m['id']}", headers=caw.headers)
    assert r.status_code == 404
    r = await client.get(f"/api/v1/workspaces/{case.wid}/meetings", headers=caw.headers)
    assert r.json()["total"] == 0
    # a consent for any life domain is enough
    await grant(sessionmaker, case.wid, caw.agency_id, "meeting_participation", ["housing"])
    r = await invite(client, case, m["id"], kind="professional", user_id=str(caw.user_id), address="Kerkstraat 1")
    assert r.status_code == 201, r.text
    assert r.json()["service"] == caw.agency_name and r.json()["address"] == "Kerkstraat 1"
    # an expired consent does not count
    other = await factory.person(roles=("worker",))
    await client.post(f"/api/v1/workspaces/{case.wid}/members",
                      json={"agency_id": str(other.agency_id), "question_type": "advies"}, headers=case.coord.headers)
    from datetime import date, timedelta

    await grant(sessionmaker, case.wid, other.agency_id, "meeting_participation", ["housing"],
                valid_until=date.today() - timedelta(days=2))
    r = await invite(client, case, m["id"], kind="professional", user_id=str(other.user_id))
    assert r.status_code == 409


async def test_invitee_rules(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    m = await new_meeting(client, case)
    mid = m["id"]
    stranger = await factory.person()
    r = await invite(client, case, mid, kind="professional", user_id=str(stranger.user_id))
    assert r.status_code == 422 and r.json()["errors"][0]["key"] == "user_id"
    r = await invite(client, case, mid, kind="professional")
    assert r.status_code == 422
    r = await invite(client, case, mid, kind="confidant", confidant_id=str(stranger.user_id))
    assert r.status_code == 422
    r = await client.post(f"/api/v1/workspaces/{case.wid}/confidants",
                          json={"name": "Buurvrouw Els", "relation": "buur", "email": "els@test.w2"},
                          headers=case.coord.headers)
    conf = r.json()
    r = await invite(client, case, mid, kind="confidant", confidant_id=conf["id"])
    assert r.status_code == 201 and r.json()["name"] == "Buurvrouw Els"
    r = await invite(client, case, mid, kind="jobseeker")
    assert r.status_code == 201 and r.json()["email"] == case.ws["jobseeker"]["email"]
    assert (await invite(client, case, mid, kind="jobseeker")).status_code == 409
    vdab = case.members["vdab"]
    assert (await invite(client, case, mid, kind="professional", user_id=str(vdab.user_id))).status_code == 201
    assert (await invite(client, case, mid, kind="professional", user_id=str(vdab.user_id))).status_code == 409
    # a member who is not the coordinator cannot invite
    r = await client.post(f"/api/v1/meetings/{mid}/invitees", json={"kind": "jobseeker"}, headers=vdab.headers)
    assert r.status_code == 403
    r = await client.get(f"/api/v1/meetings/{mid}", headers=case.coord.headers)
    assert [i["kind"] for i in r.json()["invitees"]] == ["confidant", "jobseeker", "professional"]
    assert r.json()["status"] == "preparing"


async def test_jobseeker_agreement_guards_scheduling(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    m = await new_meeting(client, case)
    mid = m["id"]
    await invite(client, case, mid, kind="jobseeker")
    sched = {"starts_at": future().isoformat(), "ends_at": future(hour=11).isoformat(), "location": "OCMW zaal 2"}
    r = await client.post(f"/api/v1/meetings/{mid}/schedule", json=sched, headers=case.coord.headers)
    assert r.status_code == 409 and r.json()["type"].endswith("jobseeker-agreement-missing")

    url = f"/api/v1/meetings/{mid}/jobseeker-agreement"
    r = await client.post(url, json={"method": "portal"}, headers=case.coord.headers)
    assert r.status_code == 422
    r = await client.post(url, json={"method": "verbal"}, headers=case.coord.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["key"] == "witness_user_id"
    vdab = case.members["vdab"]
    r = await client.post(url, json={"method": "verbal", "witness_user_id": str(vdab.user_id)},
                          headers=case.coord.headers)
    assert r.status_code == 200, r.text
    # the list changes: the agreement no longer covers it
    await invite(client, case, mid, kind="professional", user_id=str(vdab.user_id))
    r = await client.get(f"/api/v1/meetings/{mid}", headers=case.coord.headers)
    assert r.json()["jobseeker_agreement"]["current"] is False
    r = await client.post(f"/api/v1/meetings/{mid}/schedule", json=sched, headers=case.coord.headers)
    assert r.status_code == 409 and r.json()["type"].endswith("jobseeker-agreement-outdated")
    assert (await client.get(f"/api/v1/meetings/{mid}", headers=case.coord.headers)).json()["status"] == "preparing"
    await agree(client, case, mid)
    r = await client.post(f"/api/v1/meetings/{mid}/schedule", json=sched, headers=case.coord.headers)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "scheduled"


async def test_status_machine_refusals(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    m = await new_meeting(client, case)
    mid = m["id"]
    h = case.coord.headers
    sched = {"starts_at": future().isoformat(), "ends_at": future(hour=11).isoformat(), "location": "Zaal"}
    # requested: cannot schedule or add slots yet, and says why
    r = await client.post(f"/api/v1/meetings/{mid}/schedule", json=sched, headers=h)
    assert r.status_code == 409 and r.json()["status"] == "requested" if "status" in r.json() else True
    assert "voor" in r.json()["detail"]
    r = await client.post(f"/api/v1/meetings/{mid}/slots",
                          json={"starts_at": sched["starts_at"], "ends_at": sched["ends_at"]}, headers=h)
    assert r.status_code == 409
    r = await client.post(f"/api/v1/meetings/{mid}/finalize", json={}, headers=h)
    assert r.status_code == 409
    r = await client.post(f"/api/v1/meetings/{mid}/cancel", json={"reason": "niet meer nodig"}, headers=h)
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    for path, body in [("schedule", sched), ("cancel", {}), ("invitees", {"kind": "jobseeker"}),
                       ("jobseeker-agreement", {"method": "signed_form"})]:
        r = await client.post(f"/api/v1/meetings/{mid}/{path}", json=body, headers=h)
        assert r.status_code == 409, (path, r.text)
        assert "geannuleerd" in r.json()["detail"]
    r = await client.get(f"/api/v1/meetings/{mid}", headers=h)
    assert r.json()["status"] == "cancelled" and r.json()["invitees"] == []


async def test_jobseeker_agreement_is_append_only(client, factory, sessionmaker):
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    case = await make_case(client, factory, sessionmaker)
    m = await new_meeting(client, case)
    await agree(client, case, m["id"])
    for sql in ("UPDATE meeting_jobseeker_agreement SET method = 'portal' WHERE meeting_id = CAST(:m AS uuid)",
                "DELETE FROM meeting_jobseeker_agreement WHERE meeting_id = CAST(:m AS uuid)"):
        with pytest.raises(DBAPIError):
            async with sessionmaker() as s, s.begin():
                await s.execute(text(sql), {"m": m["id"]})


async def test_the_requesting_coordinator_can_be_invited_at_once_and_take_themself_off(client, factory,
                                                                                       sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    h = case.coord.headers
    plain = await new_meeting(client, case)
    assert (await client.get(f"/api/v1/meetings/{plain['id']}", headers=h)).json()["invitees"] == []
    m = await new_meeting(client, case, invite_coordinator=True)
    invitees = (await client.get(f"/api/v1/meetings/{m['id']}", headers=h)).json()["invitees"]
    assert [(i["kind"], i["user_id"]) for i in invitees] == [("professional", str(case.coord.user_id))]
    r = await client.delete(f"/api/v1/meetings/{m['id']}/invitees/{invitees[0]['id']}", headers=h)
    assert r.status_code == 200, r.text
    assert (await client.get(f"/api/v1/meetings/{m['id']}", headers=h)).json()["invitees"] == []
    # without meeting_participation for the coordinator's own agency nobody is put on the list
    bare = await make_case(client, factory, sessionmaker, consent=())
    m = await new_meeting(client, bare, invite_coordinator=True)
    assert (await client.get(f"/api/v1/meetings/{m['id']}", headers=bare.coord.headers)).json()["invitees"] == []

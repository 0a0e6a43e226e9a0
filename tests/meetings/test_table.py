"""At the table: attendance, consent-gated notes per life domain, finalize and the frozen report."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import select

from tests.meetings.support import BXL, finalize, grant, make_case, ready_meeting


async def _schedule(client, case, mid, days=6):
    d = datetime.now(BXL).date() + timedelta(days=days)
    r = await client.post(f"/api/v1/meetings/{mid}/schedule", headers=case.coord.headers,
                          json={"starts_at": datetime(d.year, d.month, d.day, 14, tzinfo=BXL).isoformat(),
                                "ends_at": datetime(d.year, d.month, d.day, 15, 30, tzinfo=BXL).isoformat(),
                                "location": "OCMW"})
    assert r.status_code == 200, r.text


async def test_notes_are_consent_gated(client, factory, sessionmaker):
    from w2.consent.models import AccessLogEntry

    case = await make_case(client, factory, sessionmaker, members=("vdab", "jrb", "caw"),
                           consent=("coord", "vdab", "jrb"))
    coord, vdab, jrb, caw = case.coord, case.members["vdab"], case.members["jrb"], case.members["caw"]
    await grant(sessionmaker, case.wid, coord.agency_id, "information_sharing", ["finances", "housing", "parenting"])
    await grant(sessionmaker, case.wid, vdab.agency_id, "information_sharing", ["work_training", "housing"])
    await grant(sessionmaker, case.wid, caw.agency_id, "information_sharing", ["housing"])  # but no participation
    mid, ids = await ready_meeting(client, case, invited=("coord", "vdab", "jrb"))
    # not before the meeting is scheduled
    r = await client.put(f"/api/v1/meetings/{mid}/notes/housing", json={"information": "x"}, headers=coord.headers)
    assert r.status_code == 409
    await _schedule(client, case, mid)

    async def note(who, domain, text):
        return await client.put(f"/api/v1/meetings/{mid}/notes/{domain}", json={"information": text},
                                headers=who.headers)

    assert (await note(coord, "housing", "Gezin van 7 in 2 kamers")).status_code == 200
    assert (await note(coord, "finances", "Laag inkomen")).status_code == 200
    assert (await note(vdab, "work_training", "Zoon van 18 zoekt werk")).status_code == 200
    # a writer without consent for the domain is refused, naming what is missing
    r = await note(jrb, "parenting", "Kinderen spijbelen")
    assert r.status_code == 409 and r.json()["missing_consent"]["life_domain"] == "parenting"
    assert (await note(coord, "parenting", "Schoolbezoek is voorwaarde")).status_code == 200
    assert (await note(coord, "nonsense", "x")).status_code == 422
    # updating replaces
    assert (await note(coord, "housing", "Gezin van 7 in 2 kamers; afspraak huurdersbond")).status_code == 200

    async def seen(who):
        r = await client.get(f"/api/v1/meetings/{mid}", headers=who.headers)
        return r.status_code, {n["life_domain"]: n["information"] for n in r.json().get("notes", [])}

    assert await seen(coord) == (200, {"finances": "Laag inkomen", "parenting": "Schoolbezoek is voorwaarde",
                                       "housing": "Gezin van 7 in 2 kamers; afspraak huurdersbond"})
    assert await seen(vdab) == (200, {"housing": "Gezin van 7 in 2 kamers; afspraak huurdersbond",
                                      "work_training": "Zoon van 18 zoekt werk"})
    assert await seen(jrb) == (200, {})  # takes part, but may read no domain
    status, _ = await seen(caw)
    assert status == 404  # not a participant: sees nothing of the meeting
    # a coordinator-role user of a non-member agency sees nothing either
    outsider = await factory.person()
    assert (await seen(outsider))[0] == 404
    # reads and the refused write are in the access log
    async with sessionmaker() as s:
        rows = list(await s.scalars(select(AccessLogEntry).where(AccessLogEntry.resource_id == mid)))
    reads = {(r.agency_id, r.life_domain) for r in rows if r.action == "read"}
    assert (vdab.agency_id, "work_training") in reads and (vdab.agency_id, "finances") not in reads
    assert any(r.outcome == "denied" and r.agency_id == jrb.agency_id for r in rows)
    assert not any(r.agency_id == caw.agency_id for r in rows)


async def test_attendance_finalize_and_report(client, factory, sessionmaker):
    from w2.meetings.agreements.models import Agreement
    from w2.meetings.models import MeetingReportVersion
    from w2.meetings.round_table import meetings_starting_between, report_data

    case = await make_case(client, factory, sessionmaker, members=("vdab",), given_name="Mira", family_name="Test")
    coord, vdab = case.coord, case.members["vdab"]
    await grant(sessionmaker, case.wid, coord.agency_id, "information_sharing", ["finances"])
    mid, ids = await ready_meeting(client, case)
    r = await client.put(f"/api/v1/meetings/{mid}/preparation", headers=coord.headers,
                         json={"urgent_themes": [{"text": "Werkvergunning partner", "life_domain": "finances"}],
                               "partner_name": "Ali", "children_names": ["Sam", "Noor"],
                               "prepared_with_user_id": str(vdab.user_id)})
    assert r.status_code == 200, r.text
    # attendance and finalize need a scheduled meeting
    body = {"items": [{"invitee_id": ids["coord"], "attendance": "present"}]}
    assert (await client.put(f"/api/v1/meetings/{mid}/attendance", json=body, headers=coord.headers)).status_code == 409
    await _schedule(client, case, mid, days=3)
    async with sessionmaker() as s:
        now = datetime.now(BXL)
        found = await meetings_starting_between(s, now, now + timedelta(days=4))
        assert (uuid.UUID(mid), uuid.UUID(case.wid)) in found
        assert (uuid.UUID(mid), uuid.UUID(case.wid)) not in await meetings_starting_between(
            s, now, now + timedelta(days=1))
    r = await client.post(f"/api/v1/meetings/{mid}/finalize", json={}, headers=coord.headers)
    assert r.status_code == 409 and "aanwezig" in r.json()["detail"]
    r = await client.put(f"/api/v1/meetings/{mid}/attendance", headers=coord.headers,
                         json={"items": [{"invitee_id": str(uuid.uuid4()), "attendance": "present"}]})
    assert r.status_code == 404
    r = await client.put(f"/api/v1/meetings/{mid}/attendance", headers=coord.headers,
                         json={"items": [{"invitee_id": ids["coord"], "attendance": "late"}]})
    assert r.status_code == 422
    r = await client.put(f"/api/v1/meetings/{mid}/attendance", headers=coord.headers, json={"items": [
        {"invitee_id": ids["coord"], "attendance": "present"}, {"invitee_id": ids["vdab"], "attendance": "excused"}]})
    assert r.status_code == 200 and r.json()["status"] == "held"
    # the job seeker's attendance is still missing
    r = await client.post(f"/api/v1/meetings/{mid}/finalize", json={}, headers=coord.headers)
    assert r.status_code == 409 and r.json()["type"].endswith("attendance-missing")
    await client.put(f"/api/v1/meetings/{mid}/attendance", headers=coord.headers,
                     json={"items": [{"invitee_id": ids["jobseeker"], "attendance": "present"}]})
    await client.put(f"/api/v1/meetings/{mid}/notes/finances", json={"information": "Laag inkomen"},
                     headers=coord.headers)
    async with sessionmaker() as s, s.begin():
        s.add(Agreement(workspace_id=uuid.UUID(case.wid), life_domain="finances", description="Papieren in orde",
                        owner_kind="agency", owner_agency_id=coord.agency_id, due_date=date.today() + timedelta(30),
                        meeting_id=uuid.UUID(mid)))
    # content in a domain the coordinator's own agency may not read still belongs in the report
    await grant(sessionmaker, case.wid, vdab.agency_id, "information_sharing", ["work_training"])
    r = await client.put(f"/api/v1/meetings/{mid}/notes/work_training", json={"information": "Zoon zoekt werk"},
                         headers=vdab.headers)
    assert r.status_code == 200, r.text
    r = await client.post(f"/api/v1/workspaces/{case.wid}/agreements", headers=vdab.headers, json={
        "life_domain": "work_training", "description": "Zoon begeleiden naar werk", "meeting_id": mid,
        "owner": {"kind": "agency", "agency_id": str(vdab.agency_id)}})
    assert r.status_code == 201, r.text
    r = await finalize(client, sessionmaker, mid, coord.headers, follow_up_date=str(date.today()))
    assert r.status_code == 422
    follow = date.today() + timedelta(days=42)
    r = await client.post(f"/api/v1/meetings/{mid}/finalize", json={"follow_up_date": str(follow)},
                          headers=coord.headers)
    assert r.status_code == 202, r.text
    assert r.json() == {"id": mid, "status": "finalized", "report_version": 1, "follow_up_date": str(follow)}
    # frozen: no more notes, attendance, finalize or cancel
    assert (await client.put(f"/api/v1/meetings/{mid}/notes/finances", json={"information": "later"},
                             headers=coord.headers)).status_code == 409
    assert (await client.put(f"/api/v1/meetings/{mid}/attendance", json=body, headers=coord.headers)).status_code == 409
    assert (await client.post(f"/api/v1/meetings/{mid}/finalize", json={}, headers=coord.headers)).status_code == 409
    assert (await client.post(f"/api/v1/meetings/{mid}/cancel", json={}, headers=coord.headers)).status_code == 409
    async with sessionmaker() as s:
        row = await s.scalar(select(MeetingReportVersion).where(MeetingReportVersion.meeting_id == uuid.UUID(mid)))
        live = await report_data(s, uuid.UUID(mid))
    c = row.content
    assert c["domains"] == live["domains"] and c["invitees"] == live["invitees"]
    assert c["coordinator"]["name"] == coord.name and c["jobseeker"]["name"] == "Mira Test"
    assert c["partner_name"] == "Ali" and c["children_names"] == ["Sam", "Noor"]
    assert c["requester"]["name"] == coord.name and c["reason"] and c["goal"]
    assert c["preparation"]["prepared_with"]["name"] == vdab.name
    assert c["preparation"]["jobseeker_agreement"]["method"] == "signed_form"
    assert c["urgent_themes"] == [{"text": "Werkvergunning partner", "life_domain": "finances"}]
    assert [d["code"] for d in c["domains"]][:2] == ["finances", "work_training"] and len(c["domains"]) == 12
    fin = c["domains"][0]
    assert fin["information"] == "Laag inkomen"
    assert fin["agreements"][0]["description"] == "Papieren in orde"
    assert fin["agreements"][0]["owner_name"] == coord.agency_name
    work = c["domains"][1]
    assert work["information"] == "Zoon zoekt werk"
    assert work["agreements"][0]["description"] == "Zoon begeleiden naar werk"
    # the coordinator still reads only their own domains through the API
    notes = (await client.get(f"/api/v1/meetings/{mid}", headers=coord.headers)).json()["notes"]
    assert [n["life_domain"] for n in notes] == ["finances"]
    att = {i["name"]: i["attendance"] for i in c["invitees"]}
    assert att[vdab.name] == "excused" and att["Mira Test"] == "present"
    vd = next(i for i in c["invitees"] if i["name"] == vdab.name)
    assert vd["service"] == vdab.agency_name and vd["email"] == vdab.email
    assert c["follow_up_date"] == str(follow)


async def test_row_level_security_behind_the_policy(client, factory, sessionmaker, settings_env):
    """A query that forgets the policy still returns only consented notes (PostgreSQL RLS, app role)."""
    from sqlalchemy import text

    from w2.platform.db.engine import make_engine

    case = await make_case(client, factory, sessionmaker, members=("vdab", "caw"), consent=("coord", "vdab"))
    coord, vdab, caw = case.coord, case.members["vdab"], case.members["caw"]
    await grant(sessionmaker, case.wid, coord.agency_id, "information_sharing", ["finances", "housing"])
    await grant(sessionmaker, case.wid, vdab.agency_id, "information_sharing", ["housing"])
    mid, ids = await ready_meeting(client, case, invited=("coord", "vdab"))
    await _schedule(client, case, mid)
    for domain in ("finances", "housing"):
        r = await client.put(f"/api/v1/meetings/{mid}/notes/{domain}", json={"information": domain},
                             headers=coord.headers)
        assert r.status_code == 200
    engine = make_engine(settings_env["W2_DATABASE_URL"], pooled=False)

    async def raw(person, sql):
        async with engine.connect() as conn, conn.begin():
            if person is not None:
                from w2.platform.db.scope import ENTER_SQL, enter_params, fetch_key

                scope = {"actor_kind": "staff", "agency_id": str(person.agency_id), "platform_admin": "0"}
                await conn.execute(text(ENTER_SQL), enter_params(await fetch_key(engine.url), scope))
            return sorted(r[0] for r in await conn.execute(text(sql), {"m": mid}))

    try:
        notes = "SELECT life_domain FROM meeting_note WHERE meeting_id = CAST(:m AS uuid)"
        assert await raw(coord, notes) == ["finances", "housing"]
        assert await raw(vdab, notes) == ["housing"]
        assert await raw(caw, notes) == []
        assert await raw(None, notes) == []
        await client.put(f"/api/v1/meetings/{mid}/attendance", headers=coord.headers, json={"items": [
            {"invitee_id": i, "attendance": "present"} for i in ids.values()]})
        r = await finalize(client, sessionmaker, mid, coord.headers)
        assert r.status_code == 202
        reports = "SELECT version FROM meeting_report_version WHERE meeting_id = CAST(:m AS uuid)"
        assert await raw(vdab, reports) == [1]
        assert await raw(await factory.person(), reports) == []
        assert await raw(None, reports) == []
    finally:
        await engine.dispose()


async def test_report_data_is_complete_whoever_asks(client, factory, sessionmaker):
    """Called inside a staff request's transaction, report_data still holds every domain (RLS system scope)."""
    from w2.meetings.round_table import report_data
    from w2.platform.db.engine import make_engine, make_sessionmaker

    case = await make_case(client, factory, sessionmaker, members=("vdab",))
    coord, vdab = case.coord, case.members["vdab"]
    await grant(sessionmaker, case.wid, coord.agency_id, "information_sharing", ["finances"])
    await grant(sessionmaker, case.wid, vdab.agency_id, "information_sharing", ["housing"])
    mid, _ = await ready_meeting(client, case, invited=("coord", "vdab"))
    await _schedule(client, case, mid)
    for who, domain in ((coord, "finances"), (vdab, "housing")):
        r = await client.put(f"/api/v1/meetings/{mid}/notes/{domain}", json={"information": domain},
                             headers=who.headers)
        assert r.status_code == 200
    import os

    engine = make_engine(os.environ["W2_DATABASE_URL"], pooled=False)
    try:
        sm = make_sessionmaker(engine)
        async with sm() as s, s.begin():
            s.info["rls"] = {"actor_kind": "staff", "agency_id": str(coord.agency_id), "platform_admin": "0"}
            data = await report_data(s, uuid.UUID(mid))
            from sqlalchemy import text

            after = await s.scalar(text("SELECT current_setting('w2.actor_kind', true)"))
        assert {d["code"]: d["information"] for d in data["domains"] if d["information"]} == {
            "finances": "finances", "housing": "housing"}
        assert after == "staff"  # the scope is given back
    finally:
        await engine.dispose()

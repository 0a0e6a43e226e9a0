"""The follow-up loop and a coordinator per meeting, through the API."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select

from tests.meetings.support import agree, finalize, grant, make_case, ready_meeting
from tests.meetings.test_table import _schedule
from tests.reports.pdfutil import pdf_text


async def _agreement(client, case, mid, who, domain, text):
    r = await client.post(f"/api/v1/workspaces/{case.wid}/agreements", headers=who.headers, json={
        "life_domain": domain, "description": text, "meeting_id": mid,
        "owner": {"kind": "agency", "agency_id": str(who.agency_id)},
        "due_date": (date.today() + timedelta(days=20)).isoformat()})
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _hold_and_finalize(client, sessionmaker, case, mid, ids):
    coord = case.coord
    r = await client.put(f"/api/v1/meetings/{mid}/attendance", headers=coord.headers, json={
        "items": [{"invitee_id": i, "attendance": "present"} for i in ids.values()]})
    assert r.status_code == 200, r.text
    r = await finalize(client, sessionmaker, mid, coord.headers,
                       follow_up_date=(date.today() + timedelta(days=40)).isoformat())
    assert r.status_code == 202, r.text


async def test_follow_up_carries_open_agreements_and_proposes_the_same_invitees(client, factory, sessionmaker):
    from w2.meetings.models import MeetingReportVersion
    from w2.reports.render import get_renderer
    from w2.reports.versions import content_from_report_data

    case = await make_case(client, factory, sessionmaker, members=("vdab", "jrb"))
    coord, vdab, jrb = case.coord, case.members["vdab"], case.members["jrb"]
    await grant(sessionmaker, case.wid, coord.agency_id, "information_sharing", ["finances"])
    await grant(sessionmaker, case.wid, vdab.agency_id, "information_sharing", ["work_training"])
    mid, ids = await ready_meeting(client, case)
    await _schedule(client, case, mid, days=2)
    fin_open = await _agreement(client, case, mid, coord, "finances", "Papieren in orde brengen")
    fin_done = await _agreement(client, case, mid, coord, "finances", "Leefloon aanvragen")
    work_open = await _agreement(client, case, mid, vdab, "work_training", "Zoon begeleiden naar werk")
    r = await client.patch(f"/api/v1/agreements/{fin_done}", headers=coord.headers, json={"status": "done"})
    assert r.status_code == 200, r.text
    # not before the meeting is finalized, and only by its coordinator
    r = await client.post(f"/api/v1/meetings/{mid}/follow-up", headers=coord.headers, json={})
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    await _hold_and_finalize(client, sessionmaker, case, mid, ids)
    r = await client.post(f"/api/v1/meetings/{mid}/follow-up", headers=vdab.headers, json={})
    assert r.status_code == 403
    r = await client.post(f"/api/v1/meetings/{mid}/follow-up", headers=coord.headers, json={"x": 1})
    assert r.status_code in (400, 422)

    r = await client.post(f"/api/v1/meetings/{mid}/follow-up", headers=coord.headers, json={})
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["status"] == "requested" and new["follow_up_of"] == mid
    assert new["carried_agreements"] == [fin_open]  # the coordinator reads finances only; the done one stays behind
    assert new["coordinator_user_id"] == str(coord.user_id)
    assert new["jobseeker_agreement"] is None  # the job seeker agrees to the list again
    old = {(i["kind"], i["user_id"]) for i in (await client.get(f"/api/v1/meetings/{mid}",
                                                                headers=coord.headers)).json()["invitees"]}
    assert {(i["kind"], i["user_id"]) for i in new["invitees"]} == old
    assert not any(i["invited"] for i in new["invitees"])  # proposed, nobody mailed yet
    # linked both ways; each agency sees only the carried agreements it may read
    r = await client.get(f"/api/v1/meetings/{mid}", headers=coord.headers)
    assert r.json()["follow_ups"] == [new["id"]]
    assert (await client.get(f"/api/v1/meetings/{new['id']}", headers=vdab.headers)).json()[
        "carried_agreements"] == [work_open]
    assert (await client.get(f"/api/v1/meetings/{new['id']}", headers=jrb.headers)).json()[
        "carried_agreements"] == []
    # one follow-up per meeting
    r = await client.post(f"/api/v1/meetings/{mid}/follow-up", headers=coord.headers, json={})
    assert r.status_code == 409 and r.json()["follow_up_id"] == new["id"]

    # the follow-up meeting: "Wat is er verbeterd?" per domain, then the verslag shows it with the carried ones
    nid = new["id"]
    await agree(client, case, nid)
    await _schedule(client, case, nid, days=5)
    r = await client.put(f"/api/v1/meetings/{mid}/notes/finances", headers=coord.headers,
                         json={"improved": "x"})
    assert r.status_code == 409  # the first meeting is closed
    r = await client.put(f"/api/v1/meetings/{nid}/notes/finances", headers=coord.headers,
                         json={"improved": "De papieren zijn bijna in orde."})
    assert r.status_code == 200 and r.json()["improved"] == "De papieren zijn bijna in orde."
    r = await client.put(f"/api/v1/meetings/{nid}/notes/finances", headers=coord.headers, json={"title": "x"})
    assert r.status_code == 422  # only "Ander thema" has a name
    r = await client.put(f"/api/v1/meetings/{nid}/notes/finances", headers=coord.headers, json={})
    assert r.status_code == 422
    await _agreement(client, case, nid, coord, "finances", "Budgetbegeleiding starten")
    new_ids = {i["kind"] + (i["user_id"] or ""): i["id"] for i in new["invitees"]}
    await _hold_and_finalize(client, sessionmaker, case, nid, new_ids)
    async with sessionmaker() as s:
        row = await s.scalar(select(MeetingReportVersion).where(MeetingReportVersion.meeting_id == uuid.UUID(nid)))
    fin = next(d for d in row.content["domains"] if d["code"] == "finances")
    assert fin["improved"] == "De papieren zijn bijna in orde."
    assert [a["id"] for a in fin["carried"]] == [fin_open]
    work = next(d for d in row.content["domains"] if d["code"] == "work_training")
    assert [a["id"] for a in work["carried"]] == [work_open]
    text = pdf_text(get_renderer().report(content_from_report_data(row.content), allowed={"finances"},
                                          recipient=None))
    at = [text.index(x) for x in ("Opvolging van het overleg van", "Financiën", "Wat is er verbeterd?",
                                  "De papieren zijn bijna in orde.", "Afspraken van het vorige overleg",
                                  "Papieren in orde brengen", "Budgetbegeleiding starten")]
    assert at == sorted(at)
    assert "Zoon begeleiden naar werk" not in text  # carried, but in a domain this copy does not hold


async def test_coordinator_handover(client, factory, sessionmaker):
    from w2.meetings.models import MeetingCoordinatorChange
    from w2.platform.outbox import OutboxMessage

    case = await make_case(client, factory, sessionmaker, members=("vdab", "caw"), consent=("coord", "vdab"))
    coord, vdab, caw = case.coord, case.members["vdab"], case.members["caw"]
    mid, _ = await ready_meeting(client, case, invited=("coord", "vdab"))
    url = f"/api/v1/meetings/{mid}/coordinator"
    # only the coordinator hands over; only to a member agency that may take part
    assert (await client.put(url, headers=vdab.headers, json={"user_id": str(vdab.user_id)})).status_code == 403
    r = await client.put(url, headers=coord.headers, json={"user_id": str(caw.user_id)})
    assert r.status_code == 409 and r.json()["missing_consent"]["purpose"] == "meeting_participation"
    outsider = await factory.person()
    assert (await client.put(url, headers=coord.headers, json={"user_id": str(outsider.user_id)})).status_code == 422
    assert (await client.put(url, headers=coord.headers, json={})).status_code in (400, 422)

    r = await client.put(url, headers=coord.headers, json={"user_id": str(vdab.user_id)})
    assert r.status_code == 200, r.text
    assert r.json()["coordinator_user_id"] == str(vdab.user_id)
    # both see the handover on the meeting
    for who in (coord, vdab):
        hist = (await client.get(f"/api/v1/meetings/{mid}", headers=who.headers)).json()["coordinator_history"]
        assert [(h["from_user_id"], h["to_user_id"], h["by_user_id"]) for h in hist] == [
            (str(coord.user_id), str(vdab.user_id), str(coord.user_id))]
    # the new coordinator coordinates; the workspace keeps its coordinating agency
    r = await client.put(f"/api/v1/meetings/{mid}/preparation", headers=vdab.headers,
                         json={"started_because": "De zoektocht naar werk zit vast."})
    assert r.status_code == 200, r.text
    assert r.json()["started_because"] is None  # written, but vdab may not read `other`
    body = (await client.get(f"/api/v1/meetings/{mid}", headers=coord.headers)).json()
    assert body["started_because"] is None  # the coordinating agency holds no `other` either
    await grant(sessionmaker, case.wid, coord.agency_id, "information_sharing", ["other"])
    body = (await client.get(f"/api/v1/meetings/{mid}", headers=coord.headers)).json()
    assert body["started_because"] == "De zoektocht naar werk zit vast."
    ws = (await client.get(f"/api/v1/workspaces/{case.wid}", headers=vdab.headers)).json()
    assert ws["coordinating_agency_id"] == str(coord.agency_id)
    assert (await client.put(url, headers=vdab.headers, json={"user_id": str(vdab.user_id)})).status_code == 409
    # logged, and both are told (a link, no case content)
    async with sessionmaker() as s:
        changes = list(await s.scalars(select(MeetingCoordinatorChange).where(
            MeetingCoordinatorChange.meeting_id == uuid.UUID(mid))))
        mails = list(await s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "meeting_handover")))
    assert len(changes) == 1
    assert {m.to_address for m in mails if str(mid) in (m.params or {}).get("link", "")} == {coord.email, vdab.email}


async def test_urgent_themes_are_read_per_life_domain(client, factory, sessionmaker):
    from w2.consent.models import AccessLogEntry

    case = await make_case(client, factory, sessionmaker, members=("vdab", "jrb"))
    coord, vdab, jrb = case.coord, case.members["vdab"], case.members["jrb"]
    await grant(sessionmaker, case.wid, coord.agency_id, "information_sharing", ["housing", "finances", "other"])
    await grant(sessionmaker, case.wid, vdab.agency_id, "information_sharing", ["housing"])
    mid, _ = await ready_meeting(client, case)
    url = f"/api/v1/meetings/{mid}/preparation"
    themes = [{"text": "Te kleine woning", "life_domain": "housing"}, {"text": "Laag inkomen", "life_domain": "finances"},
              {"text": "Rijbewijs halen"}]
    r = await client.put(url, headers=coord.headers, json={"urgent_themes": themes, "strengths": "Zorgt goed"})
    assert r.status_code == 200, r.text
    assert [(u["text"], u["life_domain"]) for u in r.json()["urgent_themes"]] == [
        ("Te kleine woning", "housing"), ("Laag inkomen", "finances"), ("Rijbewijs halen", "other")]
    seen = {}
    for name, who in (("vdab", vdab), ("jrb", jrb)):
        body = (await client.get(f"/api/v1/meetings/{mid}", headers=who.headers)).json()
        seen[name] = ([u["text"] for u in body["urgent_themes"]], body["strengths"])
    assert seen == {"vdab": (["Te kleine woning"], None), "jrb": ([], None)}  # jrb: participation only
    # a writer may not file a theme in a domain it holds no consent for; nothing changes
    r = await client.put(url, headers=vdab.headers, json={"urgent_themes": [{"text": "x", "life_domain": "health"}]})
    assert r.status_code in (403, 409)
    bad = await client.put(url, headers=coord.headers, json={"urgent_themes": [{"text": "x", "life_domain": "moon"}]})
    assert bad.status_code == 422
    r = await client.put(url, headers=coord.headers,
                         json={"urgent_themes": [{"text": "y", "life_domain": "health"}]})
    assert r.status_code == 409 and r.json()["missing_consent"]["life_domain"] == "health"
    body = (await client.get(f"/api/v1/meetings/{mid}", headers=coord.headers)).json()
    assert len(body["urgent_themes"]) == 3 and body["strengths"] == "Zorgt goed"
    async with sessionmaker() as s:
        rows = list(await s.scalars(select(AccessLogEntry).where(AccessLogEntry.resource_type == "urgent_theme",
                                                                 AccessLogEntry.resource_id == mid)))
    assert {(r.agency_id, r.life_domain) for r in rows if r.action == "read"} >= {(vdab.agency_id, "housing")}
    assert not any(r.agency_id == jrb.agency_id for r in rows if r.action == "read")

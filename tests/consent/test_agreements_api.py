"""Agreements through the API: consent-gated create, lists, detail, patch, revocation biting at once."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from tests.consent.helpers import add_agreement, grant, make_case, revoke


async def test_create_needs_consent_for_owner_and_creator(client, factory):
    case = await make_case(client, factory, partners=1)
    p = case.partners[0]
    # The coordinating agency itself has no consent yet: no role bypasses consent.
    r = await add_agreement(client, case, "housing", case.coord.agency_id, expect=409)
    assert r["missing_consent"] == {"agency_id": str(case.coord.agency_id), "agency_name": case.coord.agency_name,
                                    "purpose": "information_sharing", "life_domain": "housing"}
    await grant(client, case, case.coord.agency_id, ["housing"])
    r = await add_agreement(client, case, "housing", p.agency_id, expect=409)
    assert r["missing_consent"]["agency_id"] == str(p.agency_id)
    assert p.agency_name in r["detail"] and "Huisvesting" in r["detail"]
    await grant(client, case, p.agency_id, ["housing"])
    a = await add_agreement(client, case, "housing", p.agency_id, due_date=(date.today() + timedelta(7)).isoformat())
    assert a["status"] == "open" and a["owner"] == {"kind": "agency", "agency_id": str(p.agency_id),
                                                    "user_id": None, "confidant_id": None}
    r = await client.post(f"/api/v1/workspaces/{case.wid}/agreements", headers=case.coord.headers, json={
        "life_domain": "astrology", "description": "x", "owner": {"kind": "jobseeker"}})
    assert r.status_code == 422 and r.json()["errors"][0]["key"] == "life_domain"


async def test_reads_follow_consent_and_revocation_bites_next_request(client, factory):
    case = await make_case(client, factory, partners=2)
    p, q = case.partners
    await grant(client, case, case.coord.agency_id, ["housing", "health"])
    cp = await grant(client, case, p.agency_id, ["housing"])
    a = await add_agreement(client, case, "housing", p.agency_id)
    b = await add_agreement(client, case, "health", case.coord.agency_id)

    async def seen(person) -> tuple[set[str], set[str], int]:
        r1 = await client.get(f"/api/v1/workspaces/{case.wid}/agreements", headers=person.headers)
        r2 = await client.get("/api/v1/agreements", headers=person.headers)
        r3 = await client.get(f"/api/v1/agreements/{a['id']}", headers=person.headers)
        assert r1.status_code == 200 and r2.status_code == 200
        return {i["id"] for i in r1.json()["items"]}, {i["id"] for i in r2.json()["items"]}, r3.status_code

    assert await seen(case.coord) == ({a["id"], b["id"]}, {a["id"], b["id"]}, 200)
    assert await seen(p) == ({a["id"]}, {a["id"]}, 200)
    assert await seen(q) == (set(), set(), 404)  # a member without consent sees nothing
    await revoke(client, case, cp["id"])
    assert await seen(p) == (set(), set(), 404)
    r = await client.patch(f"/api/v1/agreements/{a['id']}", json={"status": "done"}, headers=p.headers)
    assert r.status_code == 404
    outsider = await factory.person()
    r = await client.get(f"/api/v1/workspaces/{case.wid}/agreements", headers=outsider.headers)
    assert r.status_code == 404


async def test_patch_status_note_due_and_reassign(client, factory):
    case = await make_case(client, factory, partners=2)
    p, q = case.partners
    await grant(client, case, case.coord.agency_id, ["finances"])
    await grant(client, case, p.agency_id, ["finances"])
    a = await add_agreement(client, case, "finances", p.agency_id)
    r = await client.patch(f"/api/v1/agreements/{a['id']}", headers=p.headers,
                           json={"status": "in_progress", "note": "Eerste gesprek gehad."})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "in_progress"
    assert body["notes"][0]["note"] == "Eerste gesprek gehad." and body["notes"][0]["author_user_id"] == str(p.user_id)
    r = await client.patch(f"/api/v1/agreements/{a['id']}", headers=p.headers, json={"due_date": "2030-01-02"})
    assert r.json()["due_date"] == "2030-01-02" and len(r.json()["notes"]) == 1
    r = await client.patch(f"/api/v1/agreements/{a['id']}", headers=p.headers, json={"due_date": None})
    assert r.json()["due_date"] is None
    r = await client.patch(f"/api/v1/agreements/{a['id']}", headers=case.coord.headers,
                           json={"owner": {"kind": "agency", "agency_id": str(q.agency_id)}})
    assert r.status_code == 409 and r.json()["missing_consent"]["agency_id"] == str(q.agency_id)
    r = await client.patch(f"/api/v1/agreements/{a['id']}", headers=case.coord.headers,
                           json={"owner": {"kind": "user", "user_id": str(p.user_id)}})
    assert r.status_code == 200 and r.json()["owner"]["agency_id"] == str(p.agency_id)
    r = await client.patch(f"/api/v1/agreements/{a['id']}", headers=p.headers, json={"status": "finished"})
    assert r.status_code == 422


async def test_partner_list_filters_sort_and_paging(client, factory):
    case = await make_case(client, factory, partners=1)
    p = case.partners[0]
    await grant(client, case, case.coord.agency_id, ["housing", "work_training", "finances"])
    await grant(client, case, p.agency_id, ["housing", "work_training"])
    d = date.today()
    a1 = await add_agreement(client, case, "housing", p.agency_id, due_date=(d + timedelta(20)).isoformat())
    a2 = await add_agreement(client, case, "work_training", p.agency_id, due_date=(d + timedelta(3)).isoformat())
    a3 = await add_agreement(client, case, "housing", p.agency_id)
    r = await client.patch(f"/api/v1/agreements/{a1['id']}", json={"owner": {"kind": "user",
                           "user_id": str(p.user_id)}}, headers=p.headers)
    assert r.status_code == 200
    await add_agreement(client, case, "finances", case.coord.agency_id)

    async def ids(**params) -> tuple[list[str], int]:
        r = await client.get("/api/v1/agreements", params=params, headers=p.headers)
        assert r.status_code == 200, r.text
        return [i["id"] for i in r.json()["items"]], r.json()["total"]

    assert await ids() == ([a2["id"], a1["id"], a3["id"]], 3)
    assert await ids(owner="me") == ([a1["id"]], 1)
    assert await ids(owner="my_agency") == ([a2["id"], a1["id"], a3["id"]], 3)
    assert await ids(life_domain="housing") == ([a1["id"], a3["id"]], 2)
    assert await ids(due_before=(d + timedelta(10)).isoformat()) == ([a2["id"]], 1)
    assert await ids(limit=1, offset=1) == ([a1["id"]], 3)
    await client.patch(f"/api/v1/agreements/{a2['id']}", json={"status": "done"}, headers=p.headers)
    assert await ids(status="open,in_progress") == ([a1["id"], a3["id"]], 2)
    r = await client.get("/api/v1/agreements", params={"owner": "everyone"}, headers=p.headers)
    assert r.status_code == 422
    r = await client.get("/api/v1/agreements", params={"limit": 0}, headers=p.headers)
    assert r.status_code == 422


async def test_platform_admin_reads_no_case_content(client, factory):
    case = await make_case(client, factory, partners=0)
    await grant(client, case, case.coord.agency_id, ["housing"])
    a = await add_agreement(client, case, "housing", case.coord.agency_id)
    admin = await factory.person(agency_id=case.coord.agency_id, roles=("coordinator", "platform_admin"))
    r = await client.get(f"/api/v1/agreements/{a['id']}", headers=admin.headers)
    assert r.status_code == 403
    r = await client.get("/api/v1/agreements", headers=admin.headers)
    assert r.status_code == 403
    r = await client.get(f"/api/v1/agreements/{uuid.uuid4()}", headers=case.coord.headers)
    assert r.status_code == 404


async def test_agreement_cannot_point_at_another_workspaces_meeting(client, factory, sessionmaker):
    """A meeting id from another workspace (or a made-up one) is refused with 422 and nothing is stored."""
    import uuid as _uuid

    from sqlalchemy import func, select

    from tests.factories import new_workspace
    from w2.meetings.agreements.models import Agreement

    coord = await factory.person()
    ws_a = await new_workspace(client, coord)
    ws_b = await new_workspace(client, coord)
    r = await client.post(f"/api/v1/workspaces/{ws_b['id']}/meetings", headers=coord.headers, json={
        "reason": "Afstemming", "goal": "Plan maken", "jobseeker_participation": "full", "practical_needs": [],
        "requested_by": {"kind": "professional", "user_id": str(coord.user_id)}})
    assert r.status_code == 201, r.text
    other_meeting = r.json()["id"]
    await client.post(f"/api/v1/workspaces/{ws_a['id']}/consents", headers=coord.headers, json={
        "agency_id": str(coord.agency_id), "purpose": "information_sharing", "life_domains": ["housing"],
        "method": "signed_form"})
    for mid in (other_meeting, _uuid.uuid4()):
        r = await client.post(f"/api/v1/workspaces/{ws_a['id']}/agreements", headers=coord.headers, json={
            "life_domain": "housing", "description": "Woning zoeken", "meeting_id": str(mid),
            "owner": {"kind": "agency", "agency_id": str(coord.agency_id)}})
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["key"] == "meeting_id"
    async with sessionmaker() as s:
        n = await s.scalar(select(func.count()).select_from(Agreement).where(Agreement.workspace_id == ws_a["id"]))
    assert n == 0

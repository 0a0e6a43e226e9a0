"""The access log: reads, writes and denials recorded; staff see their own agency's lines."""

from __future__ import annotations

import uuid

from tests.consent.helpers import add_agreement, grant, make_case


async def test_reads_writes_and_denials_are_logged(client, factory):
    case = await make_case(client, factory, partners=2)
    p, q = case.partners
    await grant(client, case, case.coord.agency_id, ["housing"])
    await grant(client, case, p.agency_id, ["housing"])
    a = await add_agreement(client, case, "housing", p.agency_id)
    assert (await client.get(f"/api/v1/agreements/{a['id']}", headers=p.headers)).status_code == 200
    assert (await client.get(f"/api/v1/workspaces/{case.wid}/agreements", headers=p.headers)).status_code == 200
    assert (await client.get(f"/api/v1/agreements/{a['id']}", headers=q.headers)).status_code == 404
    r = await client.post(f"/api/v1/workspaces/{case.wid}/agreements", headers=q.headers, json={
        "life_domain": "housing", "description": "x", "owner": {"kind": "jobseeker"}})
    assert r.status_code == 409

    r = await client.get(f"/api/v1/workspaces/{case.wid}/access-log", headers=p.headers)
    assert r.status_code == 200, r.text
    lines = r.json()["items"]
    assert lines and all(i["agency_id"] == str(p.agency_id) for i in lines)
    assert {(i["action"], i["resource_type"], i["life_domain"], i["outcome"]) for i in lines} == {
        ("read", "agreement", "housing", "allowed")}
    assert {"at", "actor", "agency_id", "action", "resource_type", "life_domain", "outcome"} <= set(lines[0])

    r = await client.get(f"/api/v1/workspaces/{case.wid}/access-log", headers=case.coord.headers)
    mine = {(i["action"], i["resource_type"], i["outcome"]) for i in r.json()["items"]}
    assert ("grant", "consent", "allowed") in mine and ("create", "agreement", "allowed") in mine

    # q's refused create was rolled back, but its denial line survived; its refused read of an
    # agreement it may not see lands in this workspace's log too (without naming the domain).
    r = await client.get(f"/api/v1/workspaces/{case.wid}/access-log", headers=q.headers)
    assert sorted((i["action"], i["outcome"], i["life_domain"] or "") for i in r.json()["items"]) == [
        ("create", "denied", "housing"), ("read", "denied", "")]


async def test_access_log_hidden_from_outsiders(client, factory):
    case = await make_case(client, factory, partners=0)
    outsider = await factory.person()
    r = await client.get(f"/api/v1/workspaces/{case.wid}/access-log", headers=outsider.headers)
    assert r.status_code == 404
    r = await client.get(f"/api/v1/workspaces/{uuid.uuid4()}/access-log", headers=case.coord.headers)
    assert r.status_code == 404


async def test_a_list_logs_its_domains_in_order_newest_last(client, factory):
    # One list read writes one row per domain in one statement; each row keeps its own moment, so the
    # log (newest first) has one order and "wie keek" names the domains the same way on every visit.
    case = await make_case(client, factory, partners=1)
    p = case.partners[0]
    domains = ["finances", "housing", "work_training"]
    await grant(client, case, case.coord.agency_id, domains)
    await grant(client, case, p.agency_id, domains)
    for domain in domains:
        await add_agreement(client, case, domain, p.agency_id)
    assert (await client.get(f"/api/v1/workspaces/{case.wid}/agreements", headers=p.headers)).status_code == 200
    r = await client.get(f"/api/v1/workspaces/{case.wid}/access-log", headers=p.headers)
    reads = [i for i in r.json()["items"] if i["action"] == "read"]
    assert len(reads) == 3
    assert len({i["at"] for i in reads}) == 3
    assert [i["at"] for i in reads] == sorted((i["at"] for i in reads), reverse=True)

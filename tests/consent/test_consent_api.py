"""Consent records through the API: grant, validation, revoke, list, FHIR, announcement."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import func, select

from tests.consent.helpers import grant, make_case, revoke
from w2.consent.models import Consent
from w2.platform.outbox import OutboxMessage


async def _count(sessionmaker, wid: str) -> int:
    async with sessionmaker() as s:
        return await s.scalar(select(func.count()).select_from(Consent).where(Consent.workspace_id == uuid.UUID(wid)))


async def test_grant_list_and_announce(client, factory, sessionmaker):
    case = await make_case(client, factory, partners=1, email="js@example.test")
    p = case.partners[0]
    c = await grant(client, case, p.agency_id, ["housing", "finances", "housing"],
                    valid_until=(date.today() + timedelta(days=30)).isoformat())
    assert c["life_domains"] == ["finances", "housing"]  # template order, no duplicates
    assert c["status"] == "active" and c["revoked_at"] is None
    assert c["granted_by"] == "jobseeker" and c["legal_basis"] == "consent"
    assert c["recorded_by_user_id"] == str(case.coord.user_id)
    r = await client.get(f"/api/v1/workspaces/{case.wid}/consents", headers=p.headers)
    assert r.status_code == 200
    assert [i["id"] for i in r.json()["items"]] == [c["id"]]
    async with sessionmaker() as s:
        msg = await s.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == f"consent-recorded:{c['id']}"))
    assert msg is not None and msg.to_address == "js@example.test"
    assert "housing" not in str(msg.params) and "finances" not in str(msg.params)


async def test_bad_input_changes_nothing(client, factory, sessionmaker):
    case = await make_case(client, factory, partners=1)
    p = case.partners[0]
    outsider = await factory.person()
    cases = [
        ({"life_domains": ["housing", "astrology"]}, 422, "life_domains"),
        ({"valid_until": (date.today() - timedelta(days=1)).isoformat()}, 422, "valid_until"),
        ({"agency_id": str(outsider.agency_id)}, 422, "agency_id"),
        ({"method": "verbal"}, 422, "witness_user_id"),
        ({"method": "verbal", "witness_user_id": str(uuid.uuid4())}, 422, "witness_user_id"),
        ({"method": "verbal", "witness_user_id": str(case.coord.user_id)}, 422, "witness_user_id"),
        ({"legal_basis": "case_consultation"}, 422, "legal_reference"),
        ({"life_domains": []}, 422, None),
        ({"purpose": "gossip"}, 422, None),
    ]
    for extra, status, field in cases:
        body = {"agency_id": str(p.agency_id), "purpose": "information_sharing", "life_domains": ["housing"],
                "method": "signed_form", **extra}
        r = await client.post(f"/api/v1/workspaces/{case.wid}/consents", json=body, headers=case.coord.headers)
        assert r.status_code == status, (extra, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        if field:
            assert r.json()["errors"][0]["key"] == field, r.text
    assert await _count(sessionmaker, case.wid) == 0


async def test_verbal_with_witness_and_case_consultation(client, factory):
    case = await make_case(client, factory, partners=1)
    witness = await factory.person(agency_id=case.coord.agency_id, roles=("worker",))
    c = await grant(client, case, case.partners[0].agency_id, ["justice"], method="verbal",
                    witness_user_id=str(witness.user_id), granted_by="representative",
                    legal_basis="case_consultation", legal_reference="Toelating parket Antwerpen 2026/123")
    assert c["method"] == "verbal" and c["witness_user_id"] == str(witness.user_id)
    assert c["legal_basis"] == "case_consultation" and c["granted_by"] == "representative"


async def test_who_may_grant_and_revoke(client, factory):
    case = await make_case(client, factory, partners=1)
    p = case.partners[0]
    body = {"agency_id": str(p.agency_id), "purpose": "information_sharing", "life_domains": ["housing"],
            "method": "signed_form"}
    r = await client.post(f"/api/v1/workspaces/{case.wid}/consents", json=body, headers=p.headers)
    assert r.status_code == 403  # a member, but not the coordinating agency's coordinator
    outsider = await factory.person()
    r = await client.post(f"/api/v1/workspaces/{case.wid}/consents", json=body, headers=outsider.headers)
    assert r.status_code == 404
    r = await client.get(f"/api/v1/workspaces/{case.wid}/consents", headers=outsider.headers)
    assert r.status_code == 404
    admin = await factory.person(agency_id=case.coord.agency_id, roles=("coordinator", "platform_admin"))
    r = await client.get(f"/api/v1/workspaces/{case.wid}/consents", headers=admin.headers)
    assert r.status_code == 403
    c = await grant(client, case, p.agency_id, ["housing"])
    r = await client.post(f"/api/v1/workspaces/{case.wid}/consents/{c['id']}/revoke", headers=p.headers)
    assert r.status_code == 403


async def test_revoke_twice_is_409(client, factory):
    case = await make_case(client, factory, partners=1)
    c = await grant(client, case, case.partners[0].agency_id, ["housing"])
    out = await revoke(client, case, c["id"])
    assert out["status"] == "revoked" and out["revoked_at"] and out["revocation_reason"] == "test"
    r = await client.post(f"/api/v1/workspaces/{case.wid}/consents/{c['id']}/revoke", headers=case.coord.headers)
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    await revoke(client, case, str(uuid.uuid4()), expect=404)


async def test_fhir_bundle(client, factory):
    case = await make_case(client, factory, partners=1)
    p = case.partners[0]
    c1 = await grant(client, case, p.agency_id, ["housing", "work_training"],
                     valid_until=(date.today() + timedelta(days=5)).isoformat())
    c2 = await grant(client, case, p.agency_id, ["health"], purpose="report_distribution")
    await revoke(client, case, c2["id"])
    r = await client.get(f"/api/v1/workspaces/{case.wid}/consents.fhir", headers=case.coord.headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/fhir+json")
    b = r.json()
    assert b["resourceType"] == "Bundle" and b["type"] == "collection"
    res = {e["resource"]["id"]: e["resource"] for e in b["entry"]}
    one = res[c1["id"]]
    assert one["resourceType"] == "Consent" and one["status"] == "active" and one["decision"] == "permit"
    assert one["grantee"][0]["reference"] == f"Organization/{p.agency_id}"
    assert one["grantor"][0]["reference"].startswith("Patient/")
    assert one["period"]["end"] == c1["valid_until"]
    prov = one["provision"][0]
    assert prov["actor"][0]["reference"]["reference"] == f"Organization/{p.agency_id}"
    assert prov["purpose"][0]["code"] == "information_sharing"
    assert {d["code"] for d in prov["documentType"]} == {"housing", "work_training"}
    assert res[c2["id"]]["status"] == "inactive" and "end" in res[c2["id"]]["period"]

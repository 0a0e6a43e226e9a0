"""Agreements can be edited (text, owner, due date) through PATCH; logged, validated, consent-gated."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.consent.helpers import add_agreement, grant, make_case, revoke


async def _updates_logged(sessionmaker, agreement_id: str) -> int:
    from w2.consent.models import AccessLogEntry as AccessLog

    async with sessionmaker() as s:
        return len((await s.scalars(select(AccessLog).where(
            AccessLog.resource_id == agreement_id, AccessLog.action == "update"))).all())


async def test_text_owner_and_due_date_can_be_edited_and_are_logged(client, factory, sessionmaker):
    case = await make_case(client, factory, partners=2)
    a_p, b_p = case.partners
    await grant(client, case, case.coord.agency_id, ["housing"])
    await grant(client, case, a_p.agency_id, ["housing"])
    await grant(client, case, b_p.agency_id, ["housing"])
    a = await add_agreement(client, case, "housing", a_p.agency_id, description="Oude tekst")
    due = (date.today() + timedelta(days=12)).isoformat()
    r = await client.patch(f"/api/v1/agreements/{a['id']}", headers=case.coord.headers, json={
        "description": "  Nieuwe tekst  ", "due_date": due, "owner": {"kind": "agency", "agency_id": str(b_p.agency_id)}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["description"] == "Nieuwe tekst" and body["due_date"] == due
    assert body["owner"]["agency_id"] == str(b_p.agency_id) and body["status"] == "open"
    assert await _updates_logged(sessionmaker, a["id"]) == 1


async def test_blank_text_is_refused_and_nothing_changes(client, factory, sessionmaker):
    case = await make_case(client, factory, partners=1)
    p = case.partners[0]
    await grant(client, case, case.coord.agency_id, ["housing"])
    await grant(client, case, p.agency_id, ["housing"])
    a = await add_agreement(client, case, "housing", p.agency_id, description="Blijft staan")
    for bad in ("   ", ""):
        r = await client.patch(f"/api/v1/agreements/{a['id']}", headers=case.coord.headers,
                               json={"description": bad, "due_date": "2030-01-01"})
        assert r.status_code in (400, 422), r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "description" in r.text
    after = (await client.get(f"/api/v1/agreements/{a['id']}", headers=case.coord.headers)).json()
    assert after["description"] == "Blijft staan" and after["due_date"] is None


async def test_agency_without_consent_cannot_edit(client, factory, sessionmaker):
    case = await make_case(client, factory, partners=2)
    a_p, b_p = case.partners
    await grant(client, case, case.coord.agency_id, ["housing"])
    await grant(client, case, a_p.agency_id, ["housing"])
    b_consent = await grant(client, case, b_p.agency_id, ["housing"])
    a = await add_agreement(client, case, "housing", a_p.agency_id, description="Niet van B")
    await revoke(client, case, b_consent["id"])
    r = await client.patch(f"/api/v1/agreements/{a['id']}", headers=b_p.headers, json={"description": "Gekaapt"})
    assert r.status_code == 404, r.text
    assert "Niet van B" not in r.text
    after = (await client.get(f"/api/v1/agreements/{a['id']}", headers=case.coord.headers)).json()
    assert after["description"] == "Niet van B"

"""The workspace split into an overview and sub-pages: every read goes through the consent policy and is logged."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select

from tests.pages.cases import make_case

SECTIONS = ("", "/diensten", "/spilfiguur", "/toestemming", "/afspraken", "/overleg", "/documenten")


async def _signed_in(client, person, password):
    client.cookies.clear()
    login = await client.get("/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', login.text).group(1)
    r = await client.post("/login", data={"email": person.email, "password": password, "_csrf_token": token},
                          follow_redirects=False)
    assert r.status_code in (302, 303), r.text


async def _reads(sessionmaker, workspace_id, agency_id):
    from w2.consent.models import AccessLogEntry

    async with sessionmaker() as s:
        return list(await s.scalars(select(AccessLogEntry.life_domain).where(
            AccessLogEntry.workspace_id == workspace_id, AccessLogEntry.agency_id == agency_id,
            AccessLogEntry.resource_type == "agreement", AccessLogEntry.action == "read")))


async def test_a_member_without_consent_sees_no_case_content_on_any_sub_page(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker, partner_password="deel-wachtwoord-16")
    caw = await factory.person(kind="caw", roles=("worker",), password="caw-wachtwoord-16")
    r = await client.post(f"/api/v1/workspaces/{case.workspace_id}/members", headers=case.coordinator.headers,
                          json={"agency_id": str(caw.agency_id), "question_type": "advies"})
    assert r.status_code == 201, r.text
    secrets = [f"Budget bekijken {case.given_name}", f"Woning zoeken {case.given_name}",
               f"Vacatures zoeken {case.given_name}", "Helpen zoeken naar werk."]
    try:
        await _signed_in(client, caw, "caw-wachtwoord-16")
        for section in SECTIONS:
            page = await client.get(f"/workspaces/{case.workspace_id}{section}")
            assert page.status_code == 200, (section, page.text[:300])
            assert case.given_name in page.text  # identity is shared with members
            assert 'aria-current="page"' in page.text
            leaked = [s for s in secrets if s in page.text]
            assert not leaked, (section, leaked)
        assert await _reads(sessionmaker, case.workspace_id, caw.agency_id) == []

        # The partner agency holds consent for these domains: the same pages show its agreements, logged.
        await _signed_in(client, case.partner, "deel-wachtwoord-16")
        overview = (await client.get(f"/workspaces/{case.workspace_id}")).text
        overdue = overview.split('id="over-tijd"')[1].split("</section>")[0]
        assert f"Budget bekijken {case.given_name}" in overdue
        assert f"Woning zoeken {case.given_name}" in overview.split('id="volgende"')[1].split("</section>")[0]
        listing = (await client.get(f"/workspaces/{case.workspace_id}/afspraken")).text
        assert all(s in listing for s in secrets[:3])
        assert {"finances", "housing", "work_training"} <= set(
            await _reads(sessionmaker, case.workspace_id, case.partner.agency_id))
    finally:
        client.cookies.clear()


async def test_a_non_member_agency_gets_no_sub_page(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    outsider = await factory.person(kind="other", roles=("coordinator", "worker"), password="buiten-wachtwoord-16")
    try:
        await _signed_in(client, outsider, "buiten-wachtwoord-16")
        for section in SECTIONS:
            page = await client.get(f"/workspaces/{case.workspace_id}{section}")
            assert page.status_code in (403, 404), section
            assert case.given_name not in page.text, section
        unknown = await client.get(f"/workspaces/{uuid.uuid4()}/afspraken")
        assert unknown.status_code == 404
    finally:
        client.cookies.clear()

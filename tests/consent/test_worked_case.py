"""The worked case of DOMAIN.md through the public API: each partner sees exactly what the mother allowed."""

from __future__ import annotations

from datetime import date, timedelta

from tests.consent.helpers import add_agreement, grant, revoke
from tests.factories import new_workspace


async def test_each_partner_sees_exactly_its_consented_domains(client, factory):
    ocmw = await factory.person(roles=("coordinator", "worker"), kind="ocmw")
    ws = await new_workspace(client, ocmw, given_name="Moeder")
    partners = {}
    for key, kind in (("vdab", "vdab"), ("youth", "jeugdrechtbank"), ("gon", "other"), ("home", "other")):
        p = await factory.person(roles=("worker",), kind=kind)
        r = await client.post(f"/api/v1/workspaces/{ws['id']}/members", headers=ocmw.headers,
                              json={"agency_id": str(p.agency_id), "question_type": "afstemming"})
        assert r.status_code == 201
        partners[key] = p

    class Case:  # the helpers only need these two
        coord, wid = ocmw, ws["id"]

    allowed = {
        "ocmw": (ocmw, ["finances", "housing", "household", "parenting", "work_training"]),
        "vdab": (partners["vdab"], ["work_training", "housing"]),
        "youth": (partners["youth"], ["parenting", "justice"]),
        "gon": (partners["gon"], ["parenting"]),
        "home": (partners["home"], ["parenting", "household"]),
    }
    consent_ids = {}
    for key, (person, domains) in allowed.items():
        c = await grant(client, Case, person.agency_id, domains)
        consent_ids[key] = c["id"]
    soon = (date.today() + timedelta(days=10)).isoformat()
    made = [
        await add_agreement(client, Case, "housing", partners["vdab"].agency_id, due_date=soon),
        await add_agreement(client, Case, "work_training", partners["vdab"].agency_id),
        await add_agreement(client, Case, "parenting", partners["home"].agency_id),
        await add_agreement(client, Case, "finances", ocmw.agency_id),
    ]
    # The youth court's consent covers justice, which OCMW may not see: it cannot even make that agreement.
    await add_agreement(client, Case, "justice", partners["youth"].agency_id, expect=409)

    for key, (person, domains) in allowed.items():
        r = await client.get(f"/api/v1/workspaces/{ws['id']}/agreements", headers=person.headers)
        got = {(i["life_domain"], i["id"]) for i in r.json()["items"]}
        assert got == {(a["life_domain"], a["id"]) for a in made if a["life_domain"] in domains}, key

    vdab = partners["vdab"]
    r = await client.get("/api/v1/agreements", params={"owner": "my_agency"}, headers=vdab.headers)
    assert [i["life_domain"] for i in r.json()["items"]] == ["housing", "work_training"]
    await revoke(client, Case, consent_ids["vdab"])
    r = await client.get("/api/v1/agreements", params={"owner": "my_agency"}, headers=vdab.headers)
    assert r.json() == {"items": [], "total": 0}

"""Helpers to build a case through the API: a coordinator's workspace with partner agencies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.factories import Factory, Person, new_workspace


@dataclass
class Case:
    """A workspace, its coordinator and partner agencies that are members."""

    coord: Person
    ws: dict[str, Any]
    partners: list[Person] = field(default_factory=list)

    @property
    def wid(self) -> str:
        return self.ws["id"]


async def make_case(client: Any, factory: Factory, partners: int = 2, **jobseeker: Any) -> Case:
    """Coordinator + workspace + `partners` member agencies (each with one worker)."""
    coord = await factory.person(roles=("coordinator", "worker"), kind="ocmw")
    ws = await new_workspace(client, coord, **jobseeker)
    case = Case(coord, ws)
    for _ in range(partners):
        p = await factory.person(roles=("worker",))
        r = await client.post(f"/api/v1/workspaces/{ws['id']}/members",
                              json={"agency_id": str(p.agency_id), "question_type": "advies"}, headers=coord.headers)
        assert r.status_code == 201, r.text
        case.partners.append(p)
    return case


async def grant(client: Any, case: Case, agency_id: Any, domains: list[str], purpose: str = "information_sharing",
                expect: int = 201, **extra: Any) -> dict[str, Any]:
    """Record a consent as the coordinator."""
    body = {"agency_id": str(agency_id), "purpose": purpose, "life_domains": domains, "method": "signed_form",
            **extra}
    r = await client.post(f"/api/v1/workspaces/{case.wid}/consents", json=body, headers=case.coord.headers)
    assert r.status_code == expect, r.text
    return r.json()


async def revoke(client: Any, case: Case, consent_id: str, expect: int = 200) -> dict[str, Any]:
    """Withdraw a consent as the coordinator."""
    r = await client.post(f"/api/v1/workspaces/{case.wid}/consents/{consent_id}/revoke", json={"reason": "test"},
                          headers=case.coord.headers)
    assert r.status_code == expect, r.text
    return r.json()


async def add_agreement(client: Any, case: Case, domain: str, owner_agency: Any, by: Person | None = None,
                        expect: int = 201, **extra: Any) -> dict[str, Any]:
    """Make an agreement owned by an agency."""
    body = {"life_domain": domain, "description": f"Afspraak over {domain}",
            "owner": {"kind": "agency", "agency_id": str(owner_agency)}, **extra}
    r = await client.post(f"/api/v1/workspaces/{case.wid}/agreements", json=body,
                          headers=(by or case.coord).headers)
    assert r.status_code == expect, r.text
    return r.json()

"""Arrange a small case for page tests: a coordinator, a partner agency, consents and agreements."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tests.factories import Person, new_workspace, unique


@dataclass
class Case:
    """What a page test needs to know about its case."""

    coordinator: Person
    partner: Person
    workspace_id: uuid.UUID
    given_name: str
    agreements: dict[str, uuid.UUID]


async def grant(sessionmaker: Any, workspace_id: uuid.UUID, agency_id: uuid.UUID, domains: list[str],
                purpose: str = "information_sharing") -> None:
    """Record a consent the way a signed form would (append-only rows)."""
    from w2.consent.models import Consent, ConsentGrant

    async with sessionmaker() as s, s.begin():
        c = Consent(workspace_id=workspace_id, agency_id=agency_id, purpose=purpose, life_domains=domains,
                    method="signed_form", granted_by="jobseeker", text_version="test-1")
        s.add(c)
        await s.flush()
        for d in domains:
            s.add(ConsentGrant(consent_id=c.id, life_domain=d, workspace_id=workspace_id, agency_id=agency_id,
                               purpose=purpose))


async def make_case(client: Any, factory: Any, sessionmaker: Any, partner_password: str | None = None,
                    coordinator_password: str | None = None) -> Case:
    """A workspace with a partner agency that may know finances and housing, and two agreements for it."""
    from w2.meetings.agreements.models import Agreement

    coord = await factory.person(kind="ocmw", roles=("coordinator", "worker"), password=coordinator_password,
                                 name=unique("Sara"))
    partner = await factory.person(kind="vdab", roles=("worker",), password=partner_password, name=unique("Tom"))
    given = unique("Mira").replace(" ", "")
    ws = await new_workspace(client, coord, given_name=given)
    r = await client.post(f"/api/v1/workspaces/{ws['id']}/members", headers=coord.headers,
                          json={"agency_id": str(partner.agency_id), "contact_user_id": str(partner.user_id),
                                "question_type": "doorverwijzing", "question": "Helpen zoeken naar werk."})
    assert r.status_code == 201, r.text
    wid = uuid.UUID(ws["id"])
    await grant(sessionmaker, wid, partner.agency_id, ["finances", "housing", "work_training"])
    await grant(sessionmaker, wid, coord.agency_id, ["finances", "housing", "parenting"])
    ids = {}
    async with sessionmaker() as s, s.begin():
        for domain, text, days in [("finances", f"Budget bekijken {given}", -2),
                                   ("housing", f"Woning zoeken {given}", 7),
                                   ("work_training", f"Vacatures zoeken {given}", 20)]:
            a = Agreement(workspace_id=wid, life_domain=domain, description=text, owner_kind="agency",
                          owner_agency_id=partner.agency_id, due_date=date.today() + timedelta(days=days),
                          created_by_user_id=coord.user_id)
            s.add(a)
            await s.flush()
            ids[domain] = a.id
    return Case(coord, partner, wid, given, ids)


async def portal_link(sessionmaker: Any, workspace_id: uuid.UUID) -> str:
    """A fresh one-time link path for the job seeker."""
    from w2.platform.portal_auth import create_portal_link

    async with sessionmaker() as s, s.begin():
        raw = await create_portal_link(s, workspace_id)
    return f"/portal/in/{raw}"

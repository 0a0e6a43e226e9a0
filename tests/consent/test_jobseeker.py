"""The job seeker as actor: grants through the portal, withdraws in one step, sees everything about themself."""

from __future__ import annotations

import uuid

import pytest

from tests.consent.helpers import add_agreement, grant, make_case
from w2.consent import service
from w2.consent.schemas import ConsentIn
from w2.meetings.agreements import service as agreements
from w2.platform.actor import Actor
from w2.platform.errors import Conflict, Invalid, NotFound


async def test_jobseeker_grants_and_revokes_own(client, factory, sessionmaker):
    case = await make_case(client, factory, partners=1)
    p = case.partners[0]
    wid = uuid.UUID(case.wid)
    me = Actor(kind="jobseeker", workspace_id=wid, name="Test")
    async with sessionmaker() as s, s.begin():
        c = await service.grant_consent(s, me, wid, ConsentIn(agency_id=p.agency_id, purpose="information_sharing",
                                                              life_domains=["health"], method="portal"))
        assert c.recorded_by_jobseeker and c.recorded_by_user_id is None
        with pytest.raises(Invalid):
            await service.grant_consent(s, me, wid, ConsentIn(agency_id=p.agency_id, purpose="information_sharing",
                                                              life_domains=["health"], method="signed_form"))
    r = await client.get(f"/api/v1/workspaces/{case.wid}/consents", headers=p.headers)
    assert r.json()["items"][0]["recorded_by_jobseeker"] is True
    async with sessionmaker() as s, s.begin():
        await service.revoke_consent(s, me, wid, c.id)
    async with sessionmaker() as s, s.begin():
        with pytest.raises(Conflict):
            await service.revoke_consent(s, me, wid, c.id)
        other = Actor(kind="jobseeker", workspace_id=uuid.uuid4())
        with pytest.raises(NotFound):
            await service.list_consents(s, other, wid)


async def test_jobseeker_sees_all_own_agreements(client, factory, sessionmaker):
    case = await make_case(client, factory, partners=1)
    await grant(client, case, case.coord.agency_id, ["housing", "health"])
    a = await add_agreement(client, case, "housing", case.coord.agency_id)
    wid = uuid.UUID(case.wid)
    me = Actor(kind="jobseeker", workspace_id=wid)
    async with sessionmaker() as s, s.begin():
        rows = await agreements.list_workspace_agreements(s, me, wid)
        assert [str(r.id) for r in rows] == [a["id"]]
        got = await agreements.get_agreement(s, me, rows[0].id)
        assert got.life_domain == "housing"
        grid = await service.consent_grid(s, wid)
        assert grid == {case.coord.agency_id: {"information_sharing": {"housing", "health"}}}

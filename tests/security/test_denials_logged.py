"""Finding 11: a refused read or write lands in that workspace's access log, for the job seeker and the coordinator."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select

from tests.pages.cases import make_case
from w2.consent.models import AccessLogEntry


async def test_refused_patch_of_another_domain_is_logged_in_the_workspace(client, factory, sessionmaker):
    from w2.meetings.agreements.models import Agreement

    case = await make_case(client, factory, sessionmaker)
    stranger = await factory.person(roles=("worker",))
    async with sessionmaker() as s, s.begin():
        a = Agreement(workspace_id=case.workspace_id, life_domain="health", description="Afspraak bij de dokter",
                      owner_kind="agency", owner_agency_id=case.coordinator.agency_id,
                      due_date=date.today() + timedelta(days=3), created_by_user_id=case.coordinator.user_id)
        s.add(a)
        await s.flush()
        aid = a.id
    for who in (case.partner, stranger):
        r = await client.patch(f"/api/v1/agreements/{aid}", json={"status": "done"}, headers=who.headers)
        assert r.status_code == 404, r.text
    async with sessionmaker() as s:
        rows = list(await s.scalars(select(AccessLogEntry).where(AccessLogEntry.resource_id == str(aid))))
    assert {(r.agency_id, r.outcome, r.workspace_id) for r in rows} == {
        (case.partner.agency_id, "denied", case.workspace_id), (stranger.agency_id, "denied", case.workspace_id)}
    # The coordinating agency sees both refusals in the workspace's log (it sees its own reads besides).
    log = (await client.get(f"/api/v1/workspaces/{case.workspace_id}/access-log",
                            headers=case.coordinator.headers)).json()["items"]
    denied = [e for e in log if e["outcome"] == "denied" and e["resource_type"] == "agreement"]
    assert {e["agency_id"] for e in denied} == {str(case.partner.agency_id), str(stranger.agency_id)}
    # A member agency that is not coordinating still sees only its own lines.
    own = (await client.get(f"/api/v1/workspaces/{case.workspace_id}/access-log",
                            headers=case.partner.headers)).json()["items"]
    assert {e["agency_id"] for e in own} <= {str(case.partner.agency_id)}
    assert uuid.UUID(own[0]["agency_id"]) == case.partner.agency_id

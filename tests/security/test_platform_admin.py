"""Finding 7: the platform administrator sees no job seeker's identity, not even in their own agency's cases."""

from __future__ import annotations

from tests.factories import new_workspace


async def test_platform_admin_sees_no_workspace_or_identity(client, factory):
    coord = await factory.person(kind="ocmw")
    admin = await factory.person(agency_id=coord.agency_id, roles=("platform_admin",))
    both = await factory.person(agency_id=coord.agency_id, roles=("platform_admin", "coordinator"))
    ws = await new_workspace(client, coord, national_number="85073003328", email="mira@example.be")
    r = await client.post(f"/api/v1/workspaces/{ws['id']}/meetings", headers=coord.headers,
                          json={"reason": "Vast", "goal": "Afspraken", "requested_by": {"kind": "professional"}})
    assert r.status_code == 201, r.text
    for who in (admin, both):
        r = await client.get(f"/api/v1/workspaces/{ws['id']}", headers=who.headers)
        assert r.status_code == 404, r.text
        listed = await client.get("/api/v1/workspaces", headers=who.headers)
        assert listed.status_code == 200 and ws["id"] not in listed.text and "85073003328" not in listed.text
        for sub in ("consents", "meetings", "agreements", "access-log"):
            r = await client.get(f"/api/v1/workspaces/{ws['id']}/{sub}", headers=who.headers)
            assert r.status_code in (403, 404) or (r.status_code == 200 and r.json()["items"] == []), sub
    # What the administrator does need stays: the agency directory and their own account.
    assert (await client.get("/api/v1/agencies", headers=admin.headers)).status_code == 200
    assert (await client.get("/api/v1/me", headers=admin.headers)).status_code == 200
    assert (await client.get(f"/api/v1/workspaces/{ws['id']}", headers=coord.headers)).status_code == 200

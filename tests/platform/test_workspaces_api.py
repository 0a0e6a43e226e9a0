"""Workspaces through the HTTP API: create, see, members, pivot, confidants, and bad input."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from tests.factories import new_workspace
from w2.platform import rrn
from w2.platform.models import Jobseeker, Membership, Workspace


async def _count(sessionmaker, model) -> int:
    async with sessionmaker() as s:
        return await s.scalar(select(func.count()).select_from(model))


async def test_create_and_read_workspace(client, factory):
    coord = await factory.person(kind="ocmw")
    birth = date(1990, 5, 17)
    number = rrn.make(birth, 42)
    ws = await new_workspace(client, coord, birth_date=birth.isoformat(),
                             national_number=f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}")
    assert ws["coordinating_agency_id"] == str(coord.agency_id)
    assert ws["jobseeker"]["national_number"] == number
    assert [m["agency_id"] for m in ws["members"]] == [str(coord.agency_id)]
    assert ws["pivot"] is None
    r = await client.get(f"/api/v1/workspaces/{ws['id']}", headers=coord.headers)
    assert r.status_code == 200 and r.json()["id"] == ws["id"]
    listing = (await client.get("/api/v1/workspaces", headers=coord.headers)).json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == ws["id"]


async def test_other_agencies_get_404(client, factory):
    coord = await factory.person()
    outsider = await factory.person()
    ws = await new_workspace(client, coord)
    for path in (f"/api/v1/workspaces/{ws['id']}",):
        r = await client.get(path, headers=outsider.headers)
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.post(f"/api/v1/workspaces/{ws['id']}/members", headers=outsider.headers,
                          json={"agency_id": str(outsider.agency_id), "question_type": "advies"})
    assert r.status_code == 404
    assert (await client.get("/api/v1/workspaces", headers=outsider.headers)).json()["total"] == 0


async def test_invalid_national_number_is_422_and_stores_nothing(client, factory, sessionmaker):
    coord = await factory.person()
    before = (await _count(sessionmaker, Workspace), await _count(sessionmaker, Jobseeker))
    number = rrn.make(date(1985, 3, 3), 7)
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    r = await client.post("/api/v1/workspaces", headers=coord.headers,
                          json={"jobseeker": {"given_name": "A", "family_name": "B", "national_number": wrong}})
    assert r.status_code == 422
    body = r.json()
    assert r.headers["content-type"].startswith("application/problem+json")
    assert body["errors"][0]["key"] == "jobseeker.national_number"
    assert "rijksregisternummer" in body["detail"].lower()
    assert (await _count(sessionmaker, Workspace), await _count(sessionmaker, Jobseeker)) == before


async def test_schema_errors_name_each_field(client, factory):
    coord = await factory.person()
    r = await client.post("/api/v1/workspaces", headers=coord.headers,
                          json={"jobseeker": {"given_name": "", "family_name": "B"}})
    assert r.status_code == 422
    assert "jobseeker.given_name" in r.text
    r = await client.post("/api/v1/workspaces", headers=coord.headers, json={"jobseeker": {"given_name": "A",
                          "family_name": "B", "shoe_size": 44}})
    assert r.status_code == 422 and "shoe_size" in r.text
    r = await client.post("/api/v1/workspaces", headers={**coord.headers, "content-type": "application/json"},
                          content=b"{not json")
    assert r.status_code in (400, 422)
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_unauthenticated_and_bad_tokens_are_401(client):
    for method, path in [("GET", "/api/v1/me"), ("GET", "/api/v1/agencies"), ("GET", "/api/v1/workspaces"),
                         ("POST", "/api/v1/workspaces")]:
        r = await client.request(method, path, json={} if method == "POST" else None)
        assert r.status_code == 401, path
        assert r.headers["content-type"].startswith("application/problem+json")
        r = await client.request(method, path, headers={"Authorization": "Bearer w2_nonsense"})
        assert r.status_code == 401, path


async def test_revoked_token_is_refused(client, factory, sessionmaker):
    from w2.platform import accounts

    p = await factory.person()
    assert (await client.get("/api/v1/me", headers=p.headers)).status_code == 200
    async with sessionmaker() as s, s.begin():
        assert await accounts.revoke_tokens(s, p.email) == 1
    assert (await client.get("/api/v1/me", headers=p.headers)).status_code == 401


async def test_platform_admin_cannot_open_cases(client, factory):
    admin = await factory.person(roles=("platform_admin",))
    r = await client.post("/api/v1/workspaces", headers=admin.headers,
                          json={"jobseeker": {"given_name": "A", "family_name": "B"}})
    assert r.status_code == 403


async def test_members_pivot_history_and_confidants(client, factory, sessionmaker):
    coord = await factory.person(kind="ocmw")
    vdab_worker = await factory.person(kind="vdab", roles=("worker",))
    stranger = await factory.person(roles=("worker",))
    ws = await new_workspace(client, coord)
    base = f"/api/v1/workspaces/{ws['id']}"
    r = await client.post(f"{base}/members", headers=coord.headers,
                          json={"agency_id": str(vdab_worker.agency_id), "question_type": "doorverwijzing",
                                "question": "Werk zoeken", "contact_user_id": str(vdab_worker.user_id)})
    assert r.status_code == 201, r.text
    dup = await client.post(f"{base}/members", headers=coord.headers,
                            json={"agency_id": str(vdab_worker.agency_id), "question_type": "advies"})
    assert dup.status_code == 409
    bad = await client.post(f"{base}/members", headers=coord.headers,
                            json={"agency_id": str(stranger.agency_id), "question_type": "vraagje"})
    assert bad.status_code == 422 and "question_type" in bad.text
    # Now the VDAB worker sees the workspace too.
    assert (await client.get(base, headers=vdab_worker.headers)).status_code == 200
    # Only the coordinating agency's coordinator changes membership.
    r = await client.post(f"{base}/members", headers=vdab_worker.headers,
                          json={"agency_id": str(stranger.agency_id), "question_type": "advies"})
    assert r.status_code == 403

    r = await client.put(f"{base}/pivot", headers=coord.headers,
                         json={"user_id": str(stranger.user_id), "chosen_by_jobseeker": True})
    assert r.status_code == 422 and "user_id" in r.text
    r = await client.put(f"{base}/pivot", headers=coord.headers,
                         json={"user_id": str(coord.user_id), "chosen_by_jobseeker": False})
    assert r.status_code == 200
    # Staff cannot tick "chosen by the job seeker" on their own: a witness is needed (or the portal).
    r = await client.put(f"{base}/pivot", headers=coord.headers,
                         json={"user_id": str(vdab_worker.user_id), "chosen_by_jobseeker": True})
    assert r.status_code == 422 and "witness_user_id" in r.text and "Alleen de werkzoekende" in r.text
    r = await client.put(f"{base}/pivot", headers=coord.headers, json={
        "user_id": str(vdab_worker.user_id), "chosen_by_jobseeker": True, "witness_user_id": str(coord.user_id)})
    assert r.status_code == 422 and "getuige" in r.text
    r = await client.put(f"{base}/pivot", headers=coord.headers, json={
        "user_id": str(vdab_worker.user_id), "chosen_by_jobseeker": True, "witness_user_id": str(vdab_worker.user_id)})
    assert r.status_code == 200
    detail = (await client.get(base, headers=coord.headers)).json()
    assert detail["pivot"]["user_id"] == str(vdab_worker.user_id) and detail["pivot"]["chosen_by_jobseeker"]
    history = detail["pivot_history"]
    assert [h["user_id"] for h in history] == [str(coord.user_id), str(vdab_worker.user_id)]
    assert history[0]["until"] is not None and history[1]["until"] is None

    r = await client.post(f"{base}/confidants", headers=coord.headers,
                          json={"name": "Buurvrouw Els", "relation": "buurvrouw", "phone": "+32 470 12 34 56"})
    assert r.status_code == 201 and r.json()["id"]
    r = await client.post(f"{base}/confidants", headers=coord.headers, json={"name": "X", "relation": "y",
                                                                              "email": "geen-mail"})
    assert r.status_code == 422 and "email" in r.text
    detail = (await client.get(base, headers=coord.headers)).json()
    assert [c["name"] for c in detail["confidants"]] == ["Buurvrouw Els"]
    async with sessionmaker() as s:
        n = await s.scalar(select(func.count()).select_from(Membership).where(
            Membership.workspace_id == detail["id"]))
    assert n == 2


async def test_directory(client, factory):
    p = await factory.person(kind="caw")
    me = (await client.get("/api/v1/me", headers=p.headers)).json()
    assert me["agency"]["kind"] == "caw" and set(me["roles"]) == {"coordinator", "worker"}
    agencies = (await client.get("/api/v1/agencies", headers=p.headers)).json()["items"]
    assert str(p.agency_id) in {a["id"] for a in agencies}


async def test_openapi_documents_errors(client):
    r = await client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    assert spec["openapi"].startswith("3.1")
    post = spec["paths"]["/api/v1/workspaces"]["post"]
    for code in ("401", "403", "404", "409", "422"):
        assert code in post["responses"], code
        assert "application/problem+json" in post["responses"][code]["content"]


async def test_a_staff_address_is_refused_as_the_jobseekers(client, factory, sessionmaker):
    # The job seeker's sign-in links go to this address: a professional's own would let them act as the job seeker.
    coord = await factory.person()
    colleague = await factory.person()
    before = (await _count(sessionmaker, Workspace), await _count(sessionmaker, Jobseeker))
    for address in (coord.email, colleague.email.upper()):
        r = await client.post("/api/v1/workspaces", headers=coord.headers, json={
            "jobseeker": {"given_name": "A", "family_name": "B", "email": address}})
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["errors"][0]["key"] == "jobseeker.email"
        assert "medewerker" in r.json()["detail"]
    assert (await _count(sessionmaker, Workspace), await _count(sessionmaker, Jobseeker)) == before
    ws = await new_workspace(client, coord, email="eigen.adres@example.be")
    assert ws["jobseeker"]["email"] == "eigen.adres@example.be"

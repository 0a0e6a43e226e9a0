"""The spiral of phases: the catalogue, recording forward and back, the history under consent."""

from __future__ import annotations

from tests.instruments.helpers import logged, setup_case


async def test_catalogue_has_the_handbooks_spiral(client, factory) -> None:
    person = await factory.person()
    r = await client.get("/api/v1/trajectory-phases", headers=person.headers)
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [i["cycle"] for i in items] == sorted(i["cycle"] for i in items)
    names = {i["code"]: i["name"] for i in items}
    assert names["c0_referral"] == "Toeleiding" and names["c0_selection"] == "Selectie"
    cycle1 = [i["name"] for i in items if i["cycle"] == 1]
    assert cycle1 == ["Het eerste contact", "Exploratie en eerste acties op domeinen van welzijn en werk",
                      "Naar gedeelde inzichten", "Sporen tot actie en komen tot uitzichten",
                      "Omgaan met crisis en weerstanden",
                      "Naar duurzame ontwikkeling op het vlak van welzijn en werk",
                      "Naar evaluatie en beslissing tot samen verder gaan"]
    assert [i["order"] for i in items if i["cycle"] == 1] == list(range(1, 8))
    assert {i["cycle"] for i in items} == {0, 1, 2, 3}
    assert "Bemiddelen en samen solliciteren" in [i["name"] for i in items if i["cycle"] == 3]
    assert (await client.get("/api/v1/trajectory-phases")).status_code == 401


async def test_forward_and_back_recorded_with_history(client, factory, sessionmaker) -> None:
    coord, partner, ws = await setup_case(client, factory, sessionmaker, ["work_training"], ["finances"])
    url = f"/api/v1/workspaces/{ws['id']}"
    for code, note in (("c0_referral", None), ("c1_first_contact", "Eerste gesprek thuis"),
                       ("c1_shared_insights", None), ("c1_exploration", "Terug na verhuis")):
        r = await client.post(f"{url}/phase", json={"code": code, "note": note}, headers=coord.headers)
        assert r.status_code == 201, r.text
    assert r.json()["direction"] == "back" and r.json()["recorded_by"] == coord.name
    r = await client.get(f"{url}/phase-history", headers=coord.headers)
    assert r.status_code == 200
    items = r.json()["items"]
    assert [i["code"] for i in items] == ["c0_referral", "c1_first_contact", "c1_shared_insights", "c1_exploration"]
    assert [i["direction"] for i in items] == ["start", "forward", "forward", "back"]
    assert items[1]["note"] == "Eerste gesprek thuis" and items[0]["note"] is None
    assert await logged(sessionmaker, ws["id"], coord.agency_id, "phase", action="read") == {"work_training"}

    # the partner holds no consent for work_training: it sees nothing of the trajectory's phases
    r = await client.get(f"{url}/phase-history", headers=partner.headers)
    assert r.status_code == 200 and r.json()["items"] == []
    r = await client.post(f"{url}/phase", json={"code": "c1_action"}, headers=partner.headers)
    assert r.status_code == 409 and r.json()["missing_consent"]["life_domain"] == "work_training"
    assert await logged(sessionmaker, ws["id"], partner.agency_id, "phase", outcome="denied") == {"work_training"}
    # an agency outside the workspace learns nothing
    stranger = await factory.person()
    assert (await client.get(f"{url}/phase-history", headers=stranger.headers)).status_code == 404


async def test_bad_phase_input_is_422_and_stores_nothing(client, factory, sessionmaker) -> None:
    coord, _, ws = await setup_case(client, factory, sessionmaker, ["work_training"], [])
    url = f"/api/v1/workspaces/{ws['id']}/phase"
    for body in ({"code": "c9_moon"}, {"code": ""}, {}, {"code": "c1_action", "note": "x" * 2001},
                 {"code": "c1_action", "extra": 1}):
        r = await client.post(url, json=body, headers=coord.headers)
        assert r.status_code == 422, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.post(url, json={"code": "c9_moon"}, headers=coord.headers)
    assert r.json()["errors"][0]["key"] == "code" and "fase" in r.json()["detail"]
    r = await client.get(f"/api/v1/workspaces/{ws['id']}/phase-history", headers=coord.headers)
    assert r.json()["items"] == []

"""Trajectovereenkomst API: SMART goals, versions, signatures, in force only when both sides signed."""

from __future__ import annotations

from tests.instruments.helpers import logged, setup_case

GOALS = {
    "goals": [
        {"area": "welfare", "life_domain": "housing", "text": "Een grotere woning vinden",
         "measure": "Ingeschreven bij twee sociale verhuurders", "due_date": "2027-03-01",
         "helped_by": "Huurdersbond", "actions": ["Afspraak bij de huurdersbond"]},
        {"area": "work", "life_domain": "work_training", "text": "Een opleiding logistiek starten",
         "measure": "Inschrijving bevestigd", "due_date": "2027-05-01"},
    ],
    "actions": [{"goal": 1, "text": "Infosessie bijwonen"}],
}


async def test_versions_signatures_and_in_force(client, factory, sessionmaker) -> None:
    coord, partner, ws = await setup_case(client, factory, sessionmaker, ["housing", "work_training"],
                                          ["work_training"])
    witness = await factory.person(agency_id=coord.agency_id)
    url = f"/api/v1/workspaces/{ws['id']}/trajectory-agreements"
    r = await client.post(url, json=GOALS, headers=coord.headers)
    assert r.status_code == 201, r.text
    v1 = r.json()
    assert v1["version"] == 1 and v1["signatures"] == [] and v1["in_force"] is False
    assert v1["goals"][0]["actions"] == ["Afspraak bij de huurdersbond"]
    assert v1["goals"][1]["actions"] == ["Infosessie bijwonen"]

    sign = f"/api/v1/trajectory-agreements/{v1['id']}/signatures"
    r = await client.post(sign, json={"by": "counsellor", "method": "signed_form"}, headers=coord.headers)
    assert r.status_code == 201, r.text
    # signed by one side only: not in force
    items = (await client.get(url, headers=coord.headers)).json()["items"]
    assert items[0]["in_force"] is False and len(items[0]["signatures"]) == 1
    # the same side twice: 409
    r = await client.post(sign, json={"by": "counsellor", "method": "signed_form"}, headers=coord.headers)
    assert r.status_code == 409 and "trajectbegeleider" in r.json()["detail"]
    r = await client.post(sign, json={"by": "jobseeker", "method": "verbal",
                                      "witness_user_id": str(witness.user_id)}, headers=coord.headers)
    assert r.status_code == 201, r.text
    items = (await client.get(url, headers=coord.headers)).json()["items"]
    assert items[0]["in_force"] is True

    # an adjustment is a new version: it needs new signatures, the old one stays in force until then
    r = await client.post(url, json={"goals": GOALS["goals"][1:]}, headers=coord.headers)
    v2 = r.json()
    assert v2["version"] == 2 and v2["in_force"] is False
    items = (await client.get(url, headers=coord.headers)).json()["items"]
    assert [(i["version"], i["in_force"]) for i in items] == [(2, False), (1, True)]
    for by, method, extra in (("counsellor", "signed_form", {}), ("jobseeker", "verbal",
                                                                  {"witness_user_id": str(witness.user_id)})):
        r = await client.post(f"/api/v1/trajectory-agreements/{v2['id']}/signatures",
                              json={"by": by, "method": method, **extra}, headers=coord.headers)
        assert r.status_code == 201, r.text
    items = (await client.get(url, headers=coord.headers)).json()["items"]
    assert [(i["version"], i["in_force"], i["superseded"]) for i in items] == [(2, True, False), (1, False, True)]

    # the partner (work_training only) sees no housing goal; reads are logged per domain
    items = (await client.get(url, headers=partner.headers)).json()["items"]
    assert [[g["life_domain"] for g in i["goals"]] for i in items] == [["work_training"], ["work_training"]]
    assert await logged(sessionmaker, ws["id"], partner.agency_id, "trajectory_agreement",
                        action="read") == {"work_training"}
    # an agency outside the workspace learns nothing
    stranger = await factory.person()
    assert (await client.get(url, headers=stranger.headers)).status_code == 404
    assert (await client.post(sign, json={"by": "counsellor", "method": "signed_form"},
                              headers=stranger.headers)).status_code == 404


async def test_agency_without_consent_sees_no_goals_and_cannot_add(client, factory, sessionmaker) -> None:
    coord, partner, ws = await setup_case(client, factory, sessionmaker, ["housing", "work_training"], [])
    url = f"/api/v1/workspaces/{ws['id']}/trajectory-agreements"
    assert (await client.post(url, json=GOALS, headers=coord.headers)).status_code == 201
    items = (await client.get(url, headers=partner.headers)).json()["items"]
    assert len(items) == 1 and items[0]["goals"] == []
    r = await client.post(url, json=GOALS, headers=partner.headers)
    assert r.status_code == 409 and r.json()["missing_consent"]["purpose"] == "information_sharing"


async def test_bad_agreement_and_signature_input(client, factory, sessionmaker) -> None:
    coord, _, ws = await setup_case(client, factory, sessionmaker, ["housing", "work_training"], [])
    url = f"/api/v1/workspaces/{ws['id']}/trajectory-agreements"
    g = GOALS["goals"][1]
    bad = [
        ({"goals": []}, "goals"),
        ({"goals": [{**g, "text": " "}]}, "goals[0].text"),
        ({"goals": [{**g, "measure": ""}]}, "goals[0].measure"),
        ({"goals": [{**g, "life_domain": "moon"}]}, "goals[0].life_domain"),
        ({"goals": [g], "actions": [{"goal": 3, "text": "x"}]}, "actions[0].goal"),
        ({"goals": [{**g, "area": "leisure"}]}, None),
        ({"goals": [{**g, "text": "x" * 2001}]}, None),
        ({"goals": [{k: v for k, v in g.items() if k != "due_date"}]}, None),
    ]
    for body, key in bad:
        r = await client.post(url, json=body, headers=coord.headers)
        assert r.status_code == 422, (body, r.text)
        if key:
            assert r.json()["errors"][0]["key"] == key
    assert (await client.get(url, headers=coord.headers)).json()["items"] == []
    tid = (await client.post(url, json={"goals": [g]}, headers=coord.headers)).json()["id"]
    sign = f"/api/v1/trajectory-agreements/{tid}/signatures"
    for body in ({"by": "jobseeker", "method": "portal"}, {"by": "jobseeker", "method": "verbal"},
                 {"by": "jobseeker", "method": "verbal", "witness_user_id": str(coord.user_id)},
                 {"by": "counsellor", "method": "signed_form", "witness_user_id": str(coord.user_id)},
                 {"by": "neighbour", "method": "signed_form"}):
        r = await client.post(sign, json=body, headers=coord.headers)
        assert r.status_code == 422, (body, r.text)
    assert (await client.get(url, headers=coord.headers)).json()["items"][0]["signatures"] == []

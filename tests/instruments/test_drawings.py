"""Shared drawings: structured data per kind, a text alternative, consent per life domain, bad input refused."""

from __future__ import annotations

from tests.instruments.helpers import logged, setup_case

BALANCE = {"kind": "balance", "items": [
    {"label": "Schulden", "side": "burden", "size": 3}, {"label": "Zieke zoon", "side": "burden", "size": 2},
    {"label": "Mijn zus", "side": "support", "size": 2}, {"label": "Doorzetten", "side": "support", "size": 1}]}
SCALE = {"kind": "scale", "title": "Opleiding heftruck starten", "items": [
    {"label": "Meer kans op werk", "side": "pro", "size": 3}, {"label": "Opvang kinderen", "side": "con", "size": 2}]}
ECOGRAM = {"kind": "ecogram", "items": [
    {"label": "Fatima", "relation": "zus", "meaning": "positive"},
    {"label": "Ex-partner", "relation": "ex", "meaning": "negative"},
    {"label": "Buurvrouw", "meaning": "neutral"}]}


async def test_drawings_round_trip_and_consent(client, factory, sessionmaker) -> None:
    coord, partner, ws = await setup_case(client, factory, sessionmaker, ["other", "work_training", "network"],
                                          ["network"])
    url = f"/api/v1/workspaces/{ws['id']}/drawings"
    for body in (BALANCE, SCALE, ECOGRAM):
        r = await client.post(url, json=body, headers=coord.headers)
        assert r.status_code == 201, r.text
    items = (await client.get(url, headers=coord.headers)).json()["items"]
    assert [i["kind"] for i in items] == ["ecogram", "scale", "balance"]
    assert [i["life_domain"] for i in items] == ["network", "work_training", "other"]
    balance = items[2]
    assert "Wat zwaar weegt: Schulden (3), Zieke zoon (2)" in balance["text_alternative"]
    assert "Fatima (zus): helpt" in items[0]["text_alternative"]
    # the partner may read network only: the ecogram, nothing else
    got = (await client.get(url, headers=partner.headers)).json()["items"]
    assert [i["kind"] for i in got] == ["ecogram"]
    assert await logged(sessionmaker, ws["id"], partner.agency_id, "drawing", action="read") == {"network"}
    r = await client.post(url, json=BALANCE, headers=partner.headers)
    assert r.status_code == 409 and r.json()["missing_consent"]["life_domain"] == "other"


async def test_bad_drawings_are_422(client, factory, sessionmaker) -> None:
    coord, _, ws = await setup_case(client, factory, sessionmaker, ["other", "work_training", "network"], [])
    url = f"/api/v1/workspaces/{ws['id']}/drawings"
    bad = [
        ({"kind": "balance", "items": []}, "items"),
        ({"kind": "balance", "items": [{"label": "x", "side": "pro"}]}, "items[0].side"),
        ({"kind": "balance", "items": [{"label": " ", "side": "burden"}]}, "items[0].label"),
        ({"kind": "scale", "items": SCALE["items"]}, "title"),
        ({"kind": "ecogram", "items": [{"label": "Jan", "meaning": "great"}]}, "items[0].meaning"),
        ({**BALANCE, "life_domain": "moon"}, "life_domain"),
        ({"kind": "balance", "items": [{"label": "x", "side": "burden", "size": 9}]}, None),
        ({"kind": "mural", "items": []}, None),
    ]
    for body, key in bad:
        r = await client.post(url, json=body, headers=coord.headers)
        assert r.status_code == 422, (body, r.text)
        if key:
            assert r.json()["errors"][0]["key"] == key
    assert (await client.get(url, headers=coord.headers)).json()["items"] == []

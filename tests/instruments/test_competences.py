"""Key competences (the handbook's glossary, compared with its text) and competence cards 1 and 2."""

from __future__ import annotations

import re

from tests.handbook import handbook_text
from tests.instruments.helpers import logged, setup_case


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


async def test_glossary_matches_the_handbook(client, factory) -> None:
    person = await factory.person()
    r = await client.get("/api/v1/key-competences", headers=person.headers)
    assert r.status_code == 200
    items = r.json()["items"]
    handbook = handbook_text()
    start = handbook.index("10. Sleutelcompetenties")
    section = _norm(handbook[start:handbook.index("11. Verslag van een W", start)])
    # every entry, name followed by its definition, in the handbook's order and wording
    pos = 0
    for item in items:
        at = section.find(_norm(f"{item['name']} {item['definition']}"), pos)
        assert at >= pos, item["name"]
        pos = at
    # and nothing of the glossary is left out: with every entry removed, only the heading remains
    rest = section
    for item in items:
        rest = rest.replace(_norm(f"{item['name']} {item['definition']}"), "", 1)
    assert _norm(rest) == "10. Sleutelcompetenties – verklarende woordenlijst"
    assert len(items) == 35
    assert items[0]["name"] == "Abstract denken" and items[-1]["name"] == "Zin voor esthetiek"
    for lang in ("fr", "en"):
        other = (await client.get(f"/api/v1/key-competences?lang={lang}", headers=person.headers)).json()["items"]
        assert [i["code"] for i in other] == [i["code"] for i in items]
        assert all(i["name"] and i["definition"] for i in other)
    assert (await client.get("/api/v1/key-competences")).status_code == 401


PROFILE = {"kind": "profile", "key_competences": ["perseverance", "empathy"],
           "technical_competences": ["Heftruck besturen"], "job_targets": ["Magazijnier", "Orderpicker"]}
JOB = {"kind": "job", "job_title": "Magazijnier", "tasks": [
    {"text": "Goederen ontvangen en controleren", "key_competences": ["accuracy"],
     "technical_competences": ["Scanner gebruiken"]},
    {"text": "Bestellingen klaarzetten", "key_competences": ["work_planning", "autonomy"]}]}


async def test_cards_round_trip_and_consent(client, factory, sessionmaker) -> None:
    coord, partner, ws = await setup_case(client, factory, sessionmaker, ["work_training"], ["housing"])
    url = f"/api/v1/workspaces/{ws['id']}/competence-cards"
    r = await client.post(url, json=PROFILE, headers=coord.headers)
    assert r.status_code == 201, r.text
    assert r.json()["life_domain"] == "work_training" and r.json()["job_targets"] == ["Magazijnier", "Orderpicker"]
    r = await client.post(url, json=JOB, headers=coord.headers)
    assert r.status_code == 201, r.text
    assert [t["key_competences"] for t in r.json()["tasks"]] == [["accuracy"], ["work_planning", "autonomy"]]
    items = (await client.get(url, headers=coord.headers)).json()["items"]
    assert [i["kind"] for i in items] == ["job", "profile"]
    assert await logged(sessionmaker, ws["id"], coord.agency_id, "competence_card", action="read") == {"work_training"}
    # without work_training consent: nothing to see, nothing to add
    assert (await client.get(url, headers=partner.headers)).json()["items"] == []
    r = await client.post(url, json=PROFILE, headers=partner.headers)
    assert r.status_code == 409 and r.json()["missing_consent"]["life_domain"] == "work_training"
    stranger = await factory.person()
    assert (await client.get(url, headers=stranger.headers)).status_code == 404


async def test_bad_cards_are_422_and_nothing_stored(client, factory, sessionmaker) -> None:
    coord, _, ws = await setup_case(client, factory, sessionmaker, ["work_training"], [])
    url = f"/api/v1/workspaces/{ws['id']}/competence-cards"
    bad = [
        ({**PROFILE, "key_competences": ["telepathy"]}, "key_competences[0]"),
        ({**PROFILE, "job_targets": ["a", "b", "c"]}, "job_targets"),
        ({"kind": "profile"}, "key_competences"),
        ({**PROFILE, "technical_competences": [" "]}, "technical_competences"),
        ({**PROFILE, "key_competences": ["empathy", "empathy"]}, "key_competences"),
        ({"kind": "job", "job_title": "", "tasks": JOB["tasks"]}, "job_title"),
        ({"kind": "job", "job_title": "Magazijnier", "tasks": []}, "tasks"),
        ({"kind": "job", "job_title": "Magazijnier", "tasks": [{"text": "x", "key_competences": ["nope"]}]},
         "tasks[0].key_competences[0]"),
        ({**PROFILE, "kind": "job"}, "kind"),
        ({**PROFILE, "job_targets": ["x" * 301]}, None),
        ({"kind": "poster"}, None),
    ]
    for body, key in bad:
        r = await client.post(url, json=body, headers=coord.headers)
        assert r.status_code == 422, (body, r.text)
        if key:
            assert r.json()["errors"][0]["key"] == key, r.json()
    r = await client.post(url, json={**PROFILE, "key_competences": ["telepathy"]}, headers=coord.headers)
    assert "telepathy" in r.json()["detail"]
    assert (await client.get(url, headers=coord.headers)).json()["items"] == []

"""Vignet API: eight sections, versioned, each readable only under consent for its life domain."""

from __future__ import annotations

from sqlalchemy import select

from tests.instruments.helpers import logged, setup_case

SECTIONS = [
    {"key": "objective_traits", "life_domain": "other", "text": "34 jaar, twee kinderen.", "sensitive": False},
    {"key": "life_story", "life_domain": "social", "text": "Groeide op in Borgerhout."},
    {"key": "welfare_obstacles", "life_domain": "finances", "text": "Schulden bij de energieleverancier."},
    {"key": "work_strengths", "life_domain": "work_training", "text": "Werkt graag met de handen."},
    {"key": "what_gives_strength", "life_domain": "network", "text": "Haar zus en de buurvrouw."},
]


async def test_vignet_round_trip_versions_and_consent(client, factory, sessionmaker) -> None:
    coord, partner, ws = await setup_case(client, factory, sessionmaker,
                                          ["other", "social", "finances", "work_training", "network"],
                                          ["work_training"])
    url = f"/api/v1/workspaces/{ws['id']}/vignet"
    r = await client.put(url, json={"sections": SECTIONS}, headers=coord.headers)
    assert r.status_code == 200, r.text
    got = {s["key"]: s for s in r.json()["sections"]}
    assert list(got) == ["objective_traits", "life_story", "welfare_obstacles", "work_strengths",
                         "what_gives_strength"]
    assert got["life_story"]["version"] == 1 and got["life_story"]["updated_by"] == coord.name

    # a change is a new version; an unchanged section keeps its version
    change = [{"key": "life_story", "life_domain": "social", "text": "Groeide op in Borgerhout, nu in Deurne."},
              {"key": "work_strengths", "life_domain": "work_training", "text": "Werkt graag met de handen."},
              {"key": "objective_traits", "life_domain": "other", "text": "Afkomst: Marokko.", "sensitive": True}]
    r = await client.put(url, json={"sections": change}, headers=coord.headers)
    got = {s["key"]: s for s in r.json()["sections"]}
    assert got["life_story"]["version"] == 2 and got["life_story"]["text"].endswith("Deurne.")
    assert got["work_strengths"]["version"] == 1
    assert got["objective_traits"]["sensitive"] is True
    from w2.instruments.models import VignetSection, VignetSectionVersion

    async with sessionmaker() as s:
        texts = list(await s.scalars(select(VignetSectionVersion.text).join(
            VignetSection, VignetSection.id == VignetSectionVersion.section_id).where(
            VignetSection.workspace_id == ws["id"], VignetSection.key == "life_story")
            .order_by(VignetSectionVersion.version)))
    assert texts == ["Groeide op in Borgerhout.", "Groeide op in Borgerhout, nu in Deurne."]

    # the partner reads only work_training; the read is logged per domain
    r = await client.get(url, headers=partner.headers)
    assert r.status_code == 200
    assert [s["key"] for s in r.json()["sections"]] == ["work_strengths"]
    assert await logged(sessionmaker, ws["id"], partner.agency_id, "vignet", action="read") == {"work_training"}
    # writing in a domain without consent: 409, logged as a denial, nothing stored
    r = await client.put(url, json={"sections": [{"key": "life_story", "life_domain": "finances", "text": "x"}]},
                         headers=partner.headers)
    assert r.status_code == 409 and r.json()["missing_consent"]["life_domain"] == "finances"
    assert await logged(sessionmaker, ws["id"], partner.agency_id, "vignet", outcome="denied") == {"finances"}
    # a section that exists in a domain the partner may not read cannot be overwritten from the side
    await _grant_more(sessionmaker, ws["id"], partner.agency_id)
    r = await client.put(url, json={"sections": [{"key": "life_story", "life_domain": "health", "text": "y"}]},
                         headers=partner.headers)
    assert r.status_code == 409, r.text
    r = await client.get(url, headers=coord.headers)
    assert {s["key"]: s["text"] for s in r.json()["sections"]}["life_story"].endswith("Deurne.")

    # revoking consent bites on the next request
    from tests.reports.helpers import revoke
    from w2.consent.models import Consent

    async with sessionmaker() as s:
        ids = list(await s.scalars(select(Consent.id).where(Consent.workspace_id == ws["id"],
                                                            Consent.agency_id == partner.agency_id)))
    await revoke(sessionmaker, ids)
    assert (await client.get(url, headers=partner.headers)).json()["sections"] == []


async def _grant_more(sm, workspace_id, agency_id) -> None:
    from tests.reports.helpers import grant

    await grant(sm, workspace_id, agency_id, ["health"], purposes=("information_sharing",))


async def test_bad_vignet_input_is_422_and_nothing_changes(client, factory, sessionmaker) -> None:
    coord, _, ws = await setup_case(client, factory, sessionmaker, ["other", "social"], [])
    url = f"/api/v1/workspaces/{ws['id']}/vignet"
    ok = {"key": "life_story", "life_domain": "social", "text": "Tekst"}
    bad = [
        ({"sections": []}, "sections"),
        ({"sections": [{**ok, "key": "hobbies"}]}, "sections[0].key"),
        ({"sections": [{**ok, "life_domain": "moon"}]}, "sections[0].life_domain"),
        ({"sections": [{**ok, "text": "   "}]}, "sections[0].text"),
        ({"sections": [ok, ok]}, "sections[1].key"),
        ({"sections": [{**ok, "text": "x" * 10001}]}, None),
        ({"sections": [{**ok, "colour": "red"}]}, None),
    ]
    for body, key in bad:
        r = await client.put(url, json=body, headers=coord.headers)
        assert r.status_code == 422, (body, r.text)
        if key:
            assert r.json()["errors"][0]["key"] == key
    assert (await client.get(url, headers=coord.headers)).json()["sections"] == []

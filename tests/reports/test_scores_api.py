"""Scoretabel API: validation, consent per theme's life domain, W²-cirkels and the voortgang PDF."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sqlalchemy import select

from tests.factories import new_workspace
from tests.reports.helpers import add_member, grant
from tests.reports.pdfutil import pdf_text


def sheet(filled_by: str = "jobseeker") -> dict:
    return {"filled_by": filled_by, "taken_on": "2026-03-01", "items": [
        {"theme": "income", "start": 2, "now": 4, "future": 7},
        {"theme": "housing", "start": 1, "now": 2, "future": 8},
        {"theme": "job_applications", "start": 3, "now": 5, "future": 8},
        {"theme": "training", "start": 2, "now": 5, "future": 6},
        {"theme": "self_confidence", "start": 2, "now": 6, "future": 8},
        {"theme": "feeling_valued", "start": 3, "now": 5, "future": 7},
        {"theme": "control_over_life", "now": 4},
        {"theme": "free", "label": "Rijbewijs halen", "start": 0, "now": 3, "future": 9},
    ]}


async def _setup(client, factory, sessionmaker):
    coord = await factory.person(kind="ocmw")
    ws = await new_workspace(client, coord)
    await grant(sessionmaker, ws["id"], coord.agency_id, ["finances", "housing", "work_training", "inner", "other"])
    vdab = await factory.person(kind="vdab")
    await add_member(client, coord, ws["id"], vdab)
    await grant(sessionmaker, ws["id"], vdab.agency_id, ["work_training"])
    return coord, vdab, ws


async def test_scores_round_trip_and_consent_filter(client, factory, sessionmaker) -> None:
    coord, vdab, ws = await _setup(client, factory, sessionmaker)
    base = f"/api/v1/workspaces/{ws['id']}/scores"
    r = await client.post(base, json=sheet(), headers=coord.headers)
    assert r.status_code == 201, r.text
    body = r.json()
    assert len(body["items"]) == 8
    by_theme = {i["theme"]: i for i in body["items"]}
    assert by_theme["income"]["life_domain"] == "finances" and by_theme["income"]["group"] == "outside"
    assert by_theme["self_confidence"]["life_domain"] == "inner" and by_theme["self_confidence"]["group"] == "inside"
    assert by_theme["free"]["label"] == "Rijbewijs halen" and by_theme["free"]["group"] == "free"

    r = await client.get(base, headers=coord.headers)
    assert r.status_code == 200 and len(r.json()["items"]) == 8
    r = await client.get(base, headers=vdab.headers)
    assert r.status_code == 200
    assert sorted(i["theme"] for i in r.json()["items"]) == ["job_applications", "training"]

    # an agency outside the workspace learns nothing
    stranger = await factory.person()
    r = await client.get(base, headers=stranger.headers)
    assert r.status_code == 404

    # every read is in the access log, per domain
    from w2.consent.models import AccessLogEntry

    async with sessionmaker() as s:
        logged = set(await s.scalars(select(AccessLogEntry.life_domain).where(
            AccessLogEntry.workspace_id == ws["id"], AccessLogEntry.agency_id == vdab.agency_id,
            AccessLogEntry.resource_type == "score")))
    assert logged == {"work_training"}


async def test_scores_need_consent_for_each_domain(client, factory, sessionmaker) -> None:
    coord, vdab, ws = await _setup(client, factory, sessionmaker)
    r = await client.post(f"/api/v1/workspaces/{ws['id']}/scores", json=sheet("counsellor"), headers=vdab.headers)
    assert r.status_code == 409, r.text
    assert r.json()["missing_consent"]["purpose"] == "information_sharing"
    from w2.consent.models import AccessLogEntry

    async with sessionmaker() as s:
        denied = set(await s.scalars(select(AccessLogEntry.life_domain).where(
            AccessLogEntry.workspace_id == ws["id"], AccessLogEntry.agency_id == vdab.agency_id,
            AccessLogEntry.outcome == "denied")))
    assert denied == {"finances"}
    ok = {"filled_by": "counsellor", "items": [{"theme": "training", "start": 3, "now": 5, "future": 7}]}
    r = await client.post(f"/api/v1/workspaces/{ws['id']}/scores", json=ok, headers=vdab.headers)
    assert r.status_code == 201, r.text


async def test_bad_scores_are_422(client, factory, sessionmaker) -> None:
    coord, _, ws = await _setup(client, factory, sessionmaker)
    url = f"/api/v1/workspaces/{ws['id']}/scores"
    bad = [
        {"filled_by": "jobseeker", "items": [{"theme": "income", "now": 11}]},
        {"filled_by": "jobseeker", "items": [{"theme": "income", "start": -1}]},
        {"filled_by": "jobseeker", "items": [{"theme": "luck", "now": 3}]},
        {"filled_by": "jobseeker", "items": [{"theme": "free", "now": 3}]},
        {"filled_by": "jobseeker", "items": [{"theme": "free", "label": "x", "life_domain": "moon", "now": 3}]},
        {"filled_by": "jobseeker", "items": [{"theme": "income"}]},
        {"filled_by": "jobseeker", "items": [{"theme": "income", "now": 1}, {"theme": "income", "now": 2}]},
        {"filled_by": "neighbour", "items": [{"theme": "income", "now": 3}]},
        {"filled_by": "jobseeker", "items": []},
    ]
    for body in bad:
        r = await client.post(url, json=body, headers=coord.headers)
        assert r.status_code == 422, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.post(url, json=bad[2], headers=coord.headers)
    assert r.json()["errors"][0]["key"] == "items[0].theme"


async def test_cirkels_svg_and_voortgang_pdf(client, factory, sessionmaker) -> None:
    coord, vdab, ws = await _setup(client, factory, sessionmaker)
    url = f"/api/v1/workspaces/{ws['id']}"
    assert (await client.post(f"{url}/scores", json=sheet(), headers=coord.headers)).status_code == 201
    counsellor = sheet("counsellor")
    counsellor["items"][0]["now"] = 2
    assert (await client.post(f"{url}/scores", json=counsellor, headers=coord.headers)).status_code == 201

    r = await client.get(f"{url}/scores/cirkels.svg?group=outside&filled_by=counsellor", headers=coord.headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(r.text)
    desc = root.find("{http://www.w3.org/2000/svg}desc").text
    assert "Inkomen: start 2, nu 2, toekomst 7" in desc and "Ervaring met solliciteren" in desc

    # VDAB only sees work and training: no income in its circle
    r = await client.get(f"{url}/scores/cirkels.svg?group=outside", headers=vdab.headers)
    assert "Inkomen" not in r.text and "Ervaring met solliciteren" in r.text

    r = await client.get(f"{url}/progress.pdf", headers=coord.headers)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text = pdf_text(r.content)
    for expected in ("Voortgang", "Buitenkant", "Binnenkant", "Zoals de werkzoekende het ziet",
                     "Zoals de trajectbegeleider het ziet", "Inkomen", "zelfvertrouwen", "Rijbewijs halen"):
        assert expected in text, expected
    text = pdf_text((await client.get(f"{url}/progress.pdf", headers=vdab.headers)).content)
    assert "solliciteren" in text and "Inkomen" not in text and "zelfvertrouwen" not in text

"""The job seeker: sees every section, adds their own view, and finds all instruments in their export."""

from __future__ import annotations

import uuid

from tests.instruments.helpers import setup_case
from tests.instruments.test_trajectory_api import GOALS
from w2.consent.portal_export import export_all
from w2.instruments import vignet
from w2.instruments.export import export_parts
from w2.instruments.schemas import SectionIn, VignetIn
from w2.platform.actor import Actor


async def test_own_view_and_export(client, factory, sessionmaker) -> None:
    coord, partner, ws = await setup_case(client, factory, sessionmaker,
                                          ["health", "housing", "work_training"], ["work_training"])
    base = f"/api/v1/workspaces/{ws['id']}"
    sections = [{"key": "welfare_obstacles", "life_domain": "health", "text": "Rugpijn na lang staan."}]
    assert (await client.put(f"{base}/vignet", json={"sections": sections}, headers=coord.headers)).status_code == 200
    assert (await client.post(f"{base}/phase", json={"code": "c1_first_contact"}, headers=coord.headers)).status_code == 201
    assert (await client.post(f"{base}/trajectory-agreements", json=GOALS, headers=coord.headers)).status_code == 201

    me = Actor(kind="jobseeker", workspace_id=uuid.UUID(ws["id"]), name="Test")
    async with sessionmaker() as s, s.begin():
        await vignet.write_vignet(s, me, me.workspace_id, VignetIn(sections=[
            SectionIn(key="welfare_obstacles", life_domain="health", text="Ik kan niet lang rechtstaan.")]))
    # the counsellor sees the job seeker's own words next to their own; the partner (no health) sees neither
    r = await client.get(f"{base}/vignet", headers=coord.headers)
    assert [v["text"] for v in r.json()["jobseeker_views"]] == ["Ik kan niet lang rechtstaan."]
    assert r.json()["jobseeker_views"][0]["updated_by"] == "de werkzoekende"
    r = await client.get(f"{base}/vignet", headers=partner.headers)
    assert r.json() == {"sections": [], "jobseeker_views": []}

    async with sessionmaker() as s, s.begin():
        data = await export_all(s, me, [export_parts])
    assert [p["code"] for p in data["phase_history"]] == ["c1_first_contact"]
    assert sorted((v["perspective"], v["text"]) for v in data["vignet"]) == [
        ("counsellor", "Rugpijn na lang staan."), ("jobseeker", "Ik kan niet lang rechtstaan.")]
    assert [g["life_domain"] for g in data["trajectory_agreements"][0]["goals"]] == ["housing", "work_training"]
    titles = [title for title, _ in data["_readable"]]
    mine = ["Je werk-welzijnsverslagen", "Je competentiekaarten", "Fasen van je traject", "Je vignet", "Je trajectovereenkomst"]
    start = titles.index(mine[0])
    assert titles[start:start + len(mine)] == mine

"""When a new scoretabel is due: none yet, three months after the last, or after the trajectory moved back."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from tests.instruments.helpers import setup_case
from w2.platform.actor import Actor
from w2.reports import scoretabel, scoring


async def _prompt(sm, person, wid) -> str | None:
    actor = Actor(kind="staff", user_id=person.user_id, agency_id=person.agency_id,
                  roles=frozenset({"coordinator", "worker"}))
    async with sm() as s, s.begin():
        sheets = scoretabel.sheets_of(await scoring.visible_scores(s, actor, wid))
        return await scoretabel.prompt(s, actor, wid, sheets, date.today())


async def test_prompt_first_three_months_and_after_moving_back(client, factory, sessionmaker) -> None:
    coord, partner, ws = await setup_case(client, factory, sessionmaker, ["finances", "work_training"], ["finances"])
    wid = uuid.UUID(ws["id"])
    base = f"/api/v1/workspaces/{wid}"
    assert await _prompt(sessionmaker, coord, wid) == "first"
    old = (date.today() - timedelta(days=95)).isoformat()
    sheet = {"filled_by": "counsellor", "taken_on": old, "items": [{"theme": "income", "now": 3}]}
    assert (await client.post(f"{base}/scores", json=sheet, headers=coord.headers)).status_code == 201
    assert await _prompt(sessionmaker, coord, wid) == "three_months"
    sheet["taken_on"] = date.today().isoformat()
    assert (await client.post(f"{base}/scores", json=sheet, headers=coord.headers)).status_code == 201
    assert await _prompt(sessionmaker, coord, wid) is None
    for code in ("c1_action", "c1_exploration"):
        assert (await client.post(f"{base}/phase", json={"code": code}, headers=coord.headers)).status_code == 201
    assert await _prompt(sessionmaker, coord, wid) == "moved_back"
    # an agency that may not read the phases is not told about the move back
    assert await _prompt(sessionmaker, partner, wid) is None

"""GET /agreements pages by keyset (cursor, has_more) and counts only up to a cap."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import insert

from tests.consent.helpers import add_agreement, grant, make_case, revoke
from w2.meetings.agreements.models import Agreement


async def _walk(client, person, limit: int, **params) -> list[dict]:
    items: list[dict] = []
    cursor = None
    for _ in range(100):
        q = {"owner": "my_agency", "limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        r = await client.get("/api/v1/agreements", params=q, headers=person.headers)
        assert r.status_code == 200, r.text
        body = r.json()
        items += body["items"]
        if not body.get("has_more"):
            assert "next_cursor" not in body
            return items
        cursor = body["next_cursor"]
    raise AssertionError("paging did not end")


async def test_cursor_pages_cover_the_list_once_in_order(client, factory):
    case = await make_case(client, factory, partners=1)
    p = case.partners[0]
    await grant(client, case, case.coord.agency_id, ["housing", "health"])
    await grant(client, case, p.agency_id, ["housing", "health"])
    dues = [None, 3, 3, 1, None, 7, 3, 1]
    for i, d in enumerate(dues):
        extra = {} if d is None else {"due_date": (date.today() + timedelta(d)).isoformat()}
        await add_agreement(client, case, "housing" if i % 2 else "health", p.agency_id, **extra)
    whole = await client.get("/api/v1/agreements", params={"owner": "my_agency", "limit": 50}, headers=p.headers)
    body = whole.json()
    assert body["total"] == 8 and "total_capped" not in body and "has_more" not in body
    want = [a["id"] for a in body["items"]]
    for limit in (1, 3, 5):
        assert [a["id"] for a in await _walk(client, p, limit)] == want
    # The old offset paging still answers the same order.
    r = await client.get("/api/v1/agreements", params={"owner": "my_agency", "limit": 3, "offset": 3},
                         headers=p.headers)
    assert [a["id"] for a in r.json()["items"]] == want[3:6] and r.json()["has_more"] is True


async def test_paging_shows_a_non_consented_agency_nothing(client, factory):
    case = await make_case(client, factory, partners=2)
    p, q = case.partners
    await grant(client, case, case.coord.agency_id, ["housing"])
    cp = await grant(client, case, p.agency_id, ["housing"])
    for _ in range(3):
        await add_agreement(client, case, "housing", p.agency_id)
    first = (await client.get("/api/v1/agreements", params={"limit": 1}, headers=p.headers)).json()
    assert first["has_more"] is True and first["next_cursor"]
    # Another agency replaying the cursor sees nothing: the cursor is a position, not a permission.
    r = await client.get("/api/v1/agreements", params={"limit": 1, "cursor": first["next_cursor"]},
                         headers=q.headers)
    assert r.status_code == 200 and r.json()["items"] == [] and r.json()["total"] == 0
    await revoke(client, case, cp["id"])
    r = await client.get("/api/v1/agreements", params={"limit": 1, "cursor": first["next_cursor"]},
                         headers=p.headers)
    assert r.json() == {"items": [], "total": 0}


async def test_bad_cursor_is_a_problem_naming_it(client, factory):
    case = await make_case(client, factory, partners=0)
    for bad in ("nonsense", "W10", "eyJhIjogMX0"):
        r = await client.get("/api/v1/agreements", params={"cursor": bad}, headers=case.coord.headers)
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["errors"][0]["key"] == "cursor"


async def test_total_stops_at_the_cap(client, factory, sessionmaker):
    case = await make_case(client, factory, partners=1)
    p = case.partners[0]
    await grant(client, case, p.agency_id, ["finances"])
    rows = [{"id": uuid.uuid4(), "workspace_id": uuid.UUID(case.wid), "life_domain": "finances",
             "description": f"afspraak {i}", "owner_kind": "agency", "owner_agency_id": p.agency_id,
             "status": "open"} for i in range(1001)]
    async with sessionmaker() as s, s.begin():
        await s.execute(insert(Agreement), rows)
    r = await client.get("/api/v1/agreements", params={"owner": "my_agency", "limit": 10}, headers=p.headers)
    body = r.json()
    assert body["total"] == 1000 and body["total_capped"] is True and body["has_more"] is True
    assert len(body["items"]) == 10

"""Issue 13 item 12: every route of the app, walked by three outsiders of one case.

The route table is read from the app itself, so a new route is walked without anyone adding it here.
Each route is called with every method on the ids of one case, by a browser without credentials, by a
professional of an agency outside the case (signed in on the pages and with an API token) and by the
job seeker of another workspace (portal session). No answer may be a 5xx, and none may hold the case's
content or its identity. A positive control proves the same search finds the content for the case's
own coordinator.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.factories import new_workspace
from tests.pages.cases import grant, portal_link
from tests.portal.helpers import PASSWORD, csrf, fresh_client, staff_sign_in
from tests.routes import body_text, fill, walkable_routes

# Signing in and out would end the walker's own session.
SKIP = {("POST", "/logout"), ("POST", "/login"), ("POST", "/portal/afmelden"), ("POST", "/login/sso")}


async def _case(client: Any, factory: Any, sessionmaker: Any) -> tuple[Any, dict[str, str], list[str]]:
    """One case with content in every part; returns its coordinator, its ids and its secrets."""
    coord = await factory.person(kind="ocmw", roles=("coordinator", "worker"), password=PASSWORD)
    partner = await factory.person(kind="vdab", roles=("worker",))
    family = f"Verborgen{uuid.uuid4().hex[:6]}"
    email = f"walk-{uuid.uuid4().hex[:8]}@example.be"
    ws = await new_workspace(client, coord, given_name="Noor", family_name=family, email=email,
                             phone="+32 470 98 76 54", national_number="85073003328")
    wid = ws["id"]
    r = await client.post(f"/api/v1/workspaces/{wid}/members", headers=coord.headers,
                          json={"agency_id": str(partner.agency_id), "question_type": "doorverwijzing",
                                "question": "Vraag naar budgetbegeleiding"})
    assert r.status_code == 201, r.text
    for agency in (coord.agency_id, partner.agency_id):
        await grant(sessionmaker, uuid.UUID(wid), agency, ["finances", "housing", "other", "health"])
    r = await client.post(f"/api/v1/workspaces/{wid}/confidants", headers=coord.headers,
                          json={"name": "Buurman Ward", "relation": "buur"})
    assert r.status_code == 201, r.text
    r = await client.post(f"/api/v1/workspaces/{wid}/agreements", headers=coord.headers,
                          json={"life_domain": "finances", "description": "Huurachterstal afbetalen",
                                "owner": {"kind": "agency", "agency_id": str(partner.agency_id)}})
    assert r.status_code == 201, r.text
    agreement_id = r.json()["id"]
    r = await client.post(f"/api/v1/workspaces/{wid}/meetings", headers=coord.headers,
                          json={"reason": "Vastgelopen begeleiding", "goal": "Samen een plan",
                                "requested_by": {"kind": "professional", "user_id": str(coord.user_id)}})
    assert r.status_code == 201, r.text
    mid = r.json()["id"]
    r = await client.post(f"/api/v1/meetings/{mid}/invitees", headers=coord.headers, json={"kind": "jobseeker"})
    assert r.status_code == 201, r.text
    consents = (await client.get(f"/api/v1/workspaces/{wid}/consents", headers=coord.headers)).json()["items"]
    params = {"workspace_id": wid, "meeting_id": mid, "invitee_id": r.json()["id"], "agreement_id": agreement_id,
              "consent_id": consents[0]["id"], "user_id": str(coord.user_id), "life_domain": "finances",
              "file_path": "w2.css"}
    secrets = [wid, mid, agreement_id, family, email, "85073003328", "Buurman Ward", "Huurachterstal",
               "Vastgelopen begeleiding", "budgetbegeleiding"]
    return coord, params, secrets


async def _walk(c: Any, routes: list[tuple[str, str]], params: dict[str, str], headers: dict[str, str],
                label: str, secrets: list[str], problems: list[str]) -> int:
    """Call every route once; note a 5xx or a secret in the answer (minus the path the caller sent)."""
    walked = 0
    token = c.cookies.get("csrftoken", "")
    for method, path in routes:
        url = fill(path, params)
        api = path.startswith("/api/")
        kwargs: dict[str, Any] = {}
        if method != "GET":
            kwargs = {"json": {}} if api else {"data": {"_csrf_token": token}}
        resp = await c.request(method, url, headers=headers if api else {}, follow_redirects=False, **kwargs)
        walked += 1
        if resp.status_code >= 500:
            problems.append(f"{label} {method} {path} -> {resp.status_code}")
        text = body_text(resp.content, resp.headers.get("content-type", "")).replace(url, "")
        text += " ".join(v for k, v in resp.headers.items() if k.lower() != "set-cookie").replace(url, "")
        problems += [f"{label} {method} {path} -> {resp.status_code} holds {s!r}" for s in secrets if s in text]
    return walked


@pytest.mark.filterwarnings("ignore")
async def test_outsiders_walk_every_route_and_learn_nothing(app, client, factory, sessionmaker):
    coord, params, secrets = await _case(client, factory, sessionmaker)
    routes = walkable_routes(app, SKIP)
    assert len(routes) >= 150, "the route table lost routes"
    outsider = await factory.person(kind="caw", roles=("coordinator", "worker", "agency_admin"), password=PASSWORD)
    other_ws = await new_workspace(client, outsider, given_name="Ander")
    problems: list[str] = []
    walked = 0

    # Positive control: the case's own coordinator does find its content with the same search.
    async with fresh_client(client) as c:
        await staff_sign_in(c, coord.email)
        found: list[str] = []
        await _walk(c, [("GET", "/workspaces/{workspace_id:uuid}"), ("GET", "/api/v1/meetings/{meeting_id:uuid}")],
                    params, coord.headers, "coordinator", secrets, found)
        assert any("'Vastgelopen begeleiding'" in f for f in found), found
        assert any(f"{secrets[3]!r}" in f and f.startswith("coordinator GET /workspaces/") for f in found), found

    async with fresh_client(client) as c:
        await c.get("/login")  # a browser that has been to the site (a CSRF cookie) but never signed in
        walked += await _walk(c, routes, params, {}, "anonymous", secrets, problems)

    async with fresh_client(client) as c:
        await staff_sign_in(c, outsider.email)
        walked += await _walk(c, routes, params, outsider.headers, "other agency", secrets, problems)

    async with fresh_client(client) as c:
        link = await portal_link(sessionmaker, uuid.UUID(other_ws["id"]))
        page = await c.get(link)
        r = await c.post(link, data={"_csrf_token": csrf(page.text)}, follow_redirects=False)
        assert r.status_code in (302, 303) and r.headers["location"] == "/portal"
        assert (await c.get("/portal")).status_code == 200  # signed in as the other job seeker
        walked += await _walk(c, routes, params, {}, "other job seeker", secrets, problems)

    assert walked == 3 * len(routes)
    assert not problems, "\n".join(problems)

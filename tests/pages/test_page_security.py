"""Page security without a browser: CSRF, one-time links, session expiry, and HTML (not JSON) refusals."""

from __future__ import annotations

import json
import time

from tests.pages.cases import make_case, portal_link


async def _portal_session(client, sessionmaker, workspace_id):
    link = await portal_link(sessionmaker, workspace_id)
    r = await client.get(link)
    assert r.status_code == 200
    token = client.cookies.get("csrftoken")
    r = await client.post(link, data={"_csrf_token": token}, follow_redirects=False)
    assert r.status_code in (302, 303) and r.headers["location"] == "/portal"
    return link


async def test_portal_post_without_csrf_token_is_refused(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    client.cookies.clear()
    await _portal_session(client, sessionmaker, case.workspace_id)
    r = await client.post("/portal/toestemming", data={"agency_id": str(case.partner.agency_id),
                                                       "life_domain": "finances", "value": "no"})
    assert r.status_code == 403
    client.cookies.clear()


async def test_used_link_and_idle_session_end_access(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    client.cookies.clear()
    link = await _portal_session(client, sessionmaker, case.workspace_id)
    assert (await client.get("/portal/toestemming")).status_code == 200
    # A second use of the same link does not sign anyone in.
    again = await client.post(link, data={"_csrf_token": client.cookies.get("csrftoken")})
    assert again.status_code == 404
    # Idle for longer than the limit: the next request finds the session ended.
    from w2.platform.boot.app import _stores
    from w2.platform.settings import get_settings

    store = _stores(get_settings())["sessions"]  # same store, own connection on this test's loop
    sid = client.cookies.get("session")
    data = json.loads(await store.get(sid))
    data["last_seen"] = int(time.time()) - 31 * 60
    await store.set(sid, json.dumps(data).encode())
    await store._redis.aclose()
    r = await client.get("/portal/toestemming", follow_redirects=False)
    assert r.status_code in (302, 303) and r.headers["location"] == "/portal/uit?verlopen=1"
    client.cookies.clear()


async def test_staff_pages_redirect_to_login_and_refuse_in_html(client, factory, sessionmaker):
    client.cookies.clear()
    r = await client.get("/afspraken", follow_redirects=False)
    assert r.status_code in (302, 303) and r.headers["location"].startswith("/login?next=/afspraken")
    case = await make_case(client, factory, sessionmaker)
    r = await client.get("/portal", follow_redirects=False)
    assert r.headers["location"] == "/portal/uit"
    assert (await client.get(f"/workspaces/{case.workspace_id}", follow_redirects=False)).status_code in (302, 303)

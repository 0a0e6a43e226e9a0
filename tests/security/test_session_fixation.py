"""Finding 1: a session id planted before sign-in must not become a signed-in session."""

from __future__ import annotations

import re
from typing import Any

from litestar.testing import AsyncTestClient

from tests.pages.cases import make_case, portal_link


def _csrf(html: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


async def _planted(c: AsyncTestClient[Any]) -> str:
    """Get a session cookie before signing in (the id someone left behind on a shared PC)."""
    c.cookies.clear()
    await c.post("/portal/taal", data={"language": "fr", "_csrf_token": _csrf((await c.get("/login")).text)})
    sid = c.cookies.get("session")
    assert sid and sid != "null"
    return sid


async def _with_only(c: AsyncTestClient[Any], sid: str, path: str) -> int:
    """Status of `path` for a second browser holding nothing but session id `sid`."""
    saved = list(c.cookies.jar)
    c.cookies.clear()
    c.cookies.set("session", sid, domain="testserver.local")
    try:
        return (await c.get(path, follow_redirects=False)).status_code
    finally:
        c.cookies.clear()
        for cookie in saved:
            c.cookies.jar.set_cookie(cookie)


async def test_staff_sign_in_rotates_the_session_id(client, factory):
    p = await factory.person(password="een-goed-wachtwoord")
    planted = await _planted(client)
    r = await client.post("/login", data={"email": p.email, "password": "een-goed-wachtwoord",
                                          "_csrf_token": _csrf((await client.get("/login")).text)},
                          follow_redirects=False)
    assert r.status_code in (302, 303), r.text
    assert client.cookies.get("session") not in (None, planted)
    assert (await client.get("/", follow_redirects=False)).status_code == 200
    # The planted id is dead: holding it signs nobody in.
    assert await _with_only(client, planted, "/") in (302, 303)
    client.cookies.clear()


async def test_portal_link_sign_in_rotates_and_sign_out_kills_the_old_id(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    planted = await _planted(client)
    link = await portal_link(sessionmaker, case.workspace_id)
    await client.get(link)
    r = await client.post(link, data={"_csrf_token": client.cookies.get("csrftoken")}, follow_redirects=False)
    assert r.status_code in (302, 303)
    signed_in = client.cookies.get("session")
    assert signed_in not in (None, planted)
    assert await _with_only(client, planted, "/portal") in (302, 303)
    assert await _with_only(client, signed_in, "/portal") == 200
    home = await client.get("/portal")
    await client.post("/portal/afmelden", data={"_csrf_token": _csrf(home.text)}, follow_redirects=False)
    # After sign-out the id used while signed in opens nothing any more.
    assert await _with_only(client, signed_in, "/portal") in (302, 303)
    client.cookies.clear()


async def test_https_uses_host_prefixed_cookies(settings_env, monkeypatch):
    from w2.platform.boot.app import create_app
    from w2.platform.settings import load_settings

    monkeypatch.setenv("W2_BASE_URL", "https://w2.example")
    st = load_settings()
    assert st.secure_cookies
    https_app = create_app(st)
    async with AsyncTestClient(app=https_app, base_url="https://w2.example") as c:
        first = await c.get("/login")
        assert any(h.startswith("__Host-csrftoken=") and "Secure" in h for h in first.headers.get_list("set-cookie"))
        r = await c.post("/portal/taal", data={"language": "fr", "_csrf_token": _csrf(first.text)},
                         follow_redirects=False)
        session = [h for h in r.headers.get_list("set-cookie") if h.startswith("__Host-session=")]
        assert session, r.headers.get_list("set-cookie")
        assert "Secure" in session[0] and "Path=/" in session[0] and "Domain" not in session[0]

"""Sign-in on pages: CSRF, cookie flags, rate limiting; and every API route refuses anonymous calls."""

from __future__ import annotations

import re
import uuid

from litestar.handlers import HTTPRouteHandler

from w2.platform.auth import public


def _csrf(html: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


async def test_every_api_route_needs_credentials(app, client):
    checked = 0
    for route in app.routes:
        if not route.path.startswith("/api/v1") or route.path.startswith(("/api/v1/openapi", "/api/v1/docs")):
            continue
        for handler in getattr(route, "route_handlers", []):
            if not isinstance(handler, HTTPRouteHandler) or public in (handler.guards or []):
                continue
            if not getattr(handler.fn, "__module__", "").startswith("w2."):
                continue  # Litestar's own OpenAPI routes
            path = re.sub(r"\{[^}:]+(:[a-z]+)?\}", lambda m: str(uuid.uuid4()) if m.group(1) == ":uuid"
                          else "x", route.path)
            for method in handler.http_methods:
                r = await client.request(method, path, json={})
                assert r.status_code == 401, f"{method} {route.path} answered {r.status_code} without a token"
                checked += 1
    assert checked >= 6


async def test_sign_in_sets_safe_cookie_and_needs_csrf(client, factory):
    p = await factory.person(password="een-goed-wachtwoord")
    client.cookies.clear()
    page = await client.get("/login")
    token = _csrf(page.text)
    no_csrf = await client.post("/login", data={"email": p.email, "password": "een-goed-wachtwoord"})
    assert no_csrf.status_code == 403
    r = await client.post("/login", data={"email": p.email, "password": "een-goed-wachtwoord",
                                          "_csrf_token": token}, follow_redirects=False)
    assert r.status_code in (302, 303), r.text
    cookie = r.headers.get("set-cookie", "")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("samesite", "SameSite")
    home = await client.get("/")
    assert home.status_code == 200 and p.name in home.text
    # The API never accepts the page session.
    assert (await client.get("/api/v1/me")).status_code == 401
    assert "Content-Security-Policy" in home.headers and "script-src 'self'" in home.headers[
        "Content-Security-Policy"]
    r = await client.post("/logout", data={"_csrf_token": _csrf(home.text)}, follow_redirects=False)
    assert r.status_code in (302, 303)
    assert (await client.get("/", follow_redirects=False)).status_code in (302, 303)
    client.cookies.clear()


async def test_failed_sign_ins_are_rate_limited(client, factory):
    p = await factory.person(password="het-juiste-wachtwoord")
    client.cookies.clear()
    token = _csrf((await client.get("/login")).text)
    for _ in range(5):
        r = await client.post("/login", data={"email": p.email, "password": "fout", "_csrf_token": token})
        assert r.status_code == 400 and "klopt niet" in r.text
    r = await client.post("/login", data={"email": p.email, "password": "het-juiste-wachtwoord",
                                          "_csrf_token": token})
    assert r.status_code == 429 and "15 minuten" in r.text
    client.cookies.clear()

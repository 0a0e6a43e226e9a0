"""A request still running must not write back the session it read: that undid a sign-out or a message.

It now stores only its own changes, merged into what is stored at that moment (nothing if the session ended).

Against a real server, since the two requests must truly overlap.
Request A (an API call that also carries the page cookie) reads the session, then waits for its body.
Meanwhile request B changes the session. When A then finishes, the old code stored A's stale copy over
B's change: a signed-out session came back to life and the "bewaard" message of the next page was lost.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx

from tests.pages.cases import make_case, portal_link
from tests.portal.helpers import csrf


async def _while_a_request_is_open(base: str, cookies: httpx.Cookies, headers: dict[str, str],
                                   meanwhile: Callable[[], Awaitable[None]], path: str = "/api/v1/workspaces",
                                   payload: bytes = b"{}") -> httpx.Response:
    """Start a request with these cookies that has read the session, run `meanwhile`, then let it end."""
    release = asyncio.Event()

    async def body() -> AsyncIterator[bytes]:
        await release.wait()
        yield payload

    async with httpx.AsyncClient(base_url=base, cookies=cookies) as other:
        slow = asyncio.create_task(other.post(path, content=body(),
                                              headers={"content-type": "application/json", **headers}))
        await asyncio.sleep(0.3)  # A is now inside the app, waiting for its body
        assert not slow.done()
        await meanwhile()
        release.set()
        return await slow


async def _signed_in_portal(base: str, client: Any, factory: Any, sessionmaker: Any) -> tuple[httpx.AsyncClient, Any]:
    case = await make_case(client, factory, sessionmaker)
    c = httpx.AsyncClient(base_url=base)
    link = await portal_link(sessionmaker, case.workspace_id)
    await c.get(link)
    r = await c.post(link, data={"_csrf_token": c.cookies.get("csrftoken")})
    assert r.status_code in (302, 303), r.text
    assert (await c.get("/portal")).status_code == 200
    return c, case


async def test_sign_out_stays_final_while_another_request_is_open(real_server, client, factory, sessionmaker):
    c, case = await _signed_in_portal(real_server, client, factory, sessionmaker)
    signed_in = c.cookies.get("session")
    copied = httpx.Cookies({"session": signed_in})

    async def sign_out() -> None:
        home = await c.get("/portal")
        await c.post("/portal/afmelden", data={"_csrf_token": csrf(home.text)})

    r = await _while_a_request_is_open(real_server, copied, case.coordinator.headers, sign_out)
    assert r.status_code >= 400  # an empty workspace is refused; what matters is the session
    async with httpx.AsyncClient(base_url=real_server, cookies=copied) as after:
        assert (await after.get("/portal")).status_code in (302, 303)
    await c.aclose()


async def test_a_change_made_meanwhile_is_kept(real_server, client, factory, sessionmaker):
    c, case = await _signed_in_portal(real_server, client, factory, sessionmaker)

    async def to_french() -> None:
        home = await c.get("/portal")
        r = await c.post("/portal/taal", data={"language": "fr", "_csrf_token": csrf(home.text)})
        assert r.status_code in (302, 303)

    r = await _while_a_request_is_open(real_server, httpx.Cookies({"session": c.cookies.get("session")}),
                                       case.coordinator.headers, to_french)
    assert r.status_code >= 400
    assert '<html lang="fr"' in (await c.get("/portal")).text
    await c.aclose()


async def test_a_page_that_changes_the_session_late_does_not_undo_a_sign_out(real_server, client, factory, sessionmaker):
    c, _ = await _signed_in_portal(real_server, client, factory, sessionmaker)
    signed_in, csrf_cookie = c.cookies.get("session"), c.cookies.get("csrftoken")
    copied = httpx.Cookies({"session": signed_in, "csrftoken": csrf_cookie})

    async def sign_out() -> None:
        home = await c.get("/portal")
        await c.post("/portal/afmelden", data={"_csrf_token": csrf(home.text)})

    # A changes the language (the token in the header, so only the handler waits for the body).
    r = await _while_a_request_is_open(
        real_server, copied, {"x-csrftoken": csrf_cookie, "content-type": "application/x-www-form-urlencoded"},
        sign_out, path="/portal/taal", payload=b"language=en")
    assert r.status_code in (302, 303), r.text
    async with httpx.AsyncClient(base_url=real_server, cookies=httpx.Cookies({"session": signed_in})) as after:
        assert (await after.get("/portal")).status_code in (302, 303)
    await c.aclose()

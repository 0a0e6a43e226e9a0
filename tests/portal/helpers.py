"""Helpers for the portal-key tests: sign in as staff on pages, deliver the outbox, try a token."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from litestar.testing import AsyncTestClient
from sqlalchemy import select

PASSWORD = "een-lang-test-wachtwoord"
# Anything that could be a link token: token_urlsafe(24) is 32 characters of this alphabet.
CANDIDATE = re.compile(r"[A-Za-z0-9_-]{20,}")


def csrf(html: str) -> str:
    """The CSRF field of the first form on a page."""
    m = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF field on the page"
    return m.group(1)


@asynccontextmanager
async def fresh_client(client: AsyncTestClient[Any]) -> AsyncIterator[AsyncTestClient[Any]]:
    """Another browser: the shared client with an empty cookie jar, the old jar restored afterwards."""
    saved = httpx.Cookies(client.cookies)
    client.cookies = httpx.Cookies()
    try:
        yield client
    finally:
        client.cookies = saved


async def staff_sign_in(client: AsyncTestClient[Any], email: str, password: str = PASSWORD) -> None:
    """Sign in on the pages with the login form (admins also take the second step)."""
    page = await client.get("/login")
    r = await client.post("/login", data={"email": email, "password": password, "_csrf_token": csrf(page.text)},
                          follow_redirects=False)
    assert r.status_code in (302, 303), r.text[:300]
    where = r.headers.get("location", "")
    if where.startswith("/login/tweede-stap"):
        await _second_step(client, email, where)


TOTP_SECRETS: dict[str, str] = {}


async def _second_step(client: AsyncTestClient[Any], email: str, where: str) -> None:
    """Enrol the authenticator the first time, later type the code of the next time step (not used yet)."""
    import time

    import pyotp

    page = await client.get(where)
    if where.endswith("/instellen"):
        found = re.search(r'id="secret">([A-Z2-7 ]+)<', page.text)
        assert found, page.text[:300]
        TOTP_SECRETS[email] = found.group(1).replace(" ", "")
        code = pyotp.TOTP(TOTP_SECRETS[email]).now()
    else:
        code = pyotp.TOTP(TOTP_SECRETS[email]).at(time.time() + 30)
    r = await client.post(where, data={"code": code, "_csrf_token": csrf(page.text)}, follow_redirects=False)
    assert r.status_code in (200, 302, 303), r.text[:300]


async def signs_in_as_jobseeker(client: AsyncTestClient[Any], token: str) -> bool:
    """Open /portal/in/<token> in a fresh browser and press the button: does it start a portal session?"""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", token):
        return False
    async with fresh_client(client) as c:
        page = await c.get(f"/portal/in/{token}")
        if page.status_code != 200 or "_csrf_token" not in page.text:
            return False
        r = await c.post(f"/portal/in/{token}", data={"_csrf_token": csrf(page.text)}, follow_redirects=False)
        if r.status_code not in (302, 303) or r.headers.get("location") != "/portal":
            return False
        return (await c.get("/portal", follow_redirects=False)).status_code == 200


async def usable_hashes(sessionmaker: Any) -> set[str]:
    """Hashes of every link that would still sign someone in."""
    from w2.platform.db.base import utcnow
    from w2.platform.portal_auth import PortalLink

    async with sessionmaker() as s:
        return set(await s.scalars(select(PortalLink.token_hash).where(
            PortalLink.used_at.is_(None), PortalLink.voided_at.is_(None), PortalLink.expires_at > utcnow())))


def tokens_in(text: str, hashes: set[str]) -> list[str]:
    """Every substring of `text` that is the token of a usable link (compared by its hash)."""
    from w2.platform.auth import token_digest

    found = []
    for cand in set(CANDIDATE.findall(text)):
        # A token may sit inside a longer run (e.g. joined to other URL-safe characters).
        pieces = {cand} | {cand[i:i + 32] for i in range(0, max(0, len(cand) - 31))}
        found += [p for p in pieces if token_digest(p) in hashes]
    return found


async def usable_tokens(sessionmaker: Any, text: str) -> list[str]:
    """Tokens of usable links found anywhere in `text`."""
    return tokens_in(text, await usable_hashes(sessionmaker))


async def deliver_pending(sessionmaker: Any, workspace_id: uuid.UUID) -> list[str]:
    """Deliver the workspace's pending outbox rows with the real sender (as a worker would)."""
    from w2.platform import runtime
    from w2.platform.outbox import OutboxMessage
    from w2.platform.tasks import deliver_one

    async with sessionmaker() as s:
        ids = list(await s.scalars(select(OutboxMessage.id).where(
            OutboxMessage.workspace_id == workspace_id, OutboxMessage.status == "pending")))
    out = []
    for mid in ids:
        out.append(await asyncio.to_thread(runtime.run, lambda sm, mid=mid: deliver_one(sm, mid)))
    return out


def link_in(text: str) -> str:
    """The sign-in token from a delivered mail or SMS."""
    m = re.search(r"/portal/in/([A-Za-z0-9_-]+)", text)
    assert m, f"no sign-in link in: {text[:300]}"
    return m.group(1)

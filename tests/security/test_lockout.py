"""Finding 2: sign-in lockout holds under parallel guesses and against password spraying."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient


def _csrf(html: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


@pytest.fixture
async def own_client(settings_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Any]:
    """An app with its own sign-in counters (own queue name), so its address budget is not shared."""
    from w2.platform.boot.app import create_app
    from w2.platform.settings import load_settings

    monkeypatch.setenv("W2_QUEUE", f"lockout-{uuid.uuid4().hex[:8]}")
    async with AsyncTestClient(app=create_app(load_settings()), base_url="http://testserver.local") as c:
        yield c


async def _attempt(c: Any, email: str, password: str, token: str) -> int:
    r = await c.post("/login", data={"email": email, "password": password, "_csrf_token": token},
                     follow_redirects=False)
    return r.status_code


async def test_parallel_wrong_passwords_cannot_outrun_the_lockout(real_server, factory):
    import httpx

    p = await factory.person(password="het-juiste-wachtwoord")
    async with httpx.AsyncClient(base_url=real_server, timeout=120) as c:
        token = _csrf((await c.get("/login")).text)
        codes = await asyncio.gather(*[_attempt(c, p.email, f"fout-{i}", token) for i in range(20)])
        assert codes.count(400) <= 5, codes
        assert codes.count(429) >= 15, codes
        # The account is locked: even the right password waits out the window.
        assert await _attempt(c, p.email, "het-juiste-wachtwoord", token) == 429


async def test_spraying_many_addresses_from_one_place_is_stopped(own_client, factory):
    p = await factory.person(password="het-juiste-wachtwoord")
    token = _csrf((await own_client.get("/login")).text)
    codes = [await _attempt(own_client, f"{uuid.uuid4().hex[:10]}@test.w2", "Zomer2026!", token) for _ in range(30)]
    assert set(codes) == {400}, codes
    # Budget for this client address used up: the next address is refused without a password check.
    assert await _attempt(own_client, p.email, "het-juiste-wachtwoord", token) == 429


async def test_successful_sign_in_does_not_use_up_the_address_budget(own_client, factory):
    p = await factory.person(password="het-juiste-wachtwoord")
    for _ in range(32):
        own_client.cookies.clear()
        token = _csrf((await own_client.get("/login")).text)
        assert await _attempt(own_client, p.email, "het-juiste-wachtwoord", token) in (302, 303)


def test_client_address_only_from_trusted_proxies(monkeypatch):
    from w2.platform.boot.cli import serve_options
    from w2.platform.settings import load_settings

    monkeypatch.delenv("W2_FORWARDED_ALLOW_IPS", raising=False)
    assert serve_options(load_settings())["forwarded_allow_ips"] == "127.0.0.1"
    monkeypatch.setenv("W2_FORWARDED_ALLOW_IPS", "10.0.0.5")
    assert serve_options(load_settings()) == {"proxy_headers": True, "forwarded_allow_ips": "10.0.0.5"}

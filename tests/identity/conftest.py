"""A real OpenID provider (npm oidc-provider on Node.js) on localhost, and a browser-free way through it."""

from __future__ import annotations

import base64
import json
import logging
import re
import shutil
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest
from litestar.testing import AsyncTestClient

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_JS = Path(__file__).resolve().parent / "provider.mjs"
APP_BASE = "http://testserver.local"
NN_CLAIM = "rrn"
SECRET = "test-only-client-secret-0123456789abcdef"
# Clients whose ID tokens the provider changes after issuing them (and signs again with its own key).
OVERRIDES = {"citizen-badnonce": {"nonce": "a-nonce-w2-never-sent"},
             "citizen-wrongaud": {"aud": "another-relying-party"},
             "citizen-expired": {"expired": True},
             # Levels of assurance as a provider states them in `acr` (see test_citizen_oidc.py).
             "citizen-acr-low": {"acr": "urn:w2:test:loa:low"},
             "citizen-acr-substantial": {"acr": "urn:w2:test:loa:substantial"}}
CITIZEN_CLIENTS = ["citizen", *OVERRIDES]
AGENCY_CLIENTS = ["agency-a", "agency-b"]


@dataclass(frozen=True)
class OidcProvider:
    """The running provider."""

    issuer: str


def _client(client_id: str, callback: str) -> dict[str, Any]:
    return {"client_id": client_id, "client_secret": SECRET, "redirect_uris": [f"{APP_BASE}{callback}"],
            "grant_types": ["authorization_code"], "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_basic"}


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    """Start the provider once per run on a free port; stop it at the end."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError("Node.js with node_modules/oidc-provider is needed: run `bash scripts/ensure-browser.sh`")
    port = free_port()
    cfg = {"port": port, "national_number_claims": [NN_CLAIM], "id_token_overrides": OVERRIDES,
           "clients": [_client(c, "/portal/oidc/terug") for c in CITIZEN_CLIENTS]
           + [_client(c, "/login/sso/terug") for c in AGENCY_CLIENTS]}
    path = tmp_path_factory.mktemp("oidc") / "provider.json"
    path.write_text(json.dumps(cfg))
    proc = subprocess.Popen([node, str(PROVIDER_JS), str(path)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line.startswith("ready "):
            raise RuntimeError(f"the OpenID provider did not start: {line!r}")
        issuer = line.split()[1]
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the OpenID provider does not answer")
            time.sleep(0.1)
        yield OidcProvider(issuer=issuer)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def account(**claims: Any) -> str:
    """A login name for the provider's form that carries the account's claims (see provider.mjs)."""
    return "claims." + base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")


async def through_provider(authorize_url: str, login: str) -> str:
    """Play the person at the provider: sign in and consent in its forms; the URL it sends them back to."""
    async with httpx.AsyncClient(follow_redirects=False, timeout=10) as http:
        resp = await http.get(authorize_url)
        for _ in range(12):
            if resp.status_code in (302, 303):
                target = urljoin(str(resp.url), resp.headers["location"])
                if target.startswith(APP_BASE):
                    return target
                resp = await http.get(target)
                continue
            assert resp.status_code == 200, f"provider answered {resp.status_code}: {resp.text[:300]}"
            action = re.search(r'<form[^>]*action="([^"]+)"', resp.text)
            prompt = re.search(r'name="prompt" value="([^"]+)"', resp.text)
            assert action and prompt, resp.text[:500]
            form = {"prompt": prompt.group(1)}
            if form["prompt"] == "login":
                form |= {"login": login, "password": "any"}
            resp = await http.post(urljoin(str(resp.url), action.group(1)), data=form)
    raise AssertionError("the provider never sent the person back")


def csrf(html: str) -> str:
    """The CSRF field of a page."""
    found = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


@asynccontextmanager
async def app_client(**settings: Any) -> AsyncIterator[AsyncTestClient[Any]]:
    """The app with extra settings (e.g. citizen OpenID Connect), with its own cookie jar."""
    from w2.platform.boot.app import create_app
    from w2.platform.settings import get_settings

    app = create_app(replace(get_settings(), **settings))
    async with AsyncTestClient(app=app, base_url=APP_BASE) as client:
        yield client


async def plant_session(client: AsyncTestClient[Any], data: dict[str, Any]) -> None:
    """Put a page session straight into the app's session store (on this loop) and its cookie in the jar."""
    import secrets

    from w2.platform.boot.app import _stores
    from w2.platform.sessions import COOKIE, RotatingSessionBackend, RotatingSessionConfig
    from w2.platform.settings import get_settings

    backend = RotatingSessionBackend(config=RotatingSessionConfig(key=COOKIE))
    session_id = secrets.token_hex(16)
    # A store object of its own: the app's store lives on the test client's loop, not on this one.
    store = _stores(get_settings())["sessions"]
    await store.set(session_id, backend.serialize_data(data), expires_in=3600)
    client.cookies.set(COOKIE, session_id, domain="testserver.local")


def app_path(url: str) -> str:
    """The path and query of an address on the app."""
    assert url.startswith(APP_BASE), url
    return url[len(APP_BASE):]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def signin_log() -> Iterator[list[str]]:
    """Messages of the `w2.signin` logger during the test (the app's logging setup replaces root handlers)."""
    logger = logging.getLogger("w2.signin")
    handler = _Collect()
    logger.addHandler(handler)
    old = logger.level
    logger.setLevel(logging.INFO)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(old)

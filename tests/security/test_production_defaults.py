"""Finding 9: production defaults: no default secrets, https, no published mail UI, HSTS, no third-party CDN."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from litestar.testing import AsyncTestClient

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


def test_compose_refuses_to_start_without_real_secrets():
    text = COMPOSE.read_text()
    for name in ("W2_SECRET_KEY", "W2_APP_PASSWORD", "W2_OWNER_PASSWORD"):
        assert re.search(r"\$\{" + name + r":\?", text), name
        assert not re.search(r"\$\{" + name + r":-", text), f"{name} has a default"
    assert "w2_app}" not in text and "w2_owner}" not in text
    doc = yaml.safe_load(text)
    assert re.search(r"\$\{W2_BASE_URL:-https://", text)
    assert "ports" not in doc["services"]["mailsink"], "the mail catcher's UI must not be published"


async def test_hsts_over_https_and_api_docs_without_cdn(settings_env, client, monkeypatch):
    from w2.platform.boot.app import create_app
    from w2.platform.settings import load_settings

    plain = await client.get("/login")
    assert "Strict-Transport-Security" not in plain.headers
    spec = await client.get("/api/v1/openapi.json")
    assert spec.status_code == 200 and "script-src 'self'" in spec.headers["Content-Security-Policy"]
    assert (await client.get("/api/v1/docs")).status_code == 404  # no UI pulling scripts from a CDN
    monkeypatch.setenv("W2_BASE_URL", "https://w2.example")
    async with AsyncTestClient(app=create_app(load_settings()), base_url="https://w2.example") as c:
        r = await c.get("/login")
        assert r.headers["Strict-Transport-Security"].startswith("max-age=31536000")

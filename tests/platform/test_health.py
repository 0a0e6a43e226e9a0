"""GET /health names what is down."""

from __future__ import annotations

import dataclasses

from litestar.testing import AsyncTestClient

from tests.conftest import free_port


async def test_health_ok(client):
    r = await client.get("/health")
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "ok", "database": "ok", "broker": "ok", "smtp": "ok"}


async def test_health_names_the_broken_part(settings_env):
    from w2.platform.boot.app import create_app
    from w2.platform.boot.worker import configure
    from w2.platform.settings import load_settings

    broken = dataclasses.replace(load_settings(), broker_url="sqla+sqlite:////nonexistent-w2-dir/broker.db",
                                 smtp_url=f"smtp://127.0.0.1:{free_port()}")
    app = create_app(broken)
    try:
        async with AsyncTestClient(app=app) as c:
            r = await c.get("/health")
    finally:
        configure(load_settings())
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["database"] == "ok" and body["broker"] == "down" and body["smtp"] == "down"
    assert set(body["down"]) == {"broker", "smtp"}
    assert "wachtrij" in body["detail"]

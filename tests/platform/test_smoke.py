"""First checks that the kernel stands."""

from __future__ import annotations


async def test_me(client, factory):
    p = await factory.person()
    r = await client.get("/api/v1/me", headers=p.headers)
    assert r.status_code == 200, r.text
    assert r.json()["email"] == p.email

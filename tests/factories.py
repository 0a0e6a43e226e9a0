"""Factories: build agencies, users with tokens, and workspaces through the real code paths."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest

from w2.platform import accounts


@dataclass
class Person:
    """A professional with an API token and their agency."""

    user_id: uuid.UUID
    agency_id: uuid.UUID
    email: str
    token: str
    name: str
    agency_name: str
    headers: dict[str, str] = field(default_factory=dict)


def unique(prefix: str) -> str:
    """A unique readable label."""
    return f"{prefix} {uuid.uuid4().hex[:8]}"


class Factory:
    """Creates real rows via the account service (the same code the CLI uses)."""

    def __init__(self, sessionmaker: Any) -> None:
        self.sm = sessionmaker

    async def agency(self, kind: str = "other", name: str | None = None) -> uuid.UUID:
        async with self.sm() as s, s.begin():
            a = await accounts.create_agency(s, name or unique(f"Dienst {kind}"), kind)
            return a.id

    async def person(self, agency_id: uuid.UUID | None = None, roles: tuple[str, ...] = ("coordinator", "worker"),
                     kind: str = "other", name: str | None = None, password: str | None = None) -> Person:
        agency_id = agency_id or await self.agency(kind)
        email = f"{uuid.uuid4().hex[:12]}@test.w2"
        async with self.sm() as s, s.begin():
            from w2.platform.models import Agency

            u = await accounts.create_user(s, agency_id=agency_id, email=email, name=name or unique("Medewerker"),
                                           roles=list(roles), password=password)
            token = await accounts.create_token(s, email)
            agency = await s.get(Agency, agency_id)
            return Person(u.id, agency_id, email, token, u.name, agency.name if agency else "",
                          {"Authorization": f"Bearer {token}"})


@pytest.fixture
def factory(sessionmaker: Any) -> Factory:
    """The data factory."""
    return Factory(sessionmaker)


async def new_workspace(client: Any, coordinator: Person, **jobseeker: Any) -> dict[str, Any]:
    """Create a workspace through the API."""
    body = {"jobseeker": {"given_name": "Test", "family_name": unique("Persoon"), **jobseeker}}
    r = await client.post("/api/v1/workspaces", json=body, headers=coordinator.headers)
    assert r.status_code == 201, r.text
    return r.json()

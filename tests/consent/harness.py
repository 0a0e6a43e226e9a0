"""Drive the consent and agreement services on either backend, as the app does (scoped sessions)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from w2.platform import accounts
from w2.platform import schemas as ps
from w2.platform.actor import Actor
from w2.platform.api_kit import rls_scope
from w2.platform.auth import staff_actor
from w2.platform.db.engine import make_engine, make_sessionmaker
from w2.platform.workspaces import add_member, create_workspace

T = TypeVar("T")
SYSTEM = {"actor_kind": "system"}


@dataclass
class World:
    """One workspace: agency 0 coordinates; every agency is a member; readers per agency."""

    workspace_id: uuid.UUID
    agency_ids: list[uuid.UUID]
    coordinator: Actor
    readers: list[Actor]
    jobseeker: Actor


class Harness:
    """Services called in their own scoped transaction each, like one request each."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.sm = make_sessionmaker(self.engine)
        self.dialect = "sqlite" if url.startswith("sqlite") else "postgresql"

    async def close(self) -> None:
        await self.engine.dispose()

    async def run(self, actor: Actor | None, fn: Callable[[Any], Awaitable[T]]) -> T:
        """Run `fn(session)` in one transaction scoped to `actor` (None: the system)."""
        async with self.sm() as s:
            s.info["rls"] = rls_scope(actor) if actor is not None else dict(SYSTEM)
            s.info["kick_relay"] = False
            async with s.begin():
                return await fn(s)

    async def new_world(self, agencies: int = 3) -> World:
        """Fresh agencies, a coordinator and a workspace with every agency as a member."""
        tag = uuid.uuid4().hex[:10]

        async def setup(s: Any) -> tuple[list[uuid.UUID], Any]:
            ids = [(await accounts.create_agency(s, f"Dienst {tag}-{i}", "other")).id for i in range(agencies)]
            user = await accounts.create_user(s, agency_id=ids[0], email=f"c-{tag}@test.w2", name=f"Coord {tag}",
                                              roles=["coordinator", "worker"], password=None)
            return ids, user

        ids, user = await self.run(None, setup)
        coord = staff_actor(user)
        ws = await self.run(coord, lambda s: create_workspace(
            s, coord, ps.WorkspaceIn(jobseeker=ps.JobseekerIn(given_name="Test", family_name=tag))))
        for agency_id in ids[1:]:
            await self.run(coord, lambda s, a=agency_id: add_member(
                s, coord, ws.id, ps.MemberIn(agency_id=a, question_type="advies")))
        readers = [coord] + [Actor(kind="staff", agency_id=a, roles=frozenset({"worker"}), name=f"Lezer {i}")
                             for i, a in enumerate(ids[1:], start=1)]
        return World(ws.id, ids, coord, readers, Actor(kind="jobseeker", workspace_id=ws.id, name="Werkzoekende"))

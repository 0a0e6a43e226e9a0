"""Row-level security scopes: who a database session reads as (docs/notes/consent.md)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform.actor import Actor
from w2.platform.db.ops import dialect_name

# Background work has no actor: row-level security sees it as `system`.
# A task acting for one recipient may narrow it by assigning session.info["rls"] (never mutate it).
SYSTEM_SCOPE: dict[str, Any] = {"actor_kind": "system"}


def rls_scope(actor: Actor | None) -> dict[str, Any]:
    """The transaction-local settings row-level security keys on."""
    if actor is None:
        return {"actor_kind": "anonymous"}
    return {
        "actor_kind": actor.kind,
        "agency_id": actor.agency_id or "",
        "workspace_id": actor.workspace_id or "",
        "platform_admin": "1" if actor.is_platform_admin else "0",
    }


@asynccontextmanager
async def system_scope(session: AsyncSession) -> AsyncIterator[None]:
    """Read as background work inside the current transaction (row-level security sees every domain).

    Only for freezing the report: its content holds all domains by design, and every rendition
    keeps just the domains its recipient may see.
    """
    if dialect_name(session) != "postgresql":
        yield
        return
    previous = await session.scalar(text("SELECT coalesce(current_setting('w2.actor_kind', true), '')"))
    await session.execute(text("SELECT set_config('w2.actor_kind', 'system', true)"))
    try:
        yield
    finally:
        await session.execute(text("SELECT set_config('w2.actor_kind', :v, true)"), {"v": previous})

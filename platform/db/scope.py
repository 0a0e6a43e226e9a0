"""Row-level security scopes, and entering one in a way SQL running as the app role cannot forge.

Row-level security keys on transaction-local settings (`w2.actor_kind`, `w2.agency_id`, ...). Any
SQL may call `set_config` on them, so the policies do not trust them alone: the scope is entered
through `w2_enter(...)`, a SECURITY DEFINER function owned by the migration role, which checks a
proof (a MAC under a key in the owner-only schema `w2_private`) and then seals the settings to this
transaction. Every policy reads the scope through accessors that check the seal; a setting changed
afterwards, or set without the function, reads as no scope at all (nothing visible).

The app process gets the key once through the owner's connection (W2_MIGRATION_DATABASE_URL); the
app role itself can neither read the key nor compute a proof. A bearer token needs no proof:
`w2_enter_token(digest)` derives the scope from the token's own user.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform.actor import Actor
from w2.platform.db.ops import dialect_name

_keys: dict[tuple[Any, ...], bytes] = {}
ENTER_SQL = "SELECT w2_enter(:kind, :agency, :ws, :admin, :proof)"


def scope_fields(scope: dict[str, Any]) -> tuple[str, str, str, str]:
    """(kind, agency, workspace, admin) as the database sees them: text, '' for none."""
    return (str(scope.get("actor_kind") or ""), str(scope.get("agency_id") or ""),
            str(scope.get("workspace_id") or ""), str(scope.get("platform_admin") or "0"))


def proof(key: bytes, fields: tuple[str, str, str, str]) -> str:
    """The MAC w2_enter checks: sha256(key || sha256(kind|agency|workspace|admin)), hex."""
    inner = hashlib.sha256("|".join(fields).encode()).digest()
    return hashlib.sha256(key + inner).hexdigest()


def _owner_url(app_url: URL) -> URL:
    from w2.platform.settings import get_settings

    owner = make_url(get_settings().migration_database_url)
    return owner.set(database=app_url.database) if owner.database != app_url.database else owner


def _dsn(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


async def fetch_key(app_url: URL) -> bytes:
    """The scope key of the app's database, read once per process as the owner."""
    owner = _owner_url(app_url)
    cache = (owner.host, owner.port, owner.database)
    if cache not in _keys:
        conn = await asyncpg.connect(_dsn(owner))
        try:
            _keys[cache] = bytes(await conn.fetchval("SELECT key FROM w2_private.scope_key WHERE id = 1"))
        finally:
            await conn.close()
    return _keys[cache]


def enter_params(key: bytes, scope: dict[str, Any]) -> dict[str, str]:
    """Parameters of ENTER_SQL for a scope."""
    kind, agency, ws, admin = fields = scope_fields(scope)
    return {"kind": kind, "agency": agency, "ws": ws, "admin": admin, "proof": proof(key, fields)}


async def enter_scope(session: Any, scope: dict[str, Any]) -> None:
    """Switch the session's current transaction to `scope` (PostgreSQL; nothing elsewhere)."""
    if session.bind.dialect.name != "postgresql":
        return
    key = await fetch_key(session.bind.url)
    await session.execute(text(ENTER_SQL), enter_params(key, scope))


async def switch_scope(session: Any, scope: dict[str, Any]) -> None:
    """From now on read as `scope`: the current transaction at once, and every later one of the session.

    For public routes once a secret proved who is asking (a portal link, a signed poll link, a calendar
    feed token, a verified national number): the request started out anonymous and sees nothing.
    """
    session.info["rls"] = dict(scope)
    if session.in_transaction():
        await enter_scope(session, scope)


def jobseeker_scope(workspace_id: Any) -> dict[str, Any]:
    """The scope of the job seeker of one workspace (portal)."""
    return {"actor_kind": "jobseeker", "workspace_id": str(workspace_id), "agency_id": "", "platform_admin": "0"}


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
    previous = dict(session.info.get("rls") or {"actor_kind": "anonymous"})
    await enter_scope(session, SYSTEM_SCOPE)
    try:
        yield
    finally:
        await enter_scope(session, previous)

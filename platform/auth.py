"""Passwords, bearer tokens, resolving the caller, and the guards every route declares."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
import uuid
from functools import cache
from typing import Any, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ASGIApp, Empty, Receive, Scope, Send
from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform.actor import Actor
from w2.platform.db.first_trip import first_statement
from w2.platform.db.ops import dialect_name
from w2.platform.db.scope import jobseeker_scope, rls_scope, switch_scope
from w2.platform.i18n import t
from w2.platform.models import Agency, ApiToken, Membership, User, Workspace

_hasher = PasswordHasher()
ACTOR_KEY = "w2_actor"
EXPIRED_KEY = "w2_session_expired"
# A page session ends after 30 idle minutes, and after 8 hours whatever happens (shared PCs at services).
SESSION_IDLE_SECONDS = 30 * 60
SESSION_MAX_SECONDS = 8 * 3600
SEEN_EVERY_SECONDS = 60
ADMIN_ROLES = frozenset({"agency_admin", "platform_admin"})


async def hash_password(password: str) -> str:
    """Argon2id hash, computed off the event loop."""
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(stored: str | None, password: str) -> bool:
    """Check a password; a missing hash still costs a hash so timing says nothing."""
    if not stored:
        await asyncio.to_thread(_hasher.hash, password)
        return False
    try:
        return await asyncio.to_thread(_hasher.verify, stored, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


def new_token() -> tuple[str, str]:
    """A fresh bearer token and the SHA-256 hex digest we store."""
    raw = "w2_" + secrets.token_urlsafe(32)
    return raw, token_digest(raw)


def token_digest(raw: str) -> str:
    """SHA-256 of a token (tokens are random, so no salt is needed)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def staff_actor(user: User) -> Actor:
    """The Actor for a signed-in professional."""
    return Actor(
        kind="staff",
        user_id=user.id,
        agency_id=user.agency_id,
        roles=frozenset(user.roles or ()),
        name=user.name,
        email=user.email,
        language=user.preferred_language,
    )


async def actor_from_token(session: AsyncSession, raw: str) -> Actor | None:
    """Resolve a bearer token to an active user (and scope the session's transaction to it)."""
    row = (await session.execute(_token_user(dialect_name(session)), {"digest": token_digest(raw)})).first()
    actor = staff_actor(row[0]) if row else None
    session.info["rls"] = rls_scope(actor)
    return actor


@cache
def _token_user(dialect: str) -> Any:
    """The user of a token digest (parameter `digest`), built once."""
    digest: Any = bindparam("digest")
    if dialect == "postgresql":
        # w2_enter_token finds the token's user and seals the scope to it in the same statement: one
        # round trip, and a scope nobody can claim without holding the token (platform/db/scope.py).
        return select(User).where(User.id == select(func.w2_enter_token(digest)).scalar_subquery())
    return select(User).join(ApiToken, ApiToken.user_id == User.id).where(
        ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None), User.active.is_(True))


async def actor_from_session(session: AsyncSession, data: dict[str, Any]) -> Actor | None:
    """Resolve a page session (professional or job seeker) to an Actor."""
    if uid := data.get("user_id"):
        user = await session.get(User, uuid.UUID(uid))
        if user is None or not user.active:
            return None
        # An admin's page session counts only when it came with a second factor or from the agency's IdP.
        if ADMIN_ROLES & set(user.roles or ()) and data.get("auth") not in ("mfa", "sso"):
            return None
        return staff_actor(user)
    if wid := data.get("jobseeker_workspace_id"):
        # The server-side session names the workspace: row-level security reads as its job seeker.
        await switch_scope(session, jobseeker_scope(uuid.UUID(wid)))
        ws = await session.get(Workspace, uuid.UUID(wid))
        if ws is None:
            return None
        helper: dict[str, Any] = {}
        if data.get("assisted_by"):
            helper = await _assisting(session, ws, data["assisted_by"])
            if not helper:
                return None
        return Actor(kind="jobseeker", workspace_id=ws.id, name=data.get("name", ""),
                     language=data.get("language", "nl"), **helper)
    return None


async def _assisting(session: AsyncSession, ws: Workspace, user_id: str) -> dict[str, Any]:
    """The helper of an assisted session, while still active and of a member agency (else nothing)."""
    user = await session.get(User, uuid.UUID(user_id))
    if user is None or not user.active:
        return {}
    member = await session.scalar(select(Membership.id).where(Membership.workspace_id == ws.id,
                                                              Membership.agency_id == user.agency_id))
    agency = await session.get(Agency, user.agency_id)
    if member is None or agency is None:
        return {}
    return {"assisted_by_user_id": user.id, "assisted_by_name": user.name, "assisted_by_agency_id": agency.id,
            "assisted_by_agency_name": agency.name}


def auth_middleware(app: ASGIApp) -> ASGIApp:
    """Put the caller's Actor (or None) in the scope; the API accepts only bearer tokens."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            cast(dict[str, Any], scope)[ACTOR_KEY] = await _resolve(scope)
        await app(scope, receive, send)

    return middleware


async def _resolve(scope: Scope) -> Actor | None:
    sessionmaker = cast(dict[str, Any], scope)["litestar_app"].state.sessionmaker
    path: str = scope["path"]
    headers = dict(scope.get("headers") or [])
    auth = headers.get(b"authorization", b"").decode()
    if path.startswith("/api/"):
        # The API never honours the session cookie: that keeps it out of CSRF's reach.
        if not auth.lower().startswith("bearer "):
            return None
        # Resolved in the request's own session and transaction (the one the handler gets as `db`).
        app = cast(dict[str, Any], scope)["litestar_app"]
        session = app.state.db_config.provide_session(app.state, scope)
        raw = auth[7:].strip()
        actor = await first_statement(session, lambda: actor_from_token(session, raw))
        if actor is None:
            cast(dict[str, Any], scope)["w2_bad_token"] = True
        return actor
    data = scope.get("session") or {}
    if not isinstance(data, dict) or not (data.get("user_id") or data.get("jobseeker_workspace_id")):
        return None
    if not _session_fresh(data):
        cast(dict[str, Any], scope).update({"session": Empty, EXPIRED_KEY: True})
        return None
    async with sessionmaker() as s:
        return await first_statement(s, lambda: actor_from_session(s, data))


def _session_fresh(data: dict[str, Any]) -> bool:
    """Check the idle and absolute limits, and note this request as activity."""
    now = int(time.time())
    started = data.get("signed_in_at")
    if not isinstance(started, int):
        return False
    last = data.get("last_seen", started)
    if now - started > SESSION_MAX_SECONDS or now - last > SESSION_IDLE_SECONDS:
        return False
    if now - last >= SEEN_EVERY_SECONDS:
        data["last_seen"] = now  # at most once a minute: most requests then leave the session unchanged
    return True


def session_expired(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """True when this request carried a session that had just run out."""
    return bool(connection.scope.get(EXPIRED_KEY))


def get_actor(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor | None:
    """The resolved caller, if any."""
    return cast("Actor | None", cast(dict[str, Any], connection.scope).get(ACTOR_KEY))


# Guards are coroutines: Litestar runs a plain function guard in a worker thread, a hop per request.
async def signed_in(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: any signed-in caller (professional or job seeker)."""
    if get_actor(connection) is None:
        key = "error.bad_token" if connection.scope.get("w2_bad_token") else "error.not_signed_in"
        raise NotAuthorizedException(t(key), headers={"WWW-Authenticate": "Bearer"})


async def staff(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Guard: a signed-in professional."""
    await signed_in(connection, handler)
    actor = get_actor(connection)
    if actor is None or not actor.is_staff:
        raise PermissionDeniedException(t("error.staff_only"))


async def public(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: explicitly open to anyone (health, sign-in, personal vote links)."""


async def platform_admin(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Guard: a platform administrator."""
    await staff(connection, handler)
    actor = get_actor(connection)
    if actor is None or not actor.is_platform_admin:
        raise PermissionDeniedException(t("error.forbidden"))


async def provide_actor(request: Any) -> Actor:
    """Dependency: the caller (guards have already refused anonymous calls)."""
    actor = get_actor(request)
    if actor is None:
        raise NotAuthorizedException(t("error.not_signed_in"))
    return actor

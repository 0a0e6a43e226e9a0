"""Server-side page sessions whose id is replaced at every sign-in, sign-out and privilege change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.types import Message, ScopeSession
from litestar.utils.dataclass import extract_dataclass_items

ROTATE_KEY = "w2_rotate_session"
NEW_ID_KEY = "w2_new_session_id"
LOADED_KEY = "w2_session_as_loaded"
COOKIE = "session"
# Over HTTPS the browser then refuses the cookie unless it is Secure, host-only and for path "/":
# a sibling subdomain can no longer plant a session id (fixation via cookie injection).
SECURE_COOKIE = "__Host-session"


def session_cookie_name(secure: bool) -> str:
    """The session cookie's name: `__Host-` prefixed when served over HTTPS."""
    return SECURE_COOKIE if secure else COOKIE


class RotatingSessionBackend(ServerSideSessionBackend):
    """Stores sessions like Litestar's, but gives a fresh id (and drops the old entry) when asked."""

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        """The new id after a rotation, else the cookie's id (or a fresh one)."""
        new_id = cast(dict[str, Any], connection.scope).get(NEW_ID_KEY)
        return new_id if isinstance(new_id, str) else super().get_session_id(connection)

    async def load_from_connection(self, connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
        """Load as usual and remember what was loaded, to store only what this request changed."""
        data = await super().load_from_connection(connection)
        cast(dict[str, Any], connection.scope)[LOADED_KEY] = self.serialize_data(data, connection.scope)
        return data

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        """Rotate first when the request asked for it; else store only this request's own changes."""
        scope = cast(dict[str, Any], connection.scope)
        if scope.get(ROTATE_KEY) and NEW_ID_KEY not in scope:
            old = connection.cookies.get(self.config.key)
            if old and old != "null":
                await self.delete(old, store=self.config.get_store_from_app(scope["app"]))
            scope[NEW_ID_KEY] = self.generate_session_id()
        elif isinstance(scope_session, dict) and LOADED_KEY in scope:
            # Writing back the whole copy read at the start would undo what a parallel request changed
            # in the meantime: a message for the next page, a new language, even a sign-out.
            merged = await self._merge(scope_session, self.deserialize_data(scope[LOADED_KEY]), connection)
            if merged is None:
                self._renew_cookie(message, connection)
                return
            scope_session = merged
        await super().store_in_message(scope_session, message, connection)

    async def _merge(self, mine: dict[str, Any], loaded: dict[str, Any],
                     connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any] | None:
        """What is stored now plus this request's changes; None when there is nothing to write."""
        if mine == loaded:
            return None  # loading already renewed the stored entry's lifetime
        sid = connection.cookies.get(self.config.key)
        if not loaded or not sid or sid == "null":
            return mine  # a session this request started
        raw = await self.get(sid, store=self.config.get_store_from_app(connection.scope["app"]))
        if raw is None:
            return None  # ended meanwhile (signed out): a late request must not bring it back
        current = self.deserialize_data(raw)
        for key in loaded.keys() - mine.keys():
            current.pop(key, None)
        current.update({k: v for k, v in mine.items() if k not in loaded or loaded[k] != v})
        return current

    def _renew_cookie(self, message: Message, connection: ASGIConnection[Any, Any, Any, Any]) -> None:
        """Send the existing session cookie again, so the browser keeps it as long as the store does."""
        sid = connection.cookies.get(self.config.key)
        if not sid or sid == "null":
            return
        params = dict(extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys()))
        MutableScopeHeaders.from_message(message).add(
            "Set-Cookie", Cookie(value=sid, key=self.config.key, **params).to_header(header=""))


@dataclass
class RotatingSessionConfig(ServerSideSessionConfig):
    """Session middleware configuration using the rotating backend."""

    _backend_class = RotatingSessionBackend


def start_session(connection: ASGIConnection[Any, Any, Any, Any], data: dict[str, Any]) -> None:
    """Replace the session (new id, old server-side entry deleted) with `data`: sign-in, sign-out, role change."""
    connection.clear_session()
    connection.set_session(data)
    cast(dict[str, Any], connection.scope)[ROTATE_KEY] = True

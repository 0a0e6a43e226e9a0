"""Server-side page sessions whose id is replaced at every sign-in, sign-out and privilege change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.types import Message, ScopeSession

ROTATE_KEY = "w2_rotate_session"
NEW_ID_KEY = "w2_new_session_id"
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

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        """Rotate first when the request asked for it, then store as usual."""
        scope = cast(dict[str, Any], connection.scope)
        if scope.get(ROTATE_KEY) and NEW_ID_KEY not in scope:
            old = connection.cookies.get(self.config.key)
            if old and old != "null":
                await self.delete(old, store=self.config.get_store_from_app(scope["app"]))
            scope[NEW_ID_KEY] = self.generate_session_id()
        await super().store_in_message(scope_session, message, connection)


@dataclass
class RotatingSessionConfig(ServerSideSessionConfig):
    """Session middleware configuration using the rotating backend."""

    _backend_class = RotatingSessionBackend


def start_session(connection: ASGIConnection[Any, Any, Any, Any], data: dict[str, Any]) -> None:
    """Replace the session (new id, old server-side entry deleted) with `data`: sign-in, sign-out, role change."""
    connection.clear_session()
    connection.set_session(data)
    cast(dict[str, Any], connection.scope)[ROTATE_KEY] = True

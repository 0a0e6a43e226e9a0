"""Starting a signed-in page session (with a fresh session id): the one place every sign-in method ends."""

from __future__ import annotations

import time
import uuid
from typing import Any

from litestar import Request

from w2.platform.sessions import start_session


def start_staff_session(request: Request[Any, Any, Any], user_id: uuid.UUID, method: str) -> None:
    """Sign a professional in (`method`: password, mfa or sso)."""
    start_session(request, {"user_id": str(user_id), "signed_in_at": int(time.time()), "auth": method})


def landing(roles: list[str] | None, target: str) -> str:
    """Where a professional lands: partner workers (no coordinator role) on their work list, unless asked elsewhere."""
    wanted = set(roles or ())
    if target == "/" and "worker" in wanted and "coordinator" not in wanted:
        return "/afspraken"
    return target


def start_portal_session(request: Request[Any, Any, Any], workspace_id: uuid.UUID, name: str,
                         language: str, method: str) -> None:
    """Sign a job seeker in on their own pages (`method`: link or oidc); the same session either way."""
    start_session(request, {"jobseeker_workspace_id": str(workspace_id), "signed_in_at": int(time.time()),
                           "name": name, "language": language, "auth": method})

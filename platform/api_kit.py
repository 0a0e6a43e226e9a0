"""Shared pieces for controllers: documented error responses, the request's DB session, paging.

`rls_scope` lives in platform/db/scope.py (re-exported here for the request's session).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request
from litestar.openapi import ResponseSpec
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform.auth import get_actor
from w2.platform.db.scope import rls_scope
from w2.platform.errors import ProblemDetail

__all__ = ["READ", "WRITE", "Limit", "Offset", "problems", "provide_db", "rls_scope"]

_DESCRIPTIONS = {
    400: "Malformed request body",
    401: "Not signed in, or the token is invalid or revoked",
    403: "Signed in, but not allowed",
    404: "Not found, or not visible to the caller",
    409: "Refused state change (e.g. missing consent)",
    422: "Invalid input; `errors` names each field",
    503: "A dependency is down",
}


def problems(*codes: int) -> dict[int, ResponseSpec]:
    """OpenAPI responses for the given error codes, as problem+json."""
    return {
        c: ResponseSpec(data_container=ProblemDetail, description=_DESCRIPTIONS[c],
                        media_type="application/problem+json", generate_examples=False)
        for c in codes
    }


READ = problems(401, 403, 404)
WRITE = problems(400, 401, 403, 404, 409, 422)

Limit = Annotated[int, Parameter(ge=1, le=200, description="page size")]
Offset = Annotated[int, Parameter(ge=0, description="items to skip")]


async def provide_db(db_session: AsyncSession, request: Request[Any, Any, Any]) -> AsyncSession:
    """The request's session, scoped for row-level security to the caller."""
    # Already set when the bearer token was resolved in this session (and the transaction scoped).
    db_session.info["rls"] = rls_scope(get_actor(request))
    return db_session

"""The floor: an empty Litestar route served the same way as w2 (no middleware, no database)."""

from __future__ import annotations

from litestar import Litestar, get


@get("/empty")
async def empty() -> dict[str, str]:
    """Return an empty JSON object."""
    return {}


app = Litestar(route_handlers=[empty], openapi_config=None)

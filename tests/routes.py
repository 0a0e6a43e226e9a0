"""Walking the app's own route table: every (method, path), with path parameters filled in."""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection
from typing import Any

from litestar.handlers import HTTPRouteHandler


def walkable_routes(app: Any, skip: Collection[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """Every (method, path) the app serves, minus `skip`; GETs first (a new route is walked by itself)."""
    out = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if not isinstance(handler, HTTPRouteHandler):
                continue
            for method in sorted(handler.http_methods - {"OPTIONS", "HEAD"}):
                if (method, route.path) not in skip:
                    out.append((method, route.path))
    return sorted(set(out), key=lambda mp: (mp[0] != "GET", mp[1]))


def fill(path: str, params: dict[str, str]) -> str:
    """The path with each parameter taken from `params`, else a fresh uuid (or "x" for text)."""
    def one(m: re.Match[str]) -> str:
        name, kind = m.group(1), m.group(2) or ""
        if name in params:
            return params[name]
        return str(uuid.uuid4()) if kind == ":uuid" else "x"

    return re.sub(r"\{([a-z_]+)(:[a-z]+)?\}", one, path)


def body_text(body: bytes, content_type: str) -> str:
    """A response body as searchable text (a PDF by its extracted text too)."""
    if "pdf" in content_type and body.startswith(b"%PDF"):
        from tests.reports.pdfutil import pdf_text

        return pdf_text(body) + body.decode("latin-1")
    return body.decode("utf-8", errors="replace")

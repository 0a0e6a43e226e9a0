"""Every route declares its guard: a new route without one fails here (DESIGN: no silent access)."""

from __future__ import annotations

import re

from litestar.handlers import HTTPRouteHandler

from w2.platform import auth

GUARDS = {auth.staff, auth.signed_in, auth.public, auth.platform_admin}


def declared(handler) -> list:
    """Raw guards from the handler and every layer above it (controller, router, app)."""
    return [g for layer in handler.ownership_layers for g in (layer.guards or [])]


def _our_handlers(app):
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            module = getattr(handler.fn, "__module__", "") or ""
            # Litestar's own OpenAPI/static handlers are not ours to guard.
            if isinstance(handler, HTTPRouteHandler) and not module.startswith(("litestar", "advanced_alchemy")):
                yield route, handler


def test_every_handler_declares_a_guard_from_auth(app):
    missing, seen = [], 0
    for route, handler in _our_handlers(app):
        ours = [g for g in declared(handler) if g in GUARDS]
        if not ours:
            missing.append(f"{sorted(handler.http_methods)} {route.path} ({handler.fn.__module__})")
        seen += 1
    assert not missing, "routes without a guard from w2.platform.auth: " + ", ".join(missing)
    assert seen >= 15


def test_openapi_lists_only_guarded_operations(app):
    schema = app.openapi_schema.to_schema()
    guarded: set[tuple[str, str]] = set()
    for route, handler in _our_handlers(app):
        if any(g in GUARDS for g in declared(handler)):
            for method in handler.http_methods:
                guarded.add((re.sub(r":[a-z]+\}", "}", route.path), method.lower()))
    ops = [(path, method) for path, item in schema["paths"].items() for method in item
           if method in {"get", "post", "put", "patch", "delete"}]
    assert len(ops) >= 12
    for path, method in ops:
        full = path if path.startswith("/api/v1") else "/api/v1" + path
        assert (full, method) in guarded or (path, method) in guarded, f"{method.upper()} {path} has no guard"


def test_case_content_routes_are_staff_only_on_the_api(app):
    for route, handler in _our_handlers(app):
        if route.path.startswith(("/api/v1/agreements", "/api/v1/workspaces")) and "consent" not in route.path:
            assert auth.staff in declared(handler), route.path
        if "/consents" in route.path or "access-log" in route.path:
            assert auth.staff in declared(handler), route.path


def test_matrix_catches_an_unguarded_route():
    from litestar import Litestar, Router, get

    @get("/leak")
    async def leak() -> str:
        return "x"

    from w2.platform.boot.routes import api_handlers

    app = Litestar(route_handlers=[Router(path="/api/v1", route_handlers=[*api_handlers(), leak])])
    bare = [r.path for r, h in _our_handlers(app) if not any(g in GUARDS for g in declared(h))]
    assert bare == ["/api/v1/leak"]

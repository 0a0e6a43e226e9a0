"""Security headers on every response: a strict CSP (no inline scripts) and friends."""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


HSTS = "max-age=31536000; includeSubDomains"


def _https_base(scope: Scope) -> bool:
    """Served over HTTPS (behind a TLS-terminating proxy the base URL says so)."""
    app = scope.get("litestar_app") or scope.get("app")
    settings = getattr(getattr(app, "state", None), "settings", None) if app is not None else None
    return bool(settings is not None and settings.base_url.startswith("https://"))


def security_headers_middleware(app: ASGIApp) -> ASGIApp:
    """Add CSP, no-sniff, referrer and framing headers."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                path = scope["path"]
                headers.setdefault("Content-Security-Policy", CSP)
                if scope.get("scheme") == "https" or _https_base(scope):
                    headers.setdefault("Strict-Transport-Security", HSTS)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("X-Frame-Options", "DENY")
                if not path.startswith(("/static/",)):
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await app(scope, receive, send_wrapper)

    return middleware

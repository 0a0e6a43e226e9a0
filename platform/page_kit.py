"""Shared helpers for HTML pages: rendering with the catalogue, HTML error pages, sign-in redirects."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from litestar import Request, Response, Router
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.response import Redirect, Template
from markupsafe import Markup, escape

from w2.platform.actor import Actor
from w2.platform.auth import get_actor, session_expired
from w2.platform.errors import ConsentMissing, W2Error, consent_missing_text
from w2.platform.i18n import t
from w2.platform.settings import get_settings

LANGUAGES = ("nl", "fr", "en")


def page_language(request: Request[Any, Any, Any]) -> str:
    """The language for this page: the session's choice, else Dutch."""
    session = request.scope.get("session")
    lang = session.get("language") if isinstance(session, dict) else None
    return lang if lang in LANGUAGES else "nl"


def local(value: date | datetime | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
    """A moment as people here read it: in W2_TIMEZONE (Europe/Brussels), never in UTC."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(ZoneInfo(get_settings().timezone))
    return value.strftime(fmt)


def render(request: Request[Any, Any, Any], name: str, status: int = 200, **context: Any) -> Template:
    """A template with the caller, the page language and `_` (translate) in its context."""
    lang = context.pop("lang", None) or page_language(request)
    actor = get_actor(request)

    def _(key: str, **params: Any) -> str:
        return t(key, lang, **params)

    def dutch(text: Any) -> Markup:
        """Text that exists only in Dutch (what people typed, the handbook's wording), marked for screen readers."""
        if text is None or text == "":
            return Markup("")
        return Markup('<span lang="nl">{}</span>').format(text) if lang != "nl" else escape(text)

    return Template(name, context={"actor": actor, "lang": lang, "_": _, "dutch": dutch, "local": local,
                                   "path": request.url.path, **context},
                    status_code=status)


async def form_fields(request: Request[Any, Any, Any], multi: tuple[str, ...] = (), strip: bool = True) -> dict[str, Any]:
    """The posted form as a dict: fields named in `multi` stay lists, the others are text (stripped by default)."""
    form = await request.form()
    return {k: form.getall(k) if k in multi else ((form.get(k) or "").strip() if strip else form.get(k) or "")
            for k in form}


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths may be a post-sign-in target."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def _not_signed_in(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    expired = session_expired(request)
    if request.url.path.startswith("/portal"):
        return Redirect("/portal/uit?verlopen=1" if expired else "/portal/uit")
    return Redirect(f"/login?next={quote(request.url.path)}{'&verlopen=1' if expired else ''}")


def _error_page(request: Request[Any, Any, Any], status: int, message: str) -> Response[Any]:
    return render(request, "error.html", status=status, message=message, status_code=status)


def _forbidden(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    return _error_page(request, 403, getattr(exc, "detail", "") or t("error.forbidden", page_language(request)))


def _w2_error(request: Request[Any, Any, Any], exc: W2Error) -> Response[Any]:
    return _error_page(request, exc.status, exc.detail)


def _consent_missing(request: Request[Any, Any, Any], exc: ConsentMissing) -> Response[Any]:
    return _error_page(request, 409, consent_missing_text(exc, page_language(request)))


EXCEPTION_HANDLERS: dict[Any, Any] = {
    NotAuthorizedException: _not_signed_in,
    PermissionDeniedException: _forbidden,
    W2Error: _w2_error,
    ConsentMissing: _consent_missing,
}


def page_router(path: str, handlers: list[Any]) -> Router:
    """A router for HTML pages: refusals become pages or sign-in redirects, never problem+json."""
    return Router(path=path, route_handlers=handlers, exception_handlers=EXCEPTION_HANDLERS,
                  include_in_schema=False)


def require_staff(request: Request[Any, Any, Any]) -> Actor:
    """The signed-in professional (guards already ran; this narrows the type)."""
    actor = get_actor(request)
    if actor is None:
        raise NotAuthorizedException()
    if not actor.is_staff:
        raise PermissionDeniedException(t("error.staff_only"))
    return actor


def require_jobseeker(request: Request[Any, Any, Any]) -> Actor:
    """The job seeker on their own pages."""
    actor = get_actor(request)
    if actor is None or not actor.is_jobseeker or actor.workspace_id is None:
        raise NotAuthorizedException()
    return actor

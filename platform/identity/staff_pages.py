"""Staff sign-in through their agency's own OpenID provider (Entra ID or another IdP)."""

from __future__ import annotations

import logging
import uuid
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform.auth import public
from w2.platform.i18n import t
from w2.platform.identity import staff_idp
from w2.platform.identity.oidc import OidcError, begin, finish
from w2.platform.identity.secretbox import SecretUnreadable
from w2.platform.identity.signin import landing, start_staff_session
from w2.platform.models import Agency
from w2.platform.page_kit import page_language, render, safe_next
from w2.platform.sessions import start_session

log = logging.getLogger("w2.signin")
PENDING_KEY = "oidc_staff"


class SsoForm(msgspec.Struct):
    """The button of one agency on the login page."""

    agency_id: str = ""
    next: str = "/"


async def login_context(db: AsyncSession) -> dict[str, Any]:
    """What the login page shows about agencies' own sign-in."""
    sso = await staff_idp.choices(db)
    return {"sso": sso, "password_off": [c.agency_name for c in sso if not c.password_sign_in]}


async def login_page_with(request: Request[Any, Any, Any], db: AsyncSession, status: int = 200,
                          **context: Any) -> Template:
    """The login page with an error or notice."""
    base = {"error": None, "notice": None, "email": "", "next": "/"}
    return render(request, "login.html", status=status, **{**base, **await login_context(db), **context})


@post("/login/sso", guards=[public], include_in_schema=False)
async def sso_start(request: Request[Any, Any, Any], db: AsyncSession,
                    data: Annotated[SsoForm, Body(media_type=RequestEncodingType.URL_ENCODED)]) -> Redirect | Template:
    """Send the professional to their agency's provider."""
    lang = page_language(request)
    try:
        row = await staff_idp.provider_of(db, uuid.UUID(data.agency_id))
    except ValueError:
        row = None
    if row is None:
        return await login_page_with(request, db, 400, error=t("identity.sso.unknown_agency", lang))
    try:
        url, pending = await begin(staff_idp.client_for(row, request.app.state.settings.base_url))
    except (OidcError, SecretUnreadable) as exc:
        log.warning("staff sign-in could not start: %s", getattr(exc, "reason", type(exc).__name__))
        return await login_page_with(request, db, 503, error=t("identity.sso.unavailable", lang))
    start_session(request, {PENDING_KEY: {**pending, "agency_id": str(row.agency_id), "next": safe_next(data.next)},
                         "language": lang})
    return Redirect(url)


@get("/login/sso/terug", guards=[public], include_in_schema=False)
async def sso_callback(request: Request[Any, Any, Any], db: AsyncSession) -> Redirect | Template:
    """Back from the provider: a verified e-mail of an existing, active user of that agency signs in."""
    lang = page_language(request)
    session = request.scope.get("session")
    pending = session.pop(PENDING_KEY, None) if isinstance(session, dict) else None
    row = None
    if isinstance(pending, dict):
        try:
            row = await staff_idp.provider_of(db, uuid.UUID(str(pending.get("agency_id"))))
        except ValueError:
            row = None
    if row is None:
        return await login_page_with(request, db, 400, error=t("identity.sso.failed", lang))
    try:
        claims = await finish(staff_idp.client_for(row, request.app.state.settings.base_url), pending,
                              dict(request.query_params), wanted_claim="email")
        email = staff_idp.verified_email(claims, row.trust_email)
    except (OidcError, SecretUnreadable) as exc:
        log.warning("staff sign-in refused: %s", getattr(exc, "reason", type(exc).__name__))
        return await login_page_with(request, db, 400, error=t("identity.sso.failed", lang))
    user = await staff_idp.match_user(db, row.agency_id, email)
    if user is None:
        agency = await db.get(Agency, row.agency_id)
        log.info("staff sign-in without a matching active user (agency %s)", row.agency_id)
        return await login_page_with(request, db, 403, error=t("identity.sso.no_user", lang, email=email,
                                                               agency=agency.name if agency else ""))
    start_staff_session(request, user.id, "sso")
    return Redirect(landing(user.roles, safe_next(pending.get("next") if isinstance(pending, dict) else None)))


STAFF_SSO_PAGES = [sso_start, sso_callback]

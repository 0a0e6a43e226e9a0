"""The job seeker signs in with itsme or eID (CSAM) through OpenID Connect, matched on the national number."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform import rrn
from w2.platform.auth import public
from w2.platform.db.scope import SYSTEM_SCOPE, switch_scope
from w2.platform.identity.oidc import OidcClient, OidcError, begin, finish
from w2.platform.identity.signin import start_portal_session
from w2.platform.models import Jobseeker, Workspace
from w2.platform.page_kit import LANGUAGES, render
from w2.platform.sessions import start_session
from w2.platform.settings import Settings

log = logging.getLogger("w2.signin")
PENDING_KEY = "oidc_citizen"


def citizen_client(st: Settings) -> OidcClient:
    """w2 as registered at the citizen identity provider (itsme, CSAM)."""
    return OidcClient(issuer=st.citizen_oidc_issuer, client_id=st.citizen_oidc_client_id,
                      client_secret=st.citizen_oidc_client_secret,
                      redirect_uri=f"{st.base_url.rstrip('/')}/portal/oidc/terug", scope=st.citizen_oidc_scope,
                      acr_values=tuple(st.citizen_oidc_acr_values.split()))


def _settings(request: Request[Any, Any, Any]) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]  # the app state holds the Settings object (platform/boot/app.py)


@get("/aanmelden", guards=[public])
async def start_page(request: Request[Any, Any, Any]) -> Template:
    """How to sign in: itsme or eID when configured, otherwise the link from the counsellor."""
    return render(request, "portal/start.html", oidc=_settings(request).citizen_oidc_enabled)


@post("/oidc/start", guards=[public])
async def oidc_start(request: Request[Any, Any, Any]) -> Redirect | Template:
    """Send the job seeker to the identity provider with state, nonce and a PKCE challenge."""
    st = _settings(request)
    if not st.citizen_oidc_enabled:
        raise NotFoundException()
    session = request.scope.get("session")
    chosen = session.get("language") if isinstance(session, dict) else None
    try:
        url, pending = await begin(citizen_client(st))
    except OidcError as exc:
        log.warning("citizen sign-in could not start: %s", exc.reason)
        return render(request, "portal/oidc_failed.html", status=503, unavailable=True)
    start_session(request, {PENDING_KEY: pending, **({"language": chosen} if chosen in LANGUAGES else {})})
    return Redirect(url)


@get("/oidc/terug", guards=[public])
async def oidc_callback(request: Request[Any, Any, Any], db: AsyncSession) -> Redirect | Template:
    """Back from the provider: a verified national number that belongs to one job seeker starts the session."""
    st = _settings(request)
    if not st.citizen_oidc_enabled:
        raise NotFoundException()
    session = request.scope.get("session")
    pending = session.pop(PENDING_KEY, None) if isinstance(session, dict) else None
    claim = st.citizen_oidc_national_number_claim
    try:
        claims = await finish(citizen_client(st), pending, dict(request.query_params), wanted_claim=claim)
    except OidcError as exc:
        log.warning("citizen sign-in refused: %s", exc.reason)
        return render(request, "portal/oidc_failed.html", status=400, unavailable=False)
    raw = claims.get(claim)
    number = rrn.normalize(str(raw)) if isinstance(raw, str | int) else None
    # The provider vouched for this national number: look it up among all job seekers.
    await switch_scope(db, SYSTEM_SCOPE)
    found = (await db.execute(
        select(Workspace, Jobseeker).join(Jobseeker, Workspace.jobseeker_id == Jobseeker.id)
        .where(Jobseeker.national_number == number).limit(2))).all() if number else []
    if len(found) != 1:
        # Nothing is created: only a counsellor opens a workspace for someone.
        log.info("citizen sign-in without a (single) matching job seeker")
        return render(request, "portal/oidc_unknown.html", status=403)
    workspace, js = found[0]
    chosen = session.get("language") if isinstance(session, dict) else None
    lang = chosen if chosen in LANGUAGES else js.preferred_language if js.preferred_language in LANGUAGES else "nl"
    start_portal_session(request, workspace.id, js.given_name, lang, "oidc")
    return Redirect("/portal")


CITIZEN_SIGNIN_PAGES = [start_page, oidc_start, oidc_callback]

"""The second step of an admin's password sign-in: enrol an authenticator app, then a code every time."""

from __future__ import annotations

import time
import uuid
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform import throttle
from w2.platform.auth import get_actor, public
from w2.platform.i18n import t
from w2.platform.identity import mfa
from w2.platform.identity.secretbox import seal, unseal
from w2.platform.identity.signin import landing, start_staff_session
from w2.platform.models import User
from w2.platform.page_kit import page_language, render, safe_next
from w2.platform.sessions import start_session

PENDING_SECONDS = 10 * 60
MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
CODE_URL = "/login/tweede-stap"
ENROL_URL = "/login/tweede-stap/instellen"


class CodeForm(msgspec.Struct):
    """One code: six digits from the app, or a recovery code."""

    code: str = ""


def _failure_key(user_id: uuid.UUID) -> str:
    return f"mfa|{user_id}"


async def begin_second_step(request: Request[Any, Any, Any], db: AsyncSession, user: User, next_url: str) -> Redirect:
    """The password was right: nothing is signed in yet, the admin goes to the code or to enrolment."""
    lang = page_language(request)
    start_session(request, {"mfa_user_id": str(user.id), "mfa_started": int(time.time()),
                            "mfa_next": safe_next(next_url), "language": lang})
    return Redirect(CODE_URL if await mfa.totp_of(db, user.id) else ENROL_URL)


def _pending(request: Request[Any, Any, Any]) -> tuple[dict[str, Any], uuid.UUID] | None:
    session = request.scope.get("session")
    if not isinstance(session, dict) or not session.get("mfa_user_id"):
        return None
    if int(time.time()) - int(session.get("mfa_started", 0)) > PENDING_SECONDS:
        return None
    try:
        return session, uuid.UUID(session["mfa_user_id"])
    except ValueError:
        return None


def _restart(request: Request[Any, Any, Any], key: str = "identity.mfa.restart") -> Redirect:
    if get_actor(request) is not None and _pending(request) is None:
        return Redirect("/")  # already signed in: nothing to do here, and the session stays
    lang = page_language(request)
    start_session(request, {"language": lang, "login_notice": key})
    return Redirect("/login")


async def _too_many(request: Request[Any, Any, Any], user_id: uuid.UUID) -> bool:
    """Count this attempt first (atomically, so parallel guesses cannot slip past); True when over the limit."""
    return await throttle.take(request.app.stores.get("signin"), _failure_key(user_id), WINDOW_SECONDS) > MAX_FAILURES


@get(CODE_URL, guards=[public], include_in_schema=False)
async def code_page(request: Request[Any, Any, Any], db: AsyncSession) -> Template | Redirect:
    """Ask for the six-digit code (or a recovery code)."""
    pending = _pending(request)
    if pending is None:
        return _restart(request)
    if await mfa.totp_of(db, pending[1]) is None:
        return Redirect(ENROL_URL)
    return render(request, "identity/mfa_code.html", error=None)


@post(CODE_URL, guards=[public], include_in_schema=False)
async def code_submit(request: Request[Any, Any, Any], db: AsyncSession,
                      data: Annotated[CodeForm, Body(media_type=RequestEncodingType.URL_ENCODED)]) -> Template | Redirect:
    """Check the code; five wrong codes end the attempt for 15 minutes."""
    pending = _pending(request)
    if pending is None:
        return _restart(request)
    session, user_id = pending
    lang = page_language(request)
    if await _too_many(request, user_id):
        return _restart(request, "error.too_many_attempts")
    user = await db.get(User, user_id)
    if user is None or not user.active:
        return _restart(request)
    left: int | None = None
    ok = await mfa.verify_totp(db, user_id, data.code)
    if not ok:
        left = await mfa.use_recovery_code(db, user_id, data.code)
        ok = left is not None
    if not ok:
        return render(request, "identity/mfa_code.html", status=400, error=t("identity.mfa.bad_code", lang))
    await throttle.forget(request.app.stores.get("signin"), _failure_key(user_id))
    next_url = landing(user.roles, safe_next(session.get("mfa_next")))
    start_staff_session(request, user_id, "mfa")
    if left is not None:
        return render(request, "identity/mfa_recovery_used.html", left=left, next=next_url)
    return Redirect(next_url)


@get(ENROL_URL, guards=[public], include_in_schema=False)
async def enrol_page(request: Request[Any, Any, Any], db: AsyncSession) -> Template | Redirect:
    """Show a new secret as a QR code (drawn here, as SVG) and as text."""
    pending = _pending(request)
    if pending is None:
        return _restart(request)
    session, user_id = pending
    user = await db.get(User, user_id)
    if user is None or not user.active:
        return _restart(request)
    if await mfa.totp_of(db, user_id) is not None:
        return Redirect(CODE_URL)  # never a second enrolment with only a password
    secret = unseal(session["mfa_secret"]) if session.get("mfa_secret") else mfa.new_secret()
    session["mfa_secret"] = seal(secret)
    return _enrol_template(request, user, secret, None)


def _enrol_template(request: Request[Any, Any, Any], user: User, secret: str, error: str | None,
                    status: int = 200) -> Template:
    uri = mfa.provisioning_uri(secret, user.email)
    return render(request, "identity/mfa_enrol.html", status=status, qr=mfa.qr_svg(uri),
                  secret=mfa.grouped(secret), error=error)


@post(ENROL_URL, guards=[public], include_in_schema=False)
async def enrol_submit(request: Request[Any, Any, Any], db: AsyncSession,
                       data: Annotated[CodeForm, Body(media_type=RequestEncodingType.URL_ENCODED)]) -> Template | Redirect:
    """The first code proves the app works: store the secret and show the recovery codes once."""
    pending = _pending(request)
    if pending is None or not pending[0].get("mfa_secret"):
        return _restart(request)
    session, user_id = pending
    lang = page_language(request)
    if await _too_many(request, user_id):
        return _restart(request, "error.too_many_attempts")
    user = await db.get(User, user_id)
    if user is None or not user.active:
        return _restart(request)
    if await mfa.totp_of(db, user_id) is not None:
        return Redirect(CODE_URL)
    secret = unseal(session["mfa_secret"])
    codes = await mfa.enrol(db, user_id, secret, data.code)
    if codes is None:
        return _enrol_template(request, user, secret, t("identity.mfa.bad_code", lang), status=400)
    next_url = safe_next(session.get("mfa_next"))
    start_staff_session(request, user_id, "mfa")
    return render(request, "identity/mfa_recovery_codes.html", codes=codes, next=next_url)


MFA_PAGES = [code_page, code_submit, enrol_page, enrol_submit]

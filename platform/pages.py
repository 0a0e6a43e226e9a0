"""Kernel pages: sign-in with rate limiting, sign-out, and the dev-only mailbox (the home page lives in meetings)."""

from __future__ import annotations

import email
from email import policy
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform import throttle
from w2.platform.auth import public, session_expired, signed_in, verify_password
from w2.platform.i18n import t
from w2.platform.identity import mfa, staff_idp
from w2.platform.identity.mfa_pages import begin_second_step
from w2.platform.identity.signin import landing, start_staff_session
from w2.platform.identity.staff_pages import login_page_with
from w2.platform.models import Agency, User
from w2.platform.page_kit import page_language, safe_next
from w2.platform.settings import get_settings

MAX_FAILURES = 5
# Password spraying: many addresses from one place. A counter office behind one NAT stays well below this.
MAX_FAILURES_PER_ADDRESS = 30
WINDOW_SECONDS = 15 * 60


class LoginForm(msgspec.Struct):
    """The sign-in form."""

    email: str = ""
    password: str = ""
    next: str = "/"


def _keys(request: Request[Any, Any, Any], email_addr: str) -> tuple[str, str]:
    """Counter keys: the account, and the client address (from trusted proxies only, see `w2 serve`)."""
    host = request.client.host if request.client else "-"
    return f"account:{email_addr.strip().lower()}", f"address:{host}"


@get("/login", guards=[public], include_in_schema=False)
async def login_page(request: Request[Any, Any, Any], db: AsyncSession) -> Template:
    """The sign-in form, with a button per agency that signs in through its own provider."""
    lang = page_language(request)
    session = request.scope.get("session")
    notice_key = session.pop("login_notice", None) if isinstance(session, dict) else None
    if session_expired(request) or request.query_params.get("verlopen"):
        notice_key = "page.session_expired"
    return await login_page_with(request, db, notice=t(notice_key, lang) if notice_key else None,
                                 next=safe_next(request.query_params.get("next")))


@post("/login", guards=[public], include_in_schema=False)
async def login(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    """Check the password; every attempt is counted first, atomically, per account and per address."""
    store = request.app.stores.get("signin")
    account, address = _keys(request, data.email)
    per_account = await throttle.take(store, account, WINDOW_SECONDS)
    per_address = await throttle.take(store, address, WINDOW_SECONDS)
    back = {"email": data.email, "next": safe_next(data.next)}
    if per_account > MAX_FAILURES or per_address > MAX_FAILURES_PER_ADDRESS:
        return await login_page_with(request, db, 429, error=t("error.too_many_attempts"), **back)
    user = await db.scalar(select(User).where(func.lower(User.email) == data.email.strip().lower()))
    ok = await verify_password(user.password_hash if user else None, data.password)
    if not ok or user is None or not user.active:
        return await login_page_with(request, db, 400, error=t("error.bad_login"), **back)
    await throttle.forget(store, account)
    await throttle.give_back(store, address)
    if not await staff_idp.password_allowed(db, user.agency_id):
        agency = await db.get(Agency, user.agency_id)
        return await login_page_with(request, db, 403, **back, error=t(
            "identity.password_off", page_language(request), agency=agency.name if agency else ""))
    if mfa.needs_mfa(user):
        return await begin_second_step(request, db, user, data.next)
    start_staff_session(request, user.id, "password")
    return Redirect(landing(user.roles, safe_next(data.next)))


@post("/logout", guards=[public], include_in_schema=False)
async def logout(request: Request[Any, Any, Any]) -> Redirect:
    """End the session (its server-side entry is deleted with it)."""
    request.clear_session()
    return Redirect("/login")


@get("/dev/mail", guards=[public], include_in_schema=False)
async def dev_mail(request: Request[Any, Any, Any]) -> Template:
    """Dev-only: the mail the demo's sink caught (404 unless W2_DEV_PAGES is on)."""
    from litestar.exceptions import NotFoundException

    st = get_settings()
    if not st.dev_pages:
        raise NotFoundException()
    folder = st.storage_dir / "mail"
    messages = []
    for f in sorted(folder.glob("*.eml"), reverse=True)[:200] if folder.is_dir() else []:
        msg = email.message_from_bytes(f.read_bytes(), policy=policy.default)
        body = msg.get_body(preferencelist=("plain",))
        messages.append({
            "file": f.name, "to": msg["To"], "subject": msg["Subject"], "date": msg["Date"],
            "body": body.get_content() if body else "",
            "parts": [p.get_content_type() for p in msg.walk() if not p.is_multipart()],
        })
    sms_folder = st.storage_dir / "sms"
    sms = [f.read_text(encoding="utf-8") for f in sorted(sms_folder.glob("*.txt"), reverse=True)[:200]] \
        if sms_folder.is_dir() else []
    return Template("dev_mail.html", context={"messages": messages, "sms": sms})


PAGES = [login_page, login, logout, dev_mail]
__all__ = ["PAGES", "signed_in"]

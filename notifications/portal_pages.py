"""The job seeker's messages on their own pages: every message w2 sent them, and their reminder choice."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import log_access
from w2.notifications import service
from w2.platform.auth import signed_in
from w2.platform.i18n import t
from w2.platform.outbox import OutboxMessage
from w2.platform.page_kit import page_language, render, require_jobseeker
from w2.platform.portal_kit import local_tz, own_workspace, portal_router

# Messages that carry a sign-in link are never listed again (the link is for the one channel only).
NOT_LISTED = ("portal_invitation", "portal_link")


def subject(kind: str, params: dict[str, Any], lang: str) -> str:
    """The message's subject line in the page language (a plain fallback when it needs missing values)."""
    try:
        text = t(f"mail.{kind}.subject", lang, **params)
    except (KeyError, IndexError, ValueError):
        text = ""
    return text if text and text != f"mail.{kind}.subject" else t("portal.inbox.message", lang)


def own_page(link: Any) -> str | None:
    """The portal page a message points to, as a path on this site (never a sign-in link)."""
    path = urlsplit(link).path if isinstance(link, str) else ""
    return path if path.startswith("/portal/") and not path.startswith("/portal/in/") else None


async def own_messages(session: AsyncSession, workspace_id: Any, email: str | None, phone: str | None,
                       limit: int = 50) -> list[OutboxMessage]:
    """Messages sent to the job seeker's own address about their workspace, newest first."""
    addresses = [a for a in (email, phone) if a]
    if not addresses:
        return []
    return list(await session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.workspace_id == workspace_id, OutboxMessage.recipient_user_id.is_(None),
               OutboxMessage.to_address.in_(addresses), ~OutboxMessage.kind.in_(NOT_LISTED),
               or_(OutboxMessage.channel == "email", OutboxMessage.channel == "sms"))
        .order_by(OutboxMessage.created_at.desc()).limit(limit)))


@get("/berichten", guards=[signed_in])
async def inbox_page(request: Request[Any, Any, Any], db: AsyncSession) -> Template:
    """My messages, in my language, and whether I want reminders."""
    actor = require_jobseeker(request)
    ws, js = await own_workspace(db, actor)
    lang = page_language(request)
    rows = await own_messages(db, ws.id, js.email, js.phone)
    items = [{"at": m.created_at, "subject": subject(m.kind, dict(m.params or {}), lang), "channel": m.channel,
              "href": own_page(m.params.get("link") if m.params else None)} for m in rows]
    session = request.scope.get("session")
    said = session.pop("said", None) if isinstance(session, dict) else None
    await log_access(db, actor, action="list", resource_type="messages", workspace_id=ws.id)
    return render(request, "portal/inbox.html", items=items, tz=local_tz(),
                  reminders=await service.jobseeker_wants_reminders(db, ws.id),
                  said=said if isinstance(said, dict) else {}, errors={})


@post("/berichten/herinneringen", guards=[signed_in])
async def reminders_submit(request: Request[Any, Any, Any], db: AsyncSession) -> Redirect:
    """Switch reminders about my own agreements on or off (off unless I ask)."""
    actor = require_jobseeker(request)
    ws, js = await own_workspace(db, actor)
    form = await request.form()
    on = form.get("value") == "yes"
    await service.set_agreement_reminders(db, js.id, on)
    await log_access(db, actor, action="update", resource_type="notification_preference", workspace_id=ws.id)
    session = request.scope.get("session")
    if isinstance(session, dict):
        session["said"] = {"text": t("portal.inbox.reminders_on" if on else "portal.inbox.reminders_off",
                                     page_language(request)), "at": "herinneringen"}
    return Redirect("/portal/berichten#herinneringen")


PORTAL_MESSAGE_PAGES = portal_router([inbox_page, reminders_submit])

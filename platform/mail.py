"""Render outbox messages to email and send them over SMTP."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any
from urllib.parse import urlparse

import aiosmtplib

from w2.platform.i18n import t
from w2.platform.settings import get_settings

# kind -> renderer(params, language) -> (subject, body, extra parts)
Renderer = Callable[[dict[str, Any], str], EmailMessage]
RENDERERS: dict[str, Renderer] = {}


def renderer(kind: str) -> Callable[[Renderer], Renderer]:
    """Register how a kind of message becomes an email."""

    def deco(fn: Renderer) -> Renderer:
        RENDERERS[kind] = fn
        return fn

    return deco


def simple(kind: str, params: dict[str, Any], language: str) -> EmailMessage:
    """A plain-text mail from the catalogue keys `mail.<kind>.subject` and `.body`."""
    msg = EmailMessage()
    msg["Subject"] = t(f"mail.{kind}.subject", language, **params)
    msg.set_content(t(f"mail.{kind}.body", language, **params))
    return msg


@renderer("member_added")
def _member_added(params: dict[str, Any], language: str) -> EmailMessage:
    return simple("member_added", params, language)


def build(kind: str, params: dict[str, Any], language: str, to: str, key: str) -> EmailMessage:
    """The full message with headers; the Message-ID derives from the idempotency key."""
    render = RENDERERS.get(kind)
    if render is None:
        raise LookupError(f"no renderer for message kind {kind!r}")
    msg = render(params, language)
    msg["From"] = get_settings().mail_from
    msg["To"] = to
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = make_msgid(idstring=key.replace(":", "."), domain="w2.invalid")
    msg["X-W2-Key"] = key
    return msg


async def send_keep_open(msg: EmailMessage) -> aiosmtplib.SMTP:
    """Deliver over SMTP up to the server's acceptance; the caller says QUIT (after recording it)."""
    url = urlparse(get_settings().smtp_url)
    client = aiosmtplib.SMTP(
        hostname=url.hostname or "127.0.0.1",
        port=url.port or 25,
        username=url.username,
        password=url.password,
        start_tls=url.scheme == "smtp+starttls",
        use_tls=url.scheme == "smtps",
        timeout=20,
    )
    await client.connect()
    try:
        await client.send_message(msg)
    except BaseException:
        client.close()
        raise
    return client


async def send(msg: EmailMessage) -> None:
    """Deliver over SMTP to W2_SMTP_URL."""
    url = urlparse(get_settings().smtp_url)
    await aiosmtplib.send(
        msg,
        hostname=url.hostname or "127.0.0.1",
        port=url.port or 25,
        username=url.username,
        password=url.password,
        start_tls=url.scheme == "smtp+starttls",
        use_tls=url.scheme == "smtps",
        timeout=20,
    )

"""Render outbox messages to email and send them over SMTP."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any
from urllib.parse import urlparse

import aiosmtplib

from w2.platform import wiring
from w2.platform.i18n import t
from w2.platform.settings import get_settings
from w2.platform.wiring import Renderer


def simple(kind: str, params: dict[str, Any], language: str) -> EmailMessage:
    """A plain-text mail from the catalogue keys `mail.<kind>.subject` and `.body`."""
    msg = EmailMessage()
    msg["Subject"] = t(f"mail.{kind}.subject", language, **params)
    msg.set_content(t(f"mail.{kind}.body", language, **params))
    return msg


def simple_renderer(kind: str) -> Renderer:
    """The renderer of a kind whose mail is just its catalogue subject and body."""

    def render(params: dict[str, Any], language: str) -> EmailMessage:
        return simple(kind, params, language)

    return render


def build(kind: str, params: dict[str, Any], language: str, to: str, key: str) -> EmailMessage:
    """The full message with headers; the Message-ID derives from the idempotency key."""
    render = wiring.active().renderers.get(kind)
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

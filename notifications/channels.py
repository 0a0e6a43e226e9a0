"""Channels behind the outbox's one interface (e-mail, SMS, in-app inbox) and the notification mails."""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from w2.notifications.models import InboxItem
from w2.platform import mail
from w2.platform.i18n import t
from w2.platform.outbox import OutboxMessage
from w2.platform.settings import get_settings

# Kinds with a plain-text mail from the catalogue (`mail.<kind>.subject/body`).
SIMPLE_KINDS = (
    "agreement_due", "agreement_overdue", "agreement_due_jobseeker", "agreement_overdue_jobseeker",
    "consent_ending", "consent_ending_jobseeker", "meeting_tomorrow", "meeting_tomorrow_jobseeker",
    "meeting_tomorrow_confidant", "followup_due",
)
DIGEST_KINDS = ("agreement_overdue", "agreement_due", "meeting_tomorrow", "followup_due", "consent_ending")
_EMAIL_RE = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
_PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()./-]{6,28}[0-9]$")


def plural(key: str, n: int, language: str) -> str:
    """`one|many` catalogue entries, formatted with n."""
    one, _, many = t(key, language).partition("|")
    return (one if n == 1 or not many else many).format(n=n)


def digest_lines(counts: dict[str, int], language: str) -> list[str]:
    """One short line per kind that needs attention, e.g. "3 afspraken vervallen deze week"."""
    return [plural(f"digest.{k}", counts[k], language) for k in DIGEST_KINDS if counts.get(k)]


def render_digest(params: dict[str, Any], language: str) -> EmailMessage:
    """The daily digest: one line per kind that needs attention, and the sign-in link."""
    lines = "\n".join(f"- {line}" for line in digest_lines(params.get("counts") or {}, language))
    msg = EmailMessage()
    msg["Subject"] = t("mail.digest.subject", language)
    msg.set_content(t("mail.digest.body", language, name=params.get("name", ""), lines=lines,
                      link=params.get("link", "")))
    return msg


def sms_text(msg: OutboxMessage) -> str:
    """The short SMS text: that something needs attention, and the sign-in link."""
    params = msg.render_params()
    if msg.kind == "digest":
        params["lines"] = ", ".join(digest_lines(params.get("counts") or {}, msg.language))
    return t(f"sms.{msg.kind}", msg.language, **params)


class EmailChannel:
    """Email over SMTP (W2_SMTP_URL); the message is rendered from ids and links only."""

    async def send(self, session: AsyncSession, msg: OutboxMessage) -> Callable[[], Awaitable[None]]:
        """Render and hand the mail to the SMTP server; QUIT is left for after the commit."""
        if not msg.to_address:
            raise ValueError("geen e-mailadres voor deze ontvanger")
        if not _EMAIL_RE.match(msg.to_address):
            raise ValueError(f"ongeldig e-mailadres: {msg.to_address!r}")
        email = mail.build(msg.kind, msg.render_params(), msg.language, msg.to_address, msg.idempotency_key)
        client = await mail.send_keep_open(email)

        async def quit_() -> None:
            try:
                await client.quit()
            except Exception:  # noqa: BLE001 - the server already accepted the message
                client.close()

        return quit_


class SmsProvider(Protocol):
    """An SMS gateway adapter."""

    def send(self, to: str, text: str, key: str) -> None:
        """Hand one SMS to the provider (idempotent on `key` where the provider allows)."""


class FileSinkProvider:
    """The embedded default: every SMS is a text file under <W2_STORAGE_DIR>/sms (shown on /dev/mail)."""

    def send(self, to: str, text: str, key: str) -> None:
        """Write the SMS; the file name derives from the key, so a retry overwrites instead of doubling."""
        folder = get_settings().storage_dir / "sms"
        folder.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", key)[:150]
        existing = list(folder.glob(f"*-{safe}.txt"))
        target = existing[0] if existing else folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{safe}.txt"
        tmp = target.with_suffix(".tmp")
        tmp.write_text(f"Aan: {to}\n\n{text}\n", encoding="utf-8")
        tmp.replace(target)


PROVIDERS: dict[str, SmsProvider] = {"sink": FileSinkProvider()}


class SmsChannel:
    """SMS through the provider named by W2_SMS_PROVIDER (default: the file sink)."""

    async def send(self, session: AsyncSession, msg: OutboxMessage) -> None:
        """Validate the number and hand the text to the provider."""
        if not msg.to_address:
            raise ValueError("geen gsm-nummer voor deze ontvanger")
        if not _PHONE_RE.match(msg.to_address):
            raise ValueError(f"ongeldig gsm-nummer: {msg.to_address!r}")
        provider = PROVIDERS.get(get_settings().sms_provider)
        if provider is None:
            raise LookupError("onbekende sms-dienst in W2_SMS_PROVIDER")
        provider.send(msg.to_address, sms_text(msg), msg.idempotency_key)


class InAppChannel:
    """The in-app inbox: the item is written in the same transaction that marks the message sent."""

    async def send(self, session: AsyncSession, msg: OutboxMessage) -> None:
        """Add the inbox item for the recipient."""
        if msg.recipient_user_id is None:
            raise ValueError("het postvak in w2 bestaat alleen voor medewerkers")
        session.add(InboxItem(user_id=msg.recipient_user_id, kind=msg.kind, link=msg.params.get("link"),
                              workspace_id=msg.workspace_id, outbox_message_id=msg.id))



"""The kernel's wiring points, filled in one place by the composition root (platform/boot/wiring.py).

Nothing registers itself on import: the web app, the worker and the CLI each call
`w2.platform.boot.wiring.wire()`, which builds one `Wiring` and installs it here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform import i18n
from w2.platform.outbox import Channel, OutboxMessage

# kind -> renderer(params, language) -> the mail without its envelope headers
Renderer = Callable[[dict[str, Any], str], EmailMessage]
# Run at send time; returns a reason to cancel the message, or None to send it.
SendCheck = Callable[[AsyncSession, OutboxMessage], Awaitable[str | None]]
# Run in the granting transaction when a professional records a consent in the job seeker's name.
AnnounceHook = Callable[[AsyncSession, Any, Any], Awaitable[None]]
# Run in the finalizing transaction when a round table's report version is frozen.
FinalizeHook = Callable[[AsyncSession, Any, Any], Awaitable[None]]
# The consent policy's reader of members' questions (case content): (session, actor, workspace id) ->
# {agency id: (text or None, life domain, withheld)}. Unwired, the kernel shows no question text at all.
QuestionReader = Callable[[AsyncSession, Any, Any], Awaitable[Mapping[Any, tuple[str | None, str, bool]]]]


@dataclass(frozen=True)
class Wiring:
    """Everything the kernel and the lower domains call without importing the domains that provide it."""

    channels: Mapping[str, Channel] = field(default_factory=dict)
    inline_channels: frozenset[str] = frozenset()  # delivered by the relay itself (a local database write)
    send_checks: tuple[SendCheck, ...] = ()
    renderers: Mapping[str, Renderer] = field(default_factory=dict)
    announce_hooks: tuple[AnnounceHook, ...] = ()
    finalize_hooks: tuple[FinalizeHook, ...] = ()
    catalogue_dirs: tuple[Path, ...] = ()
    question_reader: QuestionReader | None = None


_active: list[Wiring] = [Wiring()]


def install(wiring: Wiring) -> None:
    """Make `wiring` the one this process uses (the composition root calls this)."""
    for folder in wiring.catalogue_dirs:
        i18n.register_catalogue_dir(folder)
    _active[0] = wiring


def active() -> Wiring:
    """The installed wiring (empty until the composition root has run)."""
    return _active[0]

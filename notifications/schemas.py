"""Request and response schemas of the notifications API."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec


class NotificationOut(msgspec.Struct):
    """One inbox item: what kind of thing needs attention and where (never its content)."""

    id: uuid.UUID
    kind: str
    created_at: datetime
    read_at: datetime | None
    link: str | None


class InboxOut(msgspec.Struct):
    """The caller's inbox page and unread count."""

    items: list[NotificationOut]
    unread: int


class PreferencesIn(msgspec.Struct, forbid_unknown_fields=True):
    """Change any of channel, language and digest; channel and language are checked by the service (422)."""

    channel: str | None = None
    language: str | None = None
    digest: bool | None = None


class PreferencesOut(msgspec.Struct):
    """How the caller is told."""

    channel: str
    language: str
    digest: bool


class JobseekerPreferencesIn(msgspec.Struct, forbid_unknown_fields=True):
    """The job seeker's channel (email or sms) and language."""

    channel: str | None = None
    language: str | None = None


class JobseekerPreferencesOut(msgspec.Struct):
    """How the job seeker is told."""

    channel: str
    language: str


class FailedMessageOut(msgspec.Struct):
    """A message that could not be delivered, for the agency admin to act on."""

    id: uuid.UUID
    kind: str
    channel: str
    to_address: str | None
    recipient_user_id: uuid.UUID | None
    workspace_id: uuid.UUID | None
    attempts: int
    last_error: str | None
    created_at: datetime
    status: str


class FailedListOut(msgspec.Struct):
    """Failed messages of the caller's agency."""

    items: list[FailedMessageOut]
    total: int

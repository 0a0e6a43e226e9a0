"""Messages w2 sent the job seeker and their message choices, in their own export (GDPR art. 15)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import can_read_identity
from w2.consent.portal_export import ExportPart, day, iso, label, moment
from w2.meetings.models import Meeting, MeetingInvitee
from w2.notifications.models import NotificationPreference
from w2.notifications.portal_pages import subject
from w2.platform.actor import Actor
from w2.platform.i18n import t
from w2.platform.models import Confidant, Workspace
from w2.platform.outbox import OutboxMessage


async def export_parts(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> list[ExportPart]:
    """Every message to the job seeker's own addresses (never its parameters) and the reminder choice."""
    lang = actor.language
    ws = await session.scalar(select(Workspace).where(Workspace.id == workspace_id,
                                                      can_read_identity(actor, Workspace.id)))
    if ws is None:
        return []
    # Messages without a staff recipient go to the job seeker, a confidant or an invitee from outside;
    # the last two are other people's messages, left out.
    others = {a for c in await session.scalars(select(Confidant).where(Confidant.workspace_id == ws.id))
              for a in (c.email, c.phone) if a}
    others |= set(await session.scalars(
        select(MeetingInvitee.email).join(Meeting, Meeting.id == MeetingInvitee.meeting_id)
        .where(Meeting.workspace_id == ws.id, MeetingInvitee.kind != "jobseeker", MeetingInvitee.email.is_not(None))))
    rows = [m for m in await session.scalars(
        select(OutboxMessage).where(OutboxMessage.workspace_id == ws.id, OutboxMessage.recipient_user_id.is_(None))
        .order_by(OutboxMessage.created_at, OutboxMessage.id)) if m.to_address not in others]
    # The parameters are never exported: a message's text is its catalogue subject in the reader's language.
    message_items = [{"kind": m.kind, "subject": subject(m.kind, dict(m.params or {}), lang), "channel": m.channel,
                      "to": m.to_address, "status": m.status, "made_at": iso(m.created_at), "sent_at": iso(m.sent_at)}
                     for m in rows]
    message_lines = [t("export.message", lang, date=moment(m.created_at, lang),
                       channel=label("export.channel", m.channel, lang), subject=i["subject"],
                       status=label("export.message_status", m.status, lang))
                     for m, i in zip(rows, message_items, strict=True)]
    pref = await session.scalar(select(NotificationPreference).where(NotificationPreference.jobseeker_id == ws.jobseeker_id))
    pref_items = [{"channel": pref.channel, "language": pref.language, "digest": pref.digest,
                   "agreement_reminders": pref.agreement_reminders, "updated_at": iso(pref.updated_at)}] if pref else []
    pref_lines = [t("export.preference", lang, channel=label("export.channel", pref.channel, lang),
                    name=label("export.language", pref.language, lang, pref.language), date=day(pref.updated_at, lang)),
                  t("export.reminders.on" if pref.agreement_reminders else "export.reminders.off", lang)] if pref else [
        t("export.preference.none", lang)]
    return [ExportPart("messages", t("export.messages.title", lang), message_items, message_lines),
            ExportPart("preferences", t("export.preferences.title", lang), pref_items, pref_lines)]

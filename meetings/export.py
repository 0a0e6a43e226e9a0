"""The round tables in the job seeker's own export (GDPR art. 15): logistics, case fields, their own input."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import can_read_domain
from w2.consent.portal_export import ExportPart, day, domain_name, iso, label, moment
from w2.meetings.access import invitee_identity, meeting_visible
from w2.meetings.models import (
    Meeting,
    MeetingCoordinatorChange,
    MeetingInvitee,
    MeetingJobseekerAgreement,
    MeetingNote,
    MeetingReportVersion,
    MeetingSlot,
    MeetingUrgentTheme,
    MeetingVote,
)
from w2.platform.actor import Actor
from w2.platform.i18n import t
from w2.platform.models import Membership, User

# The meeting's own text fields, in the order the export shows them (labels: export.meeting.<field>).
TEXT_FIELDS = ("reason", "started_because", "goal", "thresholds", "professional_questions", "strengths",
               "non_participation_reason", "jobseeker_questions", "jobseeker_agenda", "jobseeker_at_ease",
               "jobseeker_wished_people", "cancel_reason")


async def export_parts(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> list[ExportPart]:
    """Every round table with its invitees, poll, own answers, notes per life domain and frozen reports."""
    lang = actor.language
    meetings = list(await session.scalars(
        select(Meeting).where(Meeting.workspace_id == workspace_id, meeting_visible(actor, Meeting.workspace_id))
        .order_by(Meeting.created_at, Meeting.id)))
    ids = [m.id for m in meetings]
    names = {u.id: u.name for u in await session.scalars(
        select(User).join(Membership, Membership.agency_id == User.agency_id)
        .where(Membership.workspace_id == workspace_id))}
    items: list[dict[str, Any]] = []
    readable: list[ExportPart] = []
    for m in meetings:
        item, lines = await _meeting(session, actor, m, names)
        items.append(item)
        readable.append(ExportPart("", t("export.meeting.title", lang, date=_when(m, lang)), [], lines))
    notes = list(await session.scalars(
        select(MeetingNote).where(MeetingNote.meeting_id.in_(ids),
                                  can_read_domain(actor, MeetingNote.workspace_id, MeetingNote.life_domain))
        .order_by(MeetingNote.meeting_id, MeetingNote.life_domain)))
    when = {m.id: _when(m, lang) for m in meetings}
    note_items = [{"meeting_id": str(n.meeting_id), "life_domain": n.life_domain, "title": n.title,
                   "information": n.information, "improved": n.improved, "updated_at": iso(n.updated_at),
                   "updated_by": names.get(n.updated_by_user_id)} for n in notes]
    note_lines = [t("export.note", lang, date=when[n.meeting_id], domain=domain_name(n.life_domain, lang),
                    text=n.information)
                  + (" " + t("export.note.improved", lang, text=n.improved) if n.improved else "") for n in notes]
    versions = list(await session.scalars(
        select(MeetingReportVersion).where(MeetingReportVersion.meeting_id.in_(ids))
        .order_by(MeetingReportVersion.meeting_id, MeetingReportVersion.version)))
    version_items = [{"meeting_id": str(v.meeting_id), "version": v.version, "made_at": iso(v.created_at),
                      "made_by": names.get(v.created_by_user_id), "content": v.content} for v in versions]
    version_lines = [t("export.report_version", lang, n=v.version, meeting=when[v.meeting_id],
                       date=day(v.created_at, lang)) for v in versions]
    return [
        ExportPart("meetings", t("export.meetings.title", lang), items,
                   [t("export.meeting.summary", lang, date=_when(m, lang),
                      status=label("portal.meeting_status", m.status, lang)) for m in meetings]),
        *readable,
        ExportPart("meeting_notes", t("export.notes.title", lang), note_items, note_lines),
        ExportPart("report_versions", t("export.report_versions.title", lang), version_items, version_lines),
    ]


def _when(m: Meeting, lang: str) -> str:
    if m.starts_at:
        return moment(m.starts_at, lang)
    return t("export.meeting.asked_on", lang, date=day(m.created_at, lang))


async def _meeting(session: AsyncSession, actor: Actor, m: Meeting,
                   names: dict[uuid.UUID, str]) -> tuple[dict[str, Any], list[str]]:
    lang = actor.language
    themes = list(await session.scalars(
        select(MeetingUrgentTheme).where(MeetingUrgentTheme.meeting_id == m.id,
                                         can_read_domain(actor, MeetingUrgentTheme.workspace_id,
                                                         MeetingUrgentTheme.life_domain))
        .order_by(MeetingUrgentTheme.position, MeetingUrgentTheme.created_at)))
    invitees = list(await session.scalars(select(MeetingInvitee).where(MeetingInvitee.meeting_id == m.id)
                                          .order_by(MeetingInvitee.created_at, MeetingInvitee.id)))
    people = []
    for inv in invitees:
        who = await invitee_identity(session, inv)
        people.append({"kind": inv.kind, "name": who["name"], "agency": who["service"],
                       "attendance": inv.attendance, "your_answer": inv.jobseeker_answer,
                       "added_at": iso(inv.created_at), "removed_at": iso(inv.removed_at)})
    own = next((i for i in invitees if i.kind == "jobseeker"), None)
    slots = list(await session.scalars(select(MeetingSlot).where(MeetingSlot.meeting_id == m.id)
                                       .order_by(MeetingSlot.starts_at)))
    votes = {v.slot_id: v.answer for v in await session.scalars(
        select(MeetingVote).where(MeetingVote.invitee_id == own.id))} if own else {}
    agreements = list(await session.scalars(
        select(MeetingJobseekerAgreement).where(MeetingJobseekerAgreement.meeting_id == m.id)
        .order_by(MeetingJobseekerAgreement.agreed_at)))
    handovers = list(await session.scalars(
        select(MeetingCoordinatorChange).where(MeetingCoordinatorChange.meeting_id == m.id)
        .order_by(MeetingCoordinatorChange.created_at)))
    item: dict[str, Any] = {
        "id": str(m.id), "status": m.status, "requested_by": m.requested_by_kind, "asked_at": iso(m.created_at),
        "starts_at": iso(m.starts_at), "ends_at": iso(m.ends_at), "location": m.location, "video_url": m.video_url,
        "coordinator": names.get(m.coordinator_user_id), "prepared_with": names.get(m.prepared_with_user_id),
        **{f: getattr(m, f) for f in TEXT_FIELDS},
        "participation": m.jobseeker_participation, "practical_needs": list(m.practical_needs),
        "interpreter_language": m.interpreter_language, "partner_name": m.partner_name,
        "children_names": list(m.children_names), "jobseeker_input_at": iso(m.jobseeker_input_at),
        "urgent_themes": [{"text": u.text, "life_domain": u.life_domain} for u in themes],
        "held_at": iso(m.held_at), "follow_up_date": iso(m.follow_up_date), "finalized_at": iso(m.finalized_at),
        "cancelled_at": iso(m.cancelled_at), "invitees": people,
        "poll": [{"starts_at": iso(s.starts_at), "ends_at": iso(s.ends_at), "location": s.location,
                  "your_answer": votes.get(s.id)} for s in slots],
        "your_agreement": [{"method": a.method, "agreed_at": iso(a.agreed_at),
                            "witness": names.get(a.witness_user_id)} for a in agreements],
        "coordinator_changes": [{"from": names.get(h.from_user_id), "to": names.get(h.to_user_id),
                                 "at": iso(h.created_at)} for h in handovers],
    }
    lines = [t("export.meeting.status", lang, status=label("portal.meeting_status", m.status, lang))]
    if m.location:
        lines.append(t("export.meeting.location", lang, place=m.location))
    if m.coordinator_user_id:
        lines.append(t("export.meeting.coordinator", lang, name=names.get(m.coordinator_user_id, "-")))
    lines += [t(f"export.meeting.{f}", lang, text=getattr(m, f)) for f in TEXT_FIELDS if getattr(m, f)]
    if themes:
        lines.append(t("export.meeting.urgent", lang, themes="; ".join(
            f"{u.text} ({domain_name(u.life_domain, lang)})" for u in themes)))
    if m.partner_name:
        lines.append(t("export.meeting.partner", lang, name=m.partner_name))
    if m.children_names:
        lines.append(t("export.meeting.children", lang, names=", ".join(m.children_names)))
    lines.append(t("export.meeting.participation", lang,
                   how=label("export.participation", m.jobseeker_participation, lang)))
    if m.practical_needs:
        lines.append(t("export.meeting.needs", lang, needs=", ".join(label("export.need", n, lang)
                                                                      for n in m.practical_needs)))
    for p in people:
        line = t("export.meeting.invitee", lang, name=p["name"] or "-",
                 agency=f" ({p['agency']})" if p["agency"] else "")
        if p["your_answer"]:
            line += " " + label("export.answer", p["your_answer"], lang)
        if p["attendance"]:
            line += " " + label("export.attendance", p["attendance"], lang)
        lines.append(line)
    lines += [t("export.meeting.slot", lang, when=moment(s.starts_at, lang) + (f", {s.location}" if s.location else ""),
                answer=label("export.vote", votes.get(s.id) or "none", lang)) for s in slots]
    lines += [t("export.meeting.agreed", lang, date=day(a.agreed_at, lang), how=label("export.method", a.method, lang))
              for a in agreements]
    lines += [t("export.meeting.handover", lang, name=names.get(h.to_user_id, "-"), date=day(h.created_at, lang))
              for h in handovers]
    if m.follow_up_date:
        lines.append(t("export.meeting.follow_up", lang, date=day(m.follow_up_date, lang)))
    return item, lines

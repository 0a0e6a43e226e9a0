"""The job seeker's own agreements: the list their portal page shows and their part of the data export."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.policy import can_read_domain, progress_shared
from w2.consent.portal_export import ExportPart, day
from w2.meetings.agreements.models import Agreement, AgreementNote
from w2.platform.actor import Actor
from w2.platform.i18n import t
from w2.platform.models import Agency, Membership, User


def _iso(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


async def agreements_for(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> list[Agreement]:
    """Agreements of the workspace the actor may read (through the consent policy)."""
    return list(await session.scalars(
        select(Agreement)
        .where(Agreement.workspace_id == workspace_id,
               can_read_domain(actor, Agreement.workspace_id, Agreement.life_domain))
        .order_by(Agreement.due_date.is_(None), Agreement.due_date, Agreement.created_at)
    ))


async def shared_progress(session: AsyncSession, rows: list[Agreement]) -> dict[uuid.UUID, AgreementNote | None]:
    """For each agreement whose progress is shared with the job seeker (consent policy): its latest note by staff."""
    ids = [a.id for a in rows]
    if not ids:
        return {}
    shared = set(await session.scalars(select(Agreement.id).where(
        Agreement.id.in_(ids), progress_shared(Agreement.workspace_id, Agreement.owner_kind, Agreement.owner_agency_id,
                                               Agreement.owner_user_id, Agreement.life_domain))))
    out: dict[uuid.UUID, AgreementNote | None] = dict.fromkeys(shared)
    for n in await session.scalars(select(AgreementNote).where(
            AgreementNote.agreement_id.in_(list(shared)), AgreementNote.author_is_jobseeker.is_(False))
            .order_by(AgreementNote.created_at)):
        out[n.agreement_id] = n  # the newest wins
    return out


async def export_part(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> list[ExportPart]:
    """The agreements with their progress notes, for the job seeker's export (JSON key `agreements`)."""
    lang = actor.language
    names = {a.id: a.name for a in await session.scalars(select(Agency))}
    users = {u.id: u.name for u in await session.scalars(
        select(User).join(Membership, Membership.agency_id == User.agency_id)
        .where(Membership.workspace_id == workspace_id))}
    agreements = await agreements_for(session, actor, workspace_id)
    notes = list(await session.scalars(select(AgreementNote).where(
        AgreementNote.agreement_id.in_([a.id for a in agreements])).order_by(AgreementNote.created_at)))
    items = [{"id": str(a.id), "life_domain": a.life_domain, "description": a.description,
              "owner_kind": a.owner_kind, "owner_agency": names.get(a.owner_agency_id),
              "owner_user": users.get(a.owner_user_id), "due_date": _iso(a.due_date), "status": a.status,
              "notes": [{"at": _iso(n.created_at), "status": n.status, "note": n.note,
                         "by": "jobseeker" if n.author_is_jobseeker else users.get(n.author_user_id)}
                        for n in notes if n.agreement_id == a.id]}
             for a in agreements]
    lines = []
    for a, row in zip(items, agreements, strict=True):
        lines.append(f"{t('portal.domain.' + a['life_domain'], lang)}: {a['description']} – "
                     f"{a['owner_agency'] or a['owner_user'] or ''} – {t('portal.status.' + a['status'], lang)}"
                     + (f" ({day(row.due_date, lang)})" if row.due_date else ""))
        lines += [t("export.agreement_note", lang, date=day(n.created_at, lang), note=n.note or "",
                    who=t("export.log.you", lang) if n.author_is_jobseeker else users.get(n.author_user_id) or "-")
                  for n in notes if n.agreement_id == row.id and n.note]
    return [ExportPart("agreements", t("portal.agreements.title", lang), items, lines)]

"""Everything about the job seeker, as JSON and as a readable PDF (GDPR art. 15)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.models import AccessLogEntry, Consent, ConsentRevocation
from w2.consent.policy import log_access
from w2.platform.actor import Actor
from w2.platform.models import Agency, Confidant, Jobseeker, Membership, PivotAssignment, User, Workspace


class ExportPart(NamedTuple):
    """What a domain above consent adds to the export: JSON under `key`, readable lines under `title`."""

    key: str
    title: str
    items: list[dict[str, Any]]
    lines: list[str]


# A part reads with the job seeker's own actor (so it goes through the policy and the access log).
PartReader = Callable[[AsyncSession, Actor, uuid.UUID], Awaitable[list[ExportPart]]]


def shown_national_number(actor: Actor, number: str | None) -> str | None:
    """In an assisted session the national number is never shown in full (only the birth date part)."""
    if number and actor.is_assisted:
        return f"{number[:2]}.{number[2:4]}.{number[4:6]}-***.**"
    return number


def _iso(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


async def export_all(session: AsyncSession, actor: Actor, parts: Sequence[PartReader] = ()) -> dict[str, Any]:
    """All stored data about the signed-in job seeker's workspace; `parts` are wired by the composition root."""
    data = await _export_own(session, actor)
    readable: list[tuple[str, list[str]]] = []
    for reader in parts:
        for part in await reader(session, actor, uuid.UUID(str(data["workspace"]["id"]))):
            data[part.key] = part.items
            readable.append((part.title, part.lines))
    data["_readable"] = readable
    return data


async def _export_own(session: AsyncSession, actor: Actor) -> dict[str, Any]:
    """What consent and the kernel hold about the job seeker (the domains above add their parts)."""
    ws = await session.get(Workspace, actor.workspace_id)
    assert ws is not None
    js = await session.get(Jobseeker, ws.jobseeker_id)
    assert js is not None
    names = {a.id: a.name for a in await session.scalars(select(Agency))}
    users = {u.id: u for u in await session.scalars(
        select(User).join(Membership, Membership.agency_id == User.agency_id)
        .where(Membership.workspace_id == ws.id))}

    def uname(uid: Any) -> str | None:
        return users[uid].name if uid in users else None

    members = await session.scalars(select(Membership).where(Membership.workspace_id == ws.id))
    pivots = await session.scalars(select(PivotAssignment).where(PivotAssignment.workspace_id == ws.id)
                                   .order_by(PivotAssignment.since))
    confidants = await session.scalars(select(Confidant).where(Confidant.workspace_id == ws.id))
    consents = await session.scalars(select(Consent).where(Consent.workspace_id == ws.id)
                                     .order_by(Consent.granted_at))
    revocations = {r.consent_id: r for r in await session.scalars(
        select(ConsentRevocation).join(Consent, Consent.id == ConsentRevocation.consent_id)
        .where(Consent.workspace_id == ws.id))}
    log = await session.scalars(select(AccessLogEntry).where(AccessLogEntry.workspace_id == ws.id)
                                .order_by(AccessLogEntry.at))
    await log_access(session, actor, action="export", resource_type="everything", workspace_id=ws.id)
    return {
        "jobseeker": {"given_name": js.given_name, "family_name": js.family_name, "birth_date": _iso(js.birth_date),
                      "national_number": shown_national_number(actor, js.national_number),
                      "email": js.email, "phone": js.phone,
                      "preferred_language": js.preferred_language},
        "workspace": {"id": str(ws.id), "created_at": _iso(ws.created_at),
                      "coordinating_agency": names.get(ws.coordinating_agency_id)},
        "members": [{"agency": names.get(m.agency_id), "contact": uname(m.contact_user_id),
                     "question_type": m.question_type, "question": m.question} for m in members],
        "pivot_history": [{"name": uname(p.user_id), "chosen_by_jobseeker": p.chosen_by_jobseeker,
                           "since": _iso(p.since), "until": _iso(p.until)} for p in pivots],
        "confidants": [{"name": c.name, "relation": c.relation, "email": c.email, "phone": c.phone}
                       for c in confidants],
        "consents": [{"id": str(c.id), "agency": names.get(c.agency_id), "purpose": c.purpose,
                      "life_domains": list(c.life_domains), "method": c.method, "granted_by": c.granted_by,
                      "legal_basis": c.legal_basis, "granted_at": _iso(c.granted_at),
                      "valid_until": _iso(c.valid_until), "text_version": c.text_version,
                      "revoked_at": _iso(revocations[c.id].revoked_at) if c.id in revocations else None,
                      "revocation_kind": revocations[c.id].kind if c.id in revocations else None}
                     for c in consents],
        "access_log": [{"at": _iso(e.at), "actor": e.actor_name, "actor_kind": e.actor_kind,
                        "agency": names.get(e.agency_id) if e.agency_id else None, "action": e.action,
                        "resource_type": e.resource_type, "life_domain": e.life_domain, "outcome": e.outcome}
                       for e in log],
    }


def render_pdf(html: str) -> bytes:
    """HTML to a tagged PDF; every URL (file, http, data) is refused, so nothing leaks in or out."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class RefuseAll(URLFetcher):  # type: ignore[misc]  # weasyprint ships no types: its base class is Any
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"refused URL: {url}")

    pdf: bytes = HTML(string=html, base_url="w2-none:", url_fetcher=RefuseAll()).write_pdf(pdf_variant="pdf/ua-1")
    return pdf

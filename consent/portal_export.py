"""Everything about the job seeker, as JSON and as a readable PDF (GDPR art. 15)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.models import AccessLogEntry, Consent, ConsentNotice, ConsentRevocation
from w2.consent.policy import can_read_identity, log_access
from w2.platform.actor import Actor
from w2.platform.i18n import t
from w2.platform.models import Agency, Confidant, Jobseeker, Membership, PivotAssignment, User, Workspace
from w2.platform.portal_auth import PortalInvitation
from w2.platform.settings import get_settings

LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "en": "en_GB"}
READS = ("read", "list", "view", "export", "download")


class ExportPart(NamedTuple):
    """What a domain adds to the export: JSON under `key` (none: readable lines only) and lines under `title`."""

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


def iso(v: Any) -> Any:
    """A date or time as ISO 8601 text (other values as they are)."""
    return v.isoformat() if hasattr(v, "isoformat") else v


def day(value: date | datetime | None, lang: str) -> str:
    """A date in words ("3 maart 2026"), in local time for moments."""
    from babel.dates import format_date

    if value is None:
        return "-"
    if isinstance(value, datetime):
        value = value.astimezone(ZoneInfo(get_settings().timezone)).date()
    return str(format_date(value, "d MMMM y", locale=LOCALES.get(lang, "nl_BE")))


def month(value: str, lang: str) -> str:
    """A month given as "2027-03" in words ("maart 2027")."""
    from babel.dates import format_date

    try:
        first = date.fromisoformat(f"{value}-01")
    except ValueError:
        return value
    return str(format_date(first, "MMMM y", locale=LOCALES.get(lang, "nl_BE")))


def moment(value: datetime | None, lang: str) -> str:
    """A moment in words ("3 maart 2026 om 10:15"), in local time."""
    if value is None:
        return "-"
    local = value.astimezone(ZoneInfo(get_settings().timezone))
    return t("export.at", lang, date=day(local.date(), lang), time=local.strftime("%H:%M"))


def domain_name(code: str | None, lang: str) -> str:
    """A life domain in plain words, lower case ("werk en opleiding")."""
    return t(f"portal.domain.{code or 'other'}", lang).lower()


def label(prefix: str, code: str | None, lang: str, fallback: str | None = None) -> str:
    """`prefix.code` from the catalogue; `fallback` (or "unknown") instead of a raw code."""
    key = f"{prefix}.{code}"
    text = t(key, lang)
    return (fallback or t("export.unknown", lang)) if text == key else text


async def export_all(session: AsyncSession, actor: Actor, parts: Sequence[PartReader] = ()) -> dict[str, Any]:
    """All stored data about the signed-in job seeker's workspace; `parts` are wired by the composition root."""
    data, readable = await _export_own(session, actor)
    for reader in parts:
        for part in await reader(session, actor, uuid.UUID(str(data["workspace"]["id"]))):
            if part.key:  # a part without a key only adds readable lines (one meeting, one sheet, ...)
                data[part.key] = part.items
            readable.append((part.title, part.lines))
    data["_readable"] = readable + [(t("export.log.title", actor.language), data.pop("_log_lines"))]
    return data


def log_sentence(e: AccessLogEntry, agency: str | None, lang: str) -> str:
    """One access-log line as a sentence: "VDAB (Jan Peeters) bekeek je afspraken over werk, op 3 maart ..."."""
    if e.actor_kind == "jobseeker":
        who = t("export.log.you", lang)
    elif e.actor_kind == "system":
        who = t("export.log.system", lang)
    else:
        who = f"{agency} ({e.actor_name})" if agency and e.actor_name else (agency or e.actor_name or "-")
    thing = label("export.thing", e.resource_type, lang)
    if e.resource_type == "assisted_session":
        did = label("export.log", e.action, lang)
    elif e.outcome != "allowed":
        did = t("export.log.denied", lang, thing=thing)
    elif e.action in READS:
        did = t("export.log.read", lang, thing=thing)
    else:
        did = t("export.log.changed", lang, thing=thing)
    about = t("export.about", lang, domain=domain_name(e.life_domain, lang)) if e.life_domain else ""
    return t("export.log.line", lang, who=who, did=did, about=about, when=moment(e.at, lang))


async def _export_own(session: AsyncSession, actor: Actor) -> tuple[dict[str, Any], list[tuple[str, list[str]]]]:
    """What consent and the kernel hold about the job seeker (the domains above add their parts)."""
    lang = actor.language
    ws = await session.scalar(select(Workspace).where(Workspace.id == actor.workspace_id,
                                                      can_read_identity(actor, Workspace.id)))
    assert ws is not None
    js = await session.get(Jobseeker, ws.jobseeker_id)
    assert js is not None
    names = {a.id: a.name for a in await session.scalars(select(Agency))}
    users = {u.id: u for u in await session.scalars(
        select(User).join(Membership, Membership.agency_id == User.agency_id)
        .where(Membership.workspace_id == ws.id))}

    def uname(uid: Any) -> str | None:
        return users[uid].name if uid in users else None

    members = list(await session.scalars(select(Membership).where(Membership.workspace_id == ws.id)
                                         .order_by(Membership.created_at)))
    pivots = list(await session.scalars(select(PivotAssignment).where(PivotAssignment.workspace_id == ws.id)
                                        .order_by(PivotAssignment.since)))
    confidants = list(await session.scalars(select(Confidant).where(Confidant.workspace_id == ws.id)
                                            .order_by(Confidant.created_at)))
    consents = list(await session.scalars(select(Consent).where(Consent.workspace_id == ws.id)
                                          .order_by(Consent.granted_at)))
    revocations = {r.consent_id: r for r in await session.scalars(
        select(ConsentRevocation).join(Consent, Consent.id == ConsentRevocation.consent_id)
        .where(Consent.workspace_id == ws.id))}
    notices = {n.consent_id: n for n in await session.scalars(
        select(ConsentNotice).where(ConsentNotice.workspace_id == ws.id))}
    invitations = list(await session.scalars(select(PortalInvitation).where(PortalInvitation.workspace_id == ws.id)
                                             .order_by(PortalInvitation.created_at)))
    log = list(await session.scalars(select(AccessLogEntry).where(AccessLogEntry.workspace_id == ws.id)
                                     .order_by(AccessLogEntry.at)))
    await log_access(session, actor, action="export", resource_type="everything", workspace_id=ws.id)

    data: dict[str, Any] = {
        "jobseeker": {"given_name": js.given_name, "family_name": js.family_name, "birth_date": iso(js.birth_date),
                      "national_number": shown_national_number(actor, js.national_number),
                      "email": js.email, "phone": js.phone, "preferred_language": js.preferred_language},
        "workspace": {"id": str(ws.id), "created_at": iso(ws.created_at),
                      "coordinating_agency": names.get(ws.coordinating_agency_id),
                      "closed_at": iso(ws.closed_at), "closed_reason": ws.closed_reason},
        "members": [{"agency": names.get(m.agency_id), "contact": uname(m.contact_user_id),
                     "question_type": m.question_type, "question": m.question, "life_domain": m.life_domain,
                     "since": iso(m.created_at)} for m in members],
        "pivot_history": [{"name": uname(p.user_id), "chosen_by_jobseeker": p.chosen_by_jobseeker,
                           "since": iso(p.since), "until": iso(p.until)} for p in pivots],
        "confidants": [{"name": c.name, "relation": c.relation, "email": c.email, "phone": c.phone,
                        "added_at": iso(c.created_at), "removed_at": iso(c.removed_at)} for c in confidants],
        "consents": [{"id": str(c.id), "agency": names.get(c.agency_id), "purpose": c.purpose,
                      "life_domains": list(c.life_domains), "method": c.method, "granted_by": c.granted_by,
                      "legal_basis": c.legal_basis, "legal_reference": c.legal_reference,
                      "granted_at": iso(c.granted_at), "valid_until": iso(c.valid_until),
                      "text_version": c.text_version, "recorded_by": uname(c.recorded_by_user_id),
                      "revoked_at": iso(revocations[c.id].revoked_at) if c.id in revocations else None,
                      "revocation_kind": revocations[c.id].kind if c.id in revocations else None,
                      "announced_by": notices[c.id].channel if c.id in notices else None,
                      "notice_handed_over_at": iso(notices[c.id].handed_over_at) if c.id in notices else None}
                     for c in consents],
        "sign_in_links": [{"channel": i.channel, "sent_to": i.sent_to, "requested_by": i.requested_by,
                           "created_at": iso(i.created_at), "delivered_at": iso(i.delivered_at)}
                          for i in invitations],
        "access_log": [{"at": iso(e.at), "actor": e.actor_name, "actor_kind": e.actor_kind,
                        "agency": names.get(e.agency_id) if e.agency_id else None, "action": e.action,
                        "resource_type": e.resource_type, "life_domain": e.life_domain, "outcome": e.outcome,
                        "text": log_sentence(e, names.get(e.agency_id) if e.agency_id else None, lang)}
                       for e in log],
    }
    data["_log_lines"] = [e["text"] for e in data["access_log"]]
    return data, _readable_own(data, lang)


def _readable_own(data: dict[str, Any], lang: str) -> list[tuple[str, list[str]]]:
    """The kernel's and consent's sections in plain sentences."""
    js, ws = data["jobseeker"], data["workspace"]
    you = [t("export.you.name", lang, name=f"{js['given_name']} {js['family_name']}"),
           t("export.you.birth_date", lang, date=day(date.fromisoformat(js["birth_date"]), lang)
             if js["birth_date"] else "-"),
           t("export.you.national_number", lang, number=js["national_number"] or "-"),
           t("export.you.email", lang, email=js["email"] or "-"),
           t("export.you.phone", lang, phone=js["phone"] or "-"),
           t("export.you.language", lang, name=label("export.language", js["preferred_language"], lang,
                                                                     js["preferred_language"])),
           t("export.you.since", lang, agency=ws["coordinating_agency"] or "-",
             date=day(datetime.fromisoformat(ws["created_at"]), lang))]
    if ws["closed_at"]:
        you.append(t("export.you.closed", lang, date=day(datetime.fromisoformat(ws["closed_at"]), lang)))
    members = [t("export.member", lang, agency=m["agency"] or "-", why=label("portal.involved.why", m["question_type"],
                                                                              lang))
               + (" " + t("export.member.question", lang, question=m["question"],
                          domain=domain_name(m["life_domain"], lang)) if m["question"] else "")
               + (" " + t("export.member.contact", lang, name=m["contact"]) if m["contact"] else "")
               for m in data["members"]]
    pivots = [t("export.pivot", lang, name=p["name"] or "-", since=day(datetime.fromisoformat(p["since"]), lang))
              + (" " + t("export.pivot.until", lang, date=day(datetime.fromisoformat(p["until"]), lang))
                 if p["until"] else "")
              + (" " + t("export.pivot.chosen", lang) if p["chosen_by_jobseeker"] else "")
              for p in data["pivot_history"]]
    confidants = [t("export.confidant", lang, name=c["name"], relation=c["relation"])
                  + (" " + t("export.confidant.removed", lang, date=day(datetime.fromisoformat(c["removed_at"]), lang))
                     if c["removed_at"] else "")
                  for c in data["confidants"]]
    consents = []
    for c in data["consents"]:
        line = t("export.consent", lang, agency=c["agency"] or "-", purpose=label("export.purpose", c["purpose"], lang),
                 domains=", ".join(domain_name(d, lang) for d in c["life_domains"]),
                 date=day(datetime.fromisoformat(c["granted_at"]), lang),
                 how=label("export.method", c["method"], lang))
        if c["legal_basis"] != "consent":
            line += " " + t("export.consent.basis", lang, basis=label("export.basis", c["legal_basis"], lang))
        if c["announced_by"]:
            line += " " + t("export.consent.announced", lang, channel=label("export.channel", c["announced_by"], lang))
        line += " " + (t("export.consent.ended", lang, date=day(datetime.fromisoformat(c["revoked_at"]), lang))
                       if c["revoked_at"] else t("export.consent.active", lang))
        consents.append(line)
    links = [t("export.link", lang, channel=label("export.channel", i["channel"], lang), to=i["sent_to"],
               date=day(datetime.fromisoformat(i["created_at"]), lang)) for i in data["sign_in_links"]]
    return [(t("export.you.title", lang), you), (t("export.members.title", lang), members),
            (t("export.pivots.title", lang), pivots), (t("export.confidants.title", lang), confidants),
            (t("export.consents.title", lang), consents), (t("export.links.title", lang), links)]


def render_pdf(html: str) -> bytes:
    """HTML to a tagged PDF; every URL (file, http, data) is refused, so nothing leaks in or out."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class RefuseAll(URLFetcher):  # type: ignore[misc]  # weasyprint ships no types: its base class is Any
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"refused URL: {url}")

    pdf: bytes = HTML(string=html, base_url="w2-none:", url_fetcher=RefuseAll()).write_pdf(pdf_variant="pdf/ua-1")
    return pdf

"""From meetings' frozen report data to typed ReportContent, and "what changed" between two versions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from w2.consent.domains import LIFE_DOMAINS
from w2.platform.i18n import t
from w2.reports.schemas import (
    AgreementItem,
    Change,
    DomainSection,
    Invitee,
    MemberQuestion,
    PersonRef,
    ReportContent,
    UrgentTheme,
)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _person(d: dict[str, Any] | None) -> PersonRef | None:
    if not d:
        return None
    return PersonRef(name=d.get("name") or "", function=d.get("function"), agency=d.get("agency"),
                     email=d.get("email"))


def urgent_themes(value: str | list[dict[str, Any]] | None) -> list[UrgentTheme]:
    """Urgent themes with their life domain; old frozen versions hold free text, which counts as `other`."""
    if isinstance(value, list):
        return [UrgentTheme(text=u.get("text") or "", life_domain=u.get("life_domain") or "other") for u in value]
    lines = [ln.strip(" -•\t") for ln in (value or "").splitlines()]
    return [UrgentTheme(text=ln, life_domain="other") for ln in lines if ln]


def _agreement(a: dict[str, Any]) -> AgreementItem:
    return AgreementItem(id=a.get("id"), description=a.get("description") or "", owner=a.get("owner_name") or "",
                         owner_kind=a.get("owner_kind") or "agency", due_date=_date(a.get("due_date")),
                         status=a.get("status") or "open", informs=a.get("informs"),
                         cancel_reason=a.get("cancel_reason"))


def _confidant(c: dict[str, Any]) -> str:
    return f"{c.get('name') or ''} ({c['relation']})" if c.get("relation") else c.get("name") or ""


def content_from_report_data(d: dict[str, Any], version: int = 1,
                             changes: list[Change] | None = None) -> ReportContent:
    """Typed report content from `w2.meetings.round_table.report_data` (all domains, unfiltered)."""
    prep = d.get("preparation") or {}
    req = d.get("requester") or {}
    requester = req.get("name") or ""
    if req.get("agency"):
        requester += f" ({req['agency']})"
    sections = []
    by_code = {x.get("code"): x for x in d.get("domains") or []}
    for code in LIFE_DOMAINS:
        x = by_code.get(code) or {}
        sections.append(DomainSection(
            domain=code, information=x.get("information"), title=x.get("title"), improved=x.get("improved"),
            agreements=[_agreement(a) for a in x.get("agreements") or []],
            carried=[_agreement(a) for a in x.get("carried") or []]))
    previous = d.get("follow_up_of") or {}
    return ReportContent(
        meeting_id=uuid.UUID(d["meeting_id"]) if d.get("meeting_id") else None,
        workspace_id=uuid.UUID(d["workspace_id"]) if d.get("workspace_id") else None,
        version=version,
        finalized_at=_dt(d.get("finalized_at")),
        held_at=_dt(d.get("starts_at")),
        held_on=_date(d.get("held_on")),
        location=d.get("location"),
        coordinator=_person(d.get("coordinator")),
        pivot=_person(d.get("pivot")),
        jobseeker=PersonRef(name=(d.get("jobseeker") or {}).get("name") or ""),
        partner=d.get("partner_name"),
        children=list(d.get("children_names") or []),
        confidants=[_confidant(c) for c in d.get("confidants") or []],
        invitees=[
            Invitee(name=i.get("name") or "", kind=i.get("kind") or "professional", function=i.get("function"),
                    agency=i.get("service"), agency_id=uuid.UUID(i["agency_id"]) if i.get("agency_id") else None,
                    address=i.get("address"), email=i.get("email"), attendance=i.get("attendance"))
            for i in d.get("invitees") or []
        ],
        requester=requester or None,
        reason=d.get("reason"),
        started_because=d.get("started_because"),
        goal=d.get("goal"),
        wishes_jobseeker=d.get("jobseeker_questions"),
        wishes_professionals=d.get("professional_questions"),
        strengths=d.get("strengths"),
        previous_held_at=_dt(previous.get("starts_at")),
        previous_held_on=_date(previous.get("held_on")),
        prepared_by=(prep.get("prepared_with") or {}).get("name"),
        participation=prep.get("participation"),
        non_participation_reason=prep.get("non_participation_reason"),
        practical_needs=list(prep.get("practical_needs") or []),
        urgent_themes=urgent_themes(d.get("urgent_themes")),
        member_questions=[MemberQuestion(agency=q.get("agency") or "", text=q.get("question") or "",
                                         life_domain=q.get("life_domain") or "other")
                          for q in d.get("member_questions") or [] if q.get("question")],
        domains=sections,
        follow_up_date=_date(d.get("follow_up_date")),
        changes=changes or [],
    )


def _fdate(value: date | None) -> str:
    from babel.dates import format_date

    return format_date(value, "d MMMM y", locale="nl_BE") if value else ""


def diff(old: ReportContent, new: ReportContent) -> list[Change]:
    """What changed from `old` to `new`; domain lines carry their domain so recipients see only theirs."""
    out: list[Change] = []
    if old.follow_up_date != new.follow_up_date:
        out.append(Change(text=t("change.follow_up", date=_fdate(new.follow_up_date)) if new.follow_up_date
                          else t("change.follow_up_removed")))
    for attr, key in (("reason", "report.reason"), ("started_because", "report.started_because"),
                      ("goal", "report.goal"), ("confidants", "report.confidants"), ("location", "report.location"),
                      ("partner", "report.partner"), ("children", "report.children"),
                      ("prepared_by", "report.prepared_by"), ("participation", "report.participation")):
        if getattr(old, attr) != getattr(new, attr):
            out.append(Change(text=t("change.field", field=t(key))))
    before = {(i.name, i.agency): i for i in old.invitees}
    after = {(i.name, i.agency): i for i in new.invitees}
    for k, inv in after.items():
        if k not in before:
            out.append(Change(text=t("change.invitee_added", name=inv.name)))
        elif before[k].attendance != inv.attendance:
            out.append(Change(text=t("change.attendance", name=inv.name)))
    out.extend(Change(text=t("change.invitee_removed", name=inv.name)) for k, inv in before.items() if k not in after)
    was_urgent = {(u.text, u.life_domain) for u in old.urgent_themes}
    now_urgent = {(u.text, u.life_domain) for u in new.urgent_themes}
    for domain in sorted({d for _, d in was_urgent ^ now_urgent}):
        out.append(Change(text=t("change.urgent"), life_domain=domain))
    if (old.strengths, old.wishes_jobseeker, old.wishes_professionals) != (
            new.strengths, new.wishes_jobseeker, new.wishes_professionals):
        out.append(Change(text=t("change.own_words"), life_domain="other"))
    olds = {s.domain: s for s in old.domains}
    for sec in new.domains:
        prev = olds.get(sec.domain) or DomainSection(domain=sec.domain)
        label = t(f"domain.{sec.domain}")
        if (prev.information or "", prev.title, prev.improved) != (sec.information or "", sec.title, sec.improved):
            out.append(Change(text=t("change.information", domain=label), life_domain=sec.domain))
        was = {a.id or a.description: a for a in prev.agreements}
        now = {a.id or a.description: a for a in sec.agreements}
        for k, a in now.items():
            if k not in was:
                out.append(Change(text=t("change.agreement_added", domain=label, text=a.description),
                                  life_domain=sec.domain))
            elif a.status == "cancelled" and was[k].status != "cancelled":
                out.append(Change(text=t("change.agreement_cancelled", domain=label, text=a.description.rstrip("."),
                                         reason=a.cancel_reason or ""), life_domain=sec.domain))
            elif (was[k].description, was[k].owner, was[k].due_date) != (a.description, a.owner, a.due_date):
                out.append(Change(text=t("change.agreement_changed", domain=label, text=a.description),
                                  life_domain=sec.domain))
        out.extend(Change(text=t("change.agreement_removed", domain=label, text=a.description),
                          life_domain=sec.domain) for k, a in was.items() if k not in now)
    return out

"""The printed notice for a job seeker without mail or phone: what was recorded in their name, and how to undo it."""

from __future__ import annotations

from markupsafe import escape
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.models import Consent
from w2.consent.portal_export import render_pdf
from w2.platform.i18n import t
from w2.platform.models import Agency, Jobseeker, User, Workspace


async def notice_pdf(session: AsyncSession, consent: Consent) -> bytes:
    """A one-page PDF in the job seeker's language (B1: short sentences, "je")."""
    ws = await session.get(Workspace, consent.workspace_id)
    js = await session.get(Jobseeker, ws.jobseeker_id) if ws else None
    agency = await session.get(Agency, consent.agency_id)
    recorder = await session.get(User, consent.recorded_by_user_id) if consent.recorded_by_user_id else None
    lang = js.preferred_language if js else "nl"
    domains = ", ".join(t(f"domain.{d}", lang) for d in consent.life_domains)
    lines = [
        t("consent.notice.hello", lang, name=js.given_name if js else ""),
        t("consent.notice.what", lang, recorder=recorder.name if recorder else "-",
          date=consent.granted_at.date().isoformat()),
        t(f"consent.notice.purpose.{consent.purpose}", lang, agency=agency.name if agency else "-"),
        t("consent.notice.domains", lang, domains=domains),
        t("consent.notice.undo", lang),
    ]
    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    title = escape(t("consent.notice.title", lang))
    html = (f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>body{{font-family:sans-serif;font-size:14pt;line-height:1.5}}</style></head>"
            f"<body><h1>{title}</h1>{body}</body></html>")
    return render_pdf(html)

"""Telling the job seeker that a professional recorded a consent in their name (DESIGN rule 9)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.models import Consent, ConsentNotice
from w2.platform import wiring
from w2.platform.models import Jobseeker, Workspace
from w2.platform.outbox import enqueue, enqueue_once
from w2.platform.settings import get_settings


async def announce_consent(session: AsyncSession, consent: Consent) -> ConsentNotice | None:
    """Tell the job seeker on their own channel: mail, else SMS, else a printed notice to hand over.

    Never silent: the chosen way is stored, and a printed notice stays open until the professional
    who recorded the consent confirms handing it over."""
    ws = await session.get(Workspace, consent.workspace_id)
    js = await session.get(Jobseeker, ws.jobseeker_id) if ws else None
    if js is None:
        return None
    params = {"name": js.given_name, "link": f"{get_settings().base_url}/portal"}
    if js.email:
        channel = "email"
        await enqueue(session, key=f"consent-recorded:{consent.id}", kind="consent_recorded", to_address=js.email,
                      language=js.preferred_language, params=params, workspace_id=consent.workspace_id)
    elif js.phone:
        channel = "sms"
        await enqueue_once(session, key=f"consent-recorded:{consent.id}:sms", kind="consent_recorded",
                           channel="sms", to_address=js.phone, language=js.preferred_language, params=params,
                           workspace_id=consent.workspace_id, agency_id=ws.coordinating_agency_id if ws else None)
    else:
        channel = "letter"
    notice = ConsentNotice(consent_id=consent.id, workspace_id=consent.workspace_id, channel=channel)
    session.add(notice)
    for hook in wiring.active().announce_hooks:
        await hook(session, consent, js)
    await session.flush()
    return notice

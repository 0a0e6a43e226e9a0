"""Telling the job seeker that a professional recorded a consent in their name (DESIGN rule 9)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.models import Consent
from w2.platform import wiring
from w2.platform.models import Jobseeker, Workspace
from w2.platform.outbox import enqueue
from w2.platform.settings import get_settings


async def announce_consent(session: AsyncSession, consent: Consent) -> None:
    """Queue a mail (no case content) to the job seeker and run the wired announce hooks (SMS, ...)."""
    ws = await session.get(Workspace, consent.workspace_id)
    js = await session.get(Jobseeker, ws.jobseeker_id) if ws else None
    if js is None:
        return
    if js.email:
        await enqueue(
            session,
            key=f"consent-recorded:{consent.id}",
            kind="consent_recorded",
            to_address=js.email,
            language=js.preferred_language,
            params={"name": js.given_name, "link": f"{get_settings().base_url}/portal"},
            workspace_id=consent.workspace_id,
        )
    for hook in wiring.active().announce_hooks:
        await hook(session, consent, js)

"""Consent beat job: end consents whose end date passed (adds an `expired` revocation)."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from w2.consent.service import expire_due
from w2.platform import runtime
from w2.platform.celery_app import celery_app
from w2.platform.db.scope import SYSTEM_SCOPE

log = logging.getLogger("w2.consent")


async def expire_consents(sm: async_sessionmaker[AsyncSession]) -> int:
    """Expire due consents in one transaction, as the system (no actor)."""
    async with sm() as session:
        session.info["rls"] = dict(SYSTEM_SCOPE)
        async with session.begin():
            ids = await expire_due(session)
    if ids:
        log.info("expired %d consent(s)", len(ids))
    return len(ids)


@celery_app.task(name="w2.consent.expire", ignore_result=True)
def expire() -> int:
    """Beat: run the expiry (idempotent; a consent gets at most one revocation row)."""
    return runtime.run(expire_consents)

"""Consent counts for `/metrics` (no ids, no content: totals only)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.models import Consent, ConsentRevocation
from w2.platform.ops.metrics import Gauge


async def consent_gauges(session: AsyncSession) -> list[Gauge]:
    """Consents recorded by purpose, and ended ones by kind (withdrawn or expired)."""
    granted = Gauge("w2_consents_granted", "Consents recorded, by purpose", ["purpose"],
                    [((p,), float(n)) for p, n in await session.execute(
                        select(Consent.purpose, func.count()).group_by(Consent.purpose))])
    ended = Gauge("w2_consents_ended", "Consents withdrawn or expired", ["kind"],
                  [((k,), float(n)) for k, n in await session.execute(
                      select(ConsentRevocation.kind, func.count()).group_by(ConsentRevocation.kind))])
    return [granted, ended]

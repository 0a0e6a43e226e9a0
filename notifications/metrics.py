"""Reminder counts for `/metrics`."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.notifications.models import ReminderFired
from w2.platform.ops.metrics import Gauge


async def reminder_gauges(session: AsyncSession) -> list[Gauge]:
    """Reminders fired so far, by rule."""
    return [Gauge("w2_reminders_fired", "Reminders fired, by rule", ["rule"],
                  [((r,), float(n)) for r, n in await session.execute(
                      select(ReminderFired.rule, func.count()).group_by(ReminderFired.rule))])]

"""Report rendition figures for `/metrics`."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform.db.base import utcnow
from w2.platform.ops.metrics import Gauge
from w2.reports.models import ReportRendition


async def rendition_gauges(session: AsyncSession) -> list[Gauge]:
    """Renditions by status, and how long the last day's took from request to file."""
    by_status = Gauge("w2_report_renditions", "Report renditions, by status", ["status"],
                      [((s,), float(n)) for s, n in await session.execute(
                          select(ReportRendition.status, func.count()).group_by(ReportRendition.status))])
    since = utcnow() - timedelta(days=1)
    done = [(r - c).total_seconds() for c, r in await session.execute(
        select(ReportRendition.created_at, ReportRendition.rendered_at)
        .where(ReportRendition.rendered_at.is_not(None), ReportRendition.rendered_at >= since))]
    took = Gauge("w2_report_render_seconds_last_day", "Seconds from request to stored PDF over the last day",
                 ["stat"], [(("count",), float(len(done))), (("max",), max(done, default=0.0)),
                            (("mean",), sum(done) / len(done) if done else 0.0)])
    return [by_status, took]

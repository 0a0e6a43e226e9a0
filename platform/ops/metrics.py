"""`/metrics` for Prometheus: request latency from every web process, and gauges each domain reads
from the database at scrape time (wired by the composition root)."""

from __future__ import annotations

import hmac
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from litestar import Request, get
from litestar.exceptions import NotFoundException
from litestar.response import Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform.auth import public
from w2.platform.db.base import utcnow
from w2.platform.outbox import STATUSES, OutboxMessage

REQUEST_SECONDS = Histogram(
    "w2_http_request_duration_seconds", "Time to answer an HTTP request, by route template",
    ["method", "route", "status"], buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))


@dataclass(frozen=True)
class Gauge:
    """One gauge family with its samples: (label values, value)."""

    name: str
    doc: str
    labels: Sequence[str] = ()
    samples: list[tuple[Sequence[str], float]] = field(default_factory=list)


MetricSource = Callable[[AsyncSession], Awaitable[list[Gauge]]]


def request_metrics_middleware(app: Any) -> Any:
    """Time every request under its route template (never the concrete path: ids would explode it)."""

    async def middleware(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] == "/metrics":
            await app(scope, receive, send)
            return
        status = {"code": 500}

        async def send_wrapper(message: Any) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        start = time.perf_counter()
        try:
            await app(scope, receive, send_wrapper)
        finally:
            route = scope.get("path_template") or ("static" if scope["path"].startswith("/static/") else "unmatched")
            REQUEST_SECONDS.labels(scope["method"], route, f"{status['code'] // 100}xx").observe(
                time.perf_counter() - start)

    return middleware


class _Snapshot:
    """A collector that yields gauges already read from the database."""

    def __init__(self, gauges: Iterable[Gauge]) -> None:
        self.gauges = list(gauges)

    def collect(self) -> Iterable[GaugeMetricFamily]:
        for g in self.gauges:
            fam = GaugeMetricFamily(g.name, g.doc, labels=list(g.labels))
            for values, value in g.samples:
                fam.add_metric(list(values), value)
            yield fam


def process_registry() -> CollectorRegistry:
    """This process's metrics, or all web processes' when PROMETHEUS_MULTIPROC_DIR is set."""
    import os

    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # untyped in the library
    return registry


def metrics_handler(sources: Sequence[MetricSource], token: str | None,
                    open_session: Callable[[], Any], pool_status: Callable[[], list[Gauge]]) -> Any:
    """The `/metrics` route: 404 unless a token is configured, 401 without the right bearer token."""

    @get("/metrics", include_in_schema=False, guards=[public])
    async def metrics(request: Request[Any, Any, Any]) -> Response[bytes]:
        if not token:
            raise NotFoundException("niet gevonden")
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            return Response(b"", status_code=401, headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
        gauges: list[Gauge] = list(pool_status())
        async with open_session() as session, session.begin():
            for source in sources:
                gauges.extend(await source(session))
        body = generate_latest(process_registry())
        snap = CollectorRegistry()
        snap.register(_Snapshot(gauges))
        body += generate_latest(snap)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return metrics


async def outbox_gauges(session: AsyncSession) -> list[Gauge]:
    """Outbox depth and the age of its oldest row, by status."""
    from sqlalchemy import func, select

    rows = {r[0]: (r[1], r[2]) for r in await session.execute(
        select(OutboxMessage.status, func.count(), func.min(OutboxMessage.created_at))
        .group_by(OutboxMessage.status))}
    now = utcnow()
    depth = Gauge("w2_outbox_messages", "Outbox messages by status", ["status"])
    age = Gauge("w2_outbox_oldest_age_seconds", "Age of the oldest outbox message, by status", ["status"])
    for status in STATUSES:
        n, oldest = rows.get(status, (0, None))
        depth.samples.append(((status,), float(n)))
        age.samples.append(((status,), (now - oldest).total_seconds() if oldest and status == "pending" else 0.0))
    return [depth, age]


def pool_gauges(engine: Any) -> list[Gauge]:
    """Connections of this web process's pool in use, and its size."""
    pool = engine.sync_engine.pool
    used = float(pool.checkedout()) if hasattr(pool, "checkedout") else 0.0
    size = float(pool.size()) if hasattr(pool, "size") else 0.0
    return [Gauge("w2_db_pool_connections", "Database connections of this web process", ["state"],
                  [(("in_use",), used), (("size",), size)])]

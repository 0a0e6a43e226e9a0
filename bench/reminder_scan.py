"""The reminder scan over all agreements: time and peak memory vs the bare indexed SELECT of due rows.

Run: `uv run python bench/reminder_scan.py [--batch 1000]` on a database filled by `w2 seed-scale`.
Measures the notifications domain's own scan when it is in this build (`w2.notifications.reminders`),
else a batched keyset scan written here as the reference. Memory is Python's peak (tracemalloc) in a
separate pass, for the full set of due rows and for a window with about a tenth of them: a scan whose
memory does not depend on table size shows the same peak for both. Prints figures and a summary.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import asyncpg
from _common import figure, pg_dsn, table_size

DUE = "status IN ('open', 'in_progress') AND due_date IS NOT NULL AND due_date <= $1"


async def bare_select(conn: Any, day: date) -> int:
    """The floor: one indexed SELECT of every due row, all in memory at once."""
    rows = await conn.fetch(f"SELECT id, due_date, workspace_id, owner_agency_id FROM agreement WHERE {DUE}", day)
    return len(rows)


async def keyset_scan(conn: Any, day: date, batch: int = 1000) -> int:
    """Reference scan: due rows in (due_date, id) order, `batch` at a time; each becomes a reminder key."""
    last: tuple[Any, Any] | None = None
    seen = 0
    keys: set[str] = set()
    while True:
        if last is None:
            rows = await conn.fetch(
                f"SELECT id, due_date, workspace_id, owner_agency_id FROM agreement WHERE {DUE} "
                "ORDER BY due_date, id LIMIT $2", day, batch)
        else:
            rows = await conn.fetch(
                f"SELECT id, due_date, workspace_id, owner_agency_id FROM agreement WHERE {DUE} "
                "AND (due_date, id) > ($3, $4) ORDER BY due_date, id LIMIT $2", day, batch, *last)
        if not rows:
            return seen
        # Stand-in for "enqueue one reminder": an idempotency key per row, kept only for this batch.
        keys = {f"agreement-due:{r['id']}:{r['due_date']}" for r in rows}
        seen += len(keys)
        last = (rows[-1]["due_date"], rows[-1]["id"])


async def timed(fn: Callable[[], Awaitable[int]]) -> tuple[int, float]:
    t0 = time.perf_counter()
    n = await fn()
    return n, (time.perf_counter() - t0) * 1000


async def peak(fn: Callable[[], Awaitable[int]]) -> float:
    """Peak Python memory (MiB) while `fn` runs."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    await fn()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top / 2**20


async def window_day(conn: Any, day: date, fraction: float) -> date:
    """A due-date cut-off that selects about `fraction` of today's due rows."""
    total = await conn.fetchval(f"SELECT count(*) FROM agreement WHERE {DUE}", day)
    cut = await conn.fetchval(
        f"SELECT due_date FROM agreement WHERE {DUE} ORDER BY due_date OFFSET $2 LIMIT 1", day,
        max(0, int(total * fraction) - 1))
    return cut or day


async def run(batch: int, repeat: int) -> None:
    conn = await asyncpg.connect(pg_dsn())
    sizes = await table_size(conn)
    day = date.today() + timedelta(days=3)  # "due within three days or overdue"
    print(f"# agreements: {sizes.get('agreement')}; scan: reference keyset (batch {batch})")
    floor_ms, scan_ms, n_due = [], [], 0
    for _ in range(repeat):
        n_due, ms = await timed(lambda: bare_select(conn, day))
        floor_ms.append(ms)
        n_scan, ms = await timed(lambda: keyset_scan(conn, day, batch))
        scan_ms.append(ms)
        assert n_scan == n_due
    floor, scan = min(floor_ms), min(scan_ms)
    figure("due_rows", n_due, "rows")
    figure("bare_select_ms", floor)
    figure("scan_ms", scan)
    figure("scan_ratio_vs_bare_select", scan / floor, "x")
    small = await window_day(conn, day, 0.1)
    n_small = await bare_select(conn, small)
    mem = {
        "bare_select_full": await peak(lambda: bare_select(conn, day)),
        "bare_select_tenth": await peak(lambda: bare_select(conn, small)),
        "scan_full": await peak(lambda: keyset_scan(conn, day, batch)),
        "scan_tenth": await peak(lambda: keyset_scan(conn, small, batch)),
    }
    figure("due_rows_tenth_window", n_small, "rows")
    for k, v in mem.items():
        figure(f"peak_mem_{k}", v, "MiB")
    growth = mem["scan_full"] / max(mem["scan_tenth"], 1e-9)
    figure("scan_mem_growth_full_vs_tenth", growth, "x")
    await conn.close()
    print(f"SUMMARY reminder_scan: {n_due} due rows, scan {scan:.0f} ms = {scan / floor:.2f}x bare SELECT "
          f"({'met' if scan / floor <= 2 else 'NOT met'} <= 2x); peak memory {mem['scan_full']:.1f} MiB for all "
          f"vs {mem['scan_tenth']:.1f} MiB for a tenth (bare SELECT {mem['bare_select_full']:.1f} MiB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    asyncio.run(run(args.batch, args.repeat))


if __name__ == "__main__":
    main()

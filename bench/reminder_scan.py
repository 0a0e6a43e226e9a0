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
import statistics
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
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


def real_scan_available() -> bool:
    """True when the notifications domain's reminder scan is in this build."""
    try:
        import w2.notifications.reminders  # noqa: F401
    except ImportError:
        return False
    return True


async def real_scan(day: date, explain: Any, rounds: int = 7) -> dict[str, float] | None:
    """The notifications domain's own scan (agreement rules) in steady state: earlier days already fired.

    Writes reminder_fired, outbox and inbox rows: run it once per fresh seed.
    """
    import resource

    from _common import database_url
    from sqlalchemy import func, insert, literal, select

    from w2.notifications import reminders as rem
    from w2.notifications import scan
    from w2.notifications.models import ReminderFired
    from w2.platform.db.base import utcnow
    from w2.platform.db.engine import make_engine, make_sessionmaker

    engine = make_engine(database_url())
    sm = make_sessionmaker(engine)
    rules = [r for r in rem.RULES if r.name.startswith("agreement")]
    try:
        async with sm() as s, s.begin():
            if await s.scalar(select(func.count()).select_from(ReminderFired)):
                print("# reminder_fired is not empty: the real scan was measured before on this seed; skipped")
                return None
            prepared = 0
            for rule in rules:  # yesterday's run fired everything due then
                q = rule.query(day - timedelta(days=1)).subquery()
                res = await s.execute(insert(ReminderFired).from_select(
                    ["rule", "subject_id", "occurrence", "fired_at"],
                    select(literal(rule.name), q.c.id, q.c.due_date, literal(utcnow()))))
                prepared += res.rowcount or 0
        async with sm() as s:  # as autovacuum would have by now: the planner must know the ledger's size
            await (await s.connection()).exec_driver_sql("ANALYZE reminder_fired")
        figure("real_already_fired_rows", prepared, "rows")
        windowed = [r for r in rules if getattr(r, "window", None) is not None]
        from w2.notifications.agreement_scan import mark_scanned

        if windowed:  # ... and remembered how far it scanned, yesterday
            for rule in windowed:
                await mark_scanned(sm, rule.name, rule.window(day - timedelta(days=1))[1],
                                   utcnow() - timedelta(days=1))
        async def bare() -> tuple[float, int]:
            n, t0 = 0, time.perf_counter()
            async with sm() as s:
                for rule in rules:
                    n += len((await s.execute(_floor_query(rule, day))).all())
            return (time.perf_counter() - t0) * 1000, n

        async with sm() as s:
            if explain is not None:
                conn = await s.connection()
                for rule in rules:
                    for label, stmt in _first_batches(rule, day):
                        plan = await conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + str(stmt.compile(
                            dialect=engine.dialect, compile_kwargs={"literal_binds": True})))
                        explain.append(f"-- reminder rule {rule.name}, first batch{label}\n"
                                       + "\n".join(r[0] for r in plan))
        read_ms = None
        bare_runs, read_runs, due = [], [], 0
        for _ in range(rounds):
            ms, due = await bare()
            bare_runs.append(ms)
            if windowed and len(windowed) == len(rules):
                # The pass's reading alone: the same windows and batches, nothing fired or written, so the
                # scan is set against its floor without the cost of composing each reminder. Then back to
                # yesterday's marks, so the next round and the full pass below start from the same state.
                from w2.notifications.agreement_scan import run_windowed

                async def look(session: Any, row: Any) -> bool:
                    return False

                t0 = time.perf_counter()
                for rule in windowed:
                    await run_windowed(sm, rule.name, rule.query, rule.window, day, scan.BATCH, look)
                read_runs.append((time.perf_counter() - t0) * 1000)
                for rule in windowed:
                    await mark_scanned(sm, rule.name, rule.window(day - timedelta(days=1))[1],
                                       utcnow() - timedelta(days=1))
        # One pass and one SELECT each move by tens of percent with the machine; rounds interleave them.
        bare_ms = statistics.median(bare_runs)
        if read_runs:
            read_ms = statistics.median(read_runs)
            figure("real_read_pass_rounds", len(read_runs), "count")
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        fired = sum([await scan.run_rule(sm, rule, day) for rule in rules])
        scan_ms = (time.perf_counter() - t0) * 1000
        rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024
    finally:
        await engine.dispose()
    figure("real_due_rows_today", due, "rows")
    figure("real_fired_today", fired, "rows")
    figure("real_bare_select_ms", bare_ms)
    figure("real_scan_ms", scan_ms)
    figure("real_scan_ratio_vs_bare_select", scan_ms / max(bare_ms, 1e-9), "x")
    figure("real_scan_peak_rss_growth", rss_growth, "MiB")
    out = {"ratio": scan_ms / max(bare_ms, 1e-9), "scan_ms": scan_ms, "due": due, "fired": fired}
    if read_ms is not None:
        figure("real_read_pass_ms", read_ms)
        figure("real_read_pass_ratio_vs_bare_select", read_ms / max(bare_ms, 1e-9), "x")
        if fired:
            figure("real_compose_ms_per_reminder", (scan_ms - read_ms) / fired)
        out.update(read_ms=read_ms, read_ratio=read_ms / max(bare_ms, 1e-9))
    return out


def _first_batches(rule: Any, day: date) -> list[tuple[str, Any]]:
    """The first batch the pass reads, per part of a windowed rule (yesterday's marks), else of the rule."""
    from w2.notifications import scan

    if getattr(rule, "window", None) is None:
        return [("", rule.query(day).limit(scan.BATCH))]
    from w2.notifications.agreement_scan import batch_query, parts
    from w2.notifications.models import ReminderScan
    from w2.platform.db.base import utcnow

    prev = ReminderScan(rule=rule.name, through=rule.window(day - timedelta(days=1))[1],
                        scanned_at=utcnow() - timedelta(days=1))
    return [(f", part {i + 1} ({key.key} order)", batch_query(rule.query(day), conds, key, None, scan.BATCH))
            for i, (conds, key) in enumerate(parts(rule.window(day), prev))]


def _floor_query(rule: Any, day: date) -> Any:
    """A bare indexed SELECT of what the pass returns: for a windowed rule, the due dates new since
    yesterday's pass plus the open rows changed since then, without the not-fired check."""
    from sqlalchemy import or_, select

    from w2.meetings.agreements.models import Agreement
    from w2.notifications.agreement_scan import MARGIN, OPEN
    from w2.platform.db.base import utcnow

    if getattr(rule, "window", None) is None:
        return rule.query(day)
    lo, hi = rule.window(day)
    start = rule.window(day - timedelta(days=1))[1] + timedelta(days=1)
    changed = Agreement.updated_at >= utcnow() - timedelta(days=1) - MARGIN
    in_range = [Agreement.due_date <= hi] + ([Agreement.due_date >= lo] if lo else [])
    return select(Agreement.id, Agreement.due_date).where(
        OPEN, *in_range, or_(Agreement.due_date >= max(start, lo or start), changed))


async def run(batch: int, repeat: int, explain_path: Any = None) -> None:
    conn = await asyncpg.connect(pg_dsn())
    sizes = await table_size(conn)
    day = date.today() + timedelta(days=3)  # "due within three days or overdue"
    print(f"# agreements: {sizes.get('agreement')}; reference keyset scan (batch {batch}); "
          f"notifications scan: {'yes' if real_scan_available() else 'not in this build'}")
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
    plans: list[str] = []
    real = await real_scan(date.today(), plans) if real_scan_available() else None
    if explain_path:
        explain_path.write_text("\n\n".join(plans))
    if real:
        text = (f"SUMMARY reminder_scan (notifications scan, steady state): {real['due']:.0f} rows due today; ")
        if "read_ms" in real:
            text += (f"its reading {real['read_ms']:.0f} ms = {real['read_ratio']:.2f}x the bare SELECT "
                     f"({'met' if real['read_ratio'] <= 2 else 'NOT met'} <= 2x); ")
        print(text + f"the whole pass, composing {real['fired']:.0f} reminders, {real['scan_ms']:.0f} ms = "
              f"{real['ratio']:.2f}x")
    print(f"SUMMARY reminder_scan (reference keyset): {n_due} due rows, scan {scan:.0f} ms = {scan / floor:.2f}x bare SELECT "
          f"({'met' if scan / floor <= 2 else 'NOT met'} <= 2x); peak memory {mem['scan_full']:.1f} MiB for all "
          f"vs {mem['scan_tenth']:.1f} MiB for a tenth (bare SELECT {mem['bare_select_full']:.1f} MiB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--explain", type=Path, default=None, help="write the scan's query plan here")
    args = ap.parse_args()
    asyncio.run(run(args.batch, args.repeat, args.explain))


if __name__ == "__main__":
    main()

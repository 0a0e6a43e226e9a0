"""The cost of consent: the partner-list SQL with the policy applied vs the same SQL without it.

Run: `uv run python bench/consent_cost.py [--runs 500] [--explain plans.txt]` on a database filled by
`w2 seed-scale`. Raw asyncpg, interleaved rounds, for the busiest and the median agency. `served_*` is the
one statement the endpoint sends (page, capped count and notes); `page_*` / `count_*` are the first run's
separate statements. The floor is the same SQL with the consent condition replaced by `true`, as the owner. With --explain
the EXPLAIN (ANALYZE, BUFFERS) plans are written to the file. Prints one figure per line and a summary.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

import asyncpg
from _common import figure, p50_p95, pg_dsn, pick_subject, time_calls
from _queries import actor_for, consent_cost_sql, replay, rls_connection


async def measure(conn: Any, which: str, runs: int, rounds: int, plans: list[str],
                  budget: float, min_samples: int = 20) -> dict[str, float]:
    subject = await pick_subject(conn, which)
    print(f"# {which} agency: {subject.agency_name}, owns {subject.owned} agreements")
    actor = actor_for(subject.agency_id, subject.user_id)
    sql = await consent_cost_sql(actor)
    # As the app role, row-level security adds its own consent check to every variant.
    rls = await rls_connection(actor)
    runs_on = {name: conn for name in sql}
    if rls:
        for part in ("count", "page", "served"):
            sql[f"{part}_policy_rls"] = sql[f"{part}_policy"]
            sql[f"{part}_rls_only"] = sql[f"{part}_no_policy"]
            runs_on[f"{part}_policy_rls"] = runs_on[f"{part}_rls_only"] = rls
    times: dict[str, list[float]] = {k: [] for k in sql}
    per = max(1, runs // rounds)
    for r in range(rounds):
        for name, stmts in sql.items():
            times[name] += await time_calls(lambda s=stmts, c=runs_on[name]: replay(c, s), per, 10 if r == 0 else 2,
                                            budget / rounds, max(1, min_samples // rounds))
    p50: dict[str, float] = {}
    for name, values in times.items():
        a, b = p50_p95(values)
        p50[name] = a
        figure(f"{which}_{name}_p50", a)
        figure(f"{which}_{name}_p95", b)
        figure(f"{which}_{name}_samples", len(values), "count")
    for part in ("page", "count"):
        figure(f"{which}_{part}_ratio_policy_vs_none", p50[f"{part}_policy"] / p50[f"{part}_no_policy"], "x")
    floor = p50["page_no_policy"] + p50["count_no_policy"]
    both = (p50["page_policy"] + p50["count_policy"]) / floor
    figure(f"{which}_request_ratio_policy_vs_none", both, "x")
    if rls:
        figure(f"{which}_request_ratio_policy_and_rls_vs_none",
               (p50["page_policy_rls"] + p50["count_policy_rls"]) / floor, "x")
        figure(f"{which}_request_ratio_rls_only_vs_none", (p50["page_rls_only"] + p50["count_rls_only"]) / floor, "x")
    # The statement the endpoint sends (page + capped count + notes in one), against itself without consent.
    served_floor = p50["served_no_policy"]
    figure(f"{which}_served_ratio_policy_vs_none", p50["served_policy"] / served_floor, "x")
    if rls:
        figure(f"{which}_served_ratio_policy_and_rls_vs_none", p50["served_policy_rls"] / served_floor, "x")
        figure(f"{which}_served_ratio_rls_only_vs_none", p50["served_rls_only"] / served_floor, "x")
    for name, stmts in sql.items():
        for stmt, params in stmts:
            rows = await runs_on[name].fetch("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + stmt, *params)
            plans.append(f"-- {which} agency, {name}\n" + "\n".join(r[0] for r in rows) + "\n")
    served = p50["served_policy_rls" if rls else "served_policy"] / served_floor
    if rls:
        await rls.close()
    return {"ratio": both, "served": served, "page": p50["page_policy"] / p50["page_no_policy"],
            "count": p50["count_policy"] / p50["count_no_policy"],
            "served_policy": p50["served_policy"] / served_floor}


async def run(runs: int, rounds: int, explain: Path | None, budget: float, min_samples: int) -> None:
    conn = await asyncpg.connect(pg_dsn())
    plans: list[str] = []
    out = {w: await measure(conn, w, runs, rounds, plans, budget, min_samples) for w in ("busiest", "median")}
    await conn.close()
    if explain:
        explain.write_text("\n".join(plans))
    b, m = out["busiest"], out["median"]
    met = max(b["served"], m["served"]) <= 1.2
    print(f"SUMMARY consent_cost: the served statement (page + capped count + notes), policy + row-level security "
          f"vs no consent filter: busiest {b['served']:.2f}x, median {m['served']:.2f}x (target <= 1.2x "
          f"{'met' if met else 'NOT met'}); explicit policy alone busiest {b['served_policy']:.2f}x, median "
          f"{m['served_policy']:.2f}x; as separate page + count statements (first run's shape), policy alone "
          f"busiest {b['ratio']:.2f}x (page {b['page']:.2f}x, count {b['count']:.2f}x), median {m['ratio']:.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--explain", type=Path, default=None)
    ap.add_argument("--budget", type=float, default=15, help="seconds per variant; slow ones stop early")
    ap.add_argument("--min-samples", type=int, default=20, help="samples a slow variant gets at least")
    args = ap.parse_args()
    asyncio.run(run(args.runs, args.rounds, args.explain, args.budget, args.min_samples))


if __name__ == "__main__":
    main()

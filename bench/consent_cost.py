"""The cost of consent: the partner-list SQL with the policy applied vs the same SQL without it.

Run: `uv run python bench/consent_cost.py [--runs 500] [--explain plans.txt]` on a database filled by
`w2 seed-scale`. Raw asyncpg, interleaved rounds, for the busiest and the median agency. With --explain
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

# A prototype of the proposed next step: active information-sharing access compiled into one narrow
# table (maintained on grant, revoke, expiry and membership change), so the policy is one probe per row
# and can run as a hash semi-join. Built here as a temporary table; nothing in the database changes.
PROTOTYPE_SETUP = """
CREATE TEMP TABLE consent_access AS
SELECT DISTINCT g.agency_id, g.workspace_id, g.life_domain, g.valid_until
FROM consent_grant g
JOIN membership m ON m.workspace_id = g.workspace_id AND m.agency_id = g.agency_id
WHERE g.purpose = 'information_sharing'
  AND NOT EXISTS (SELECT 1 FROM consent_revocation r WHERE r.consent_id = g.consent_id);
CREATE INDEX ON consent_access (agency_id, workspace_id, life_domain) INCLUDE (valid_until);
ANALYZE consent_access;
"""
PROTOTYPE_WHERE = """agreement.owner_agency_id = $1 AND EXISTS (SELECT 1 FROM consent_access c
  WHERE c.agency_id = $1 AND c.workspace_id = agreement.workspace_id AND c.life_domain = agreement.life_domain
    AND (c.valid_until IS NULL OR c.valid_until >= $2))"""


# The same rule as roles.w2_can_read_domain, written into the policy instead of called as a function:
# PostgreSQL does not inline that function (its body has sub-selects), so it runs once per row;
# inlined, the sub-selects become (hashed) subplans planned with the query.
INLINE_POLICY = """CASE NULLIF(current_setting('w2.actor_kind', true), '')
    WHEN 'system' THEN true
    WHEN 'jobseeker' THEN workspace_id = NULLIF(current_setting('w2.workspace_id', true), '')::uuid
    WHEN 'staff' THEN coalesce(NULLIF(current_setting('w2.platform_admin', true), ''), '0') <> '1'
      AND EXISTS (SELECT 1 FROM membership m WHERE m.workspace_id = agreement.workspace_id
                  AND m.agency_id = NULLIF(current_setting('w2.agency_id', true), '')::uuid)
      AND EXISTS (SELECT 1 FROM consent_grant g
                  WHERE g.workspace_id = agreement.workspace_id
                    AND g.agency_id = NULLIF(current_setting('w2.agency_id', true), '')::uuid
                    AND g.purpose = 'information_sharing' AND g.life_domain = agreement.life_domain
                    AND (g.valid_until IS NULL OR g.valid_until >= w2_today())
                    AND NOT EXISTS (SELECT 1 FROM consent_revocation r WHERE r.consent_id = g.consent_id))
    ELSE false END"""


async def inline_rls_phase(conn: Any, actor: Any, sql: dict[str, Any], runs: int, budget: float,
                           plans: list[str], which: str, min_samples: int) -> dict[str, float]:
    """Policy SQL and bare SQL as the app role with the RLS policy inlined, inside a rolled-back transaction
    (the swap holds a lock on agreement, so this runs after the interleaved rounds)."""
    from _common import app_database_url
    from sqlalchemy.engine import make_url

    from w2.platform.api_kit import rls_scope

    role = make_url(app_database_url()).username
    p50: dict[str, float] = {}
    tr = conn.transaction()
    await tr.start()
    try:
        await conn.execute("DROP POLICY IF EXISTS w2_case_content ON agreement")
        await conn.execute(f"CREATE POLICY w2_case_content ON agreement USING ({INLINE_POLICY})")
        await conn.execute(f'SET LOCAL ROLE "{role}"')
        for key, value in rls_scope(actor).items():
            await conn.execute("SELECT set_config($1, $2, true)", f"w2.{key}", str(value))
        for part in ("count", "page"):
            for variant, base in ((f"{part}_policy_rls_inline", f"{part}_policy"),
                                  (f"{part}_rls_inline_only", f"{part}_no_policy")):
                values = await time_calls(lambda s=sql[base]: replay(conn, s), runs, 5, budget, min_samples)
                a, b = p50_p95(values)
                p50[variant] = a
                figure(f"{which}_{variant}_p50", a)
                figure(f"{which}_{variant}_p95", b)
                figure(f"{which}_{variant}_samples", len(values), "count")
                stmt, params = sql[base][0]
                rows = await conn.fetch("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + stmt, *params)
                plans.append(f"-- {which} agency, {variant}\n" + "\n".join(r[0] for r in rows) + "\n")
    finally:
        await tr.rollback()
    return p50


def prototype_sql(agency_id: Any) -> dict[str, list[tuple[str, tuple[Any, ...]]]]:
    from w2.consent.policy import today

    order = "ORDER BY agreement.due_date IS NULL, agreement.due_date, agreement.created_at, agreement.id LIMIT 50"
    return {
        "count_prototype": [(f"SELECT count(*) FROM agreement WHERE {PROTOTYPE_WHERE}", (agency_id, today()))],
        "page_prototype": [(f"SELECT * FROM agreement WHERE {PROTOTYPE_WHERE} {order}", (agency_id, today()))],
    }


async def measure(conn: Any, which: str, runs: int, rounds: int, plans: list[str],
                  prototype: bool, budget: float, min_samples: int = 20) -> dict[str, float]:
    subject = await pick_subject(conn, which)
    print(f"# {which} agency: {subject.agency_name}, owns {subject.owned} agreements")
    actor = actor_for(subject.agency_id, subject.user_id)
    sql = await consent_cost_sql(actor)
    if prototype:
        sql.update(prototype_sql(subject.agency_id))
    # As the app role, row-level security adds its own consent check to every variant.
    rls = await rls_connection(actor)
    runs_on = {name: conn for name in sql}
    if rls:
        for part in ("count", "page"):
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
    if prototype:
        figure(f"{which}_request_ratio_prototype_vs_none", (p50["page_prototype"] + p50["count_prototype"]) / floor,
               "x")
    if rls:
        figure(f"{which}_request_ratio_policy_and_rls_vs_none",
               (p50["page_policy_rls"] + p50["count_policy_rls"]) / floor, "x")
        figure(f"{which}_request_ratio_rls_only_vs_none", (p50["page_rls_only"] + p50["count_rls_only"]) / floor, "x")
    for name, stmts in sql.items():
        for stmt, params in stmts:
            rows = await runs_on[name].fetch("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + stmt, *params)
            plans.append(f"-- {which} agency, {name}\n" + "\n".join(r[0] for r in rows) + "\n")
    if rls:
        await rls.close()
        inline = await inline_rls_phase(conn, actor, sql, runs, budget, plans, which, min_samples)
        figure(f"{which}_request_ratio_policy_and_inline_rls_vs_none",
               (inline["page_policy_rls_inline"] + inline["count_policy_rls_inline"]) / floor, "x")
    return {"ratio": both, "page": p50["page_policy"] / p50["page_no_policy"],
            "count": p50["count_policy"] / p50["count_no_policy"]}


async def run(runs: int, rounds: int, explain: Path | None, prototype: bool, budget: float,
              min_samples: int) -> None:
    conn = await asyncpg.connect(pg_dsn())
    if prototype:
        await conn.execute(PROTOTYPE_SETUP)
    plans: list[str] = []
    out = {w: await measure(conn, w, runs, rounds, plans, prototype, budget, min_samples) for w in ("busiest", "median")}
    await conn.close()
    if explain:
        explain.write_text("\n".join(plans))
    b = out["busiest"]
    print(f"SUMMARY consent_cost: busiest agency policy/no-policy = {b['ratio']:.2f}x per request "
          f"(page {b['page']:.2f}x, count {b['count']:.2f}x), median agency {out['median']['ratio']:.2f}x; "
          f"target <= 1.2x {'met' if b['ratio'] <= 1.2 else 'NOT met'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--explain", type=Path, default=None)
    ap.add_argument("--no-prototype", action="store_true", help="skip the compiled-access prototype")
    ap.add_argument("--budget", type=float, default=15, help="seconds per variant; slow ones stop early")
    ap.add_argument("--min-samples", type=int, default=20, help="samples a slow variant gets at least")
    args = ap.parse_args()
    asyncio.run(run(args.runs, args.rounds, args.explain, not args.no_prototype, args.budget, args.min_samples))


if __name__ == "__main__":
    main()

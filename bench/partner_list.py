"""Partner list and a workspace's agreements: endpoint latency next to its raw SQL and an empty route.

Run: `uv run python bench/partner_list.py [--requests 500]` against a database filled by `w2 seed-scale`
(W2_BENCH_DATABASE_URL or W2_DATABASE_URL). Rounds interleave the four measurements so that noise from
other processes hits them alike. Prints one figure per line and a summary line; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json

import asyncpg
from _common import HttpConn, figure, p50_p95, pg_dsn, pick_subject, server, table_size, time_calls, token_for
from _queries import actor_for, partner_list_sql, replay, rls_connection, service_available, workspace_sql


async def measure(requests: int, rounds: int, budget: float, min_samples: int) -> dict[str, list[float]]:
    conn = await asyncpg.connect(pg_dsn())
    subject = await pick_subject(conn)
    sizes = await table_size(conn)
    print(f"# tables: {json.dumps(sizes)}")
    print(f"# agency: {subject.agency_name} owns {subject.owned} agreements in {subject.workspaces} workspaces; "
          f"readable in the chosen workspace: {subject.agreements}; service code: {'yes' if service_available() else 'reference'}")
    actor = actor_for(subject.agency_id, subject.user_id)
    partner_sql = await partner_list_sql(actor)
    ws_sql = await workspace_sql(actor, subject.workspace_id)
    token = await token_for(subject.email)
    rls = await rls_connection(actor)
    print(f"# app role: {'row-level security on (raw_*_rls = the same SQL as the app role)' if rls else 'owner'}")
    partner_path = "/api/v1/agreements?owner=my_agency"
    ws_path = f"/api/v1/workspaces/{subject.workspace_id}/agreements"
    names = ["endpoint_partner", "raw_partner", "endpoint_workspace", "raw_workspace", "empty_route"]
    if rls:
        names += ["raw_partner_rls", "raw_workspace_rls"]
    results: dict[str, list[float]] = {k: [] for k in names}
    per_round = max(1, requests // rounds)
    with server("w2.platform.boot.app:app_from_env") as w2_port, server("floor_app:app", factory=False, ready_path="/empty") as floor_port:
        api = HttpConn(w2_port, {"Authorization": f"Bearer {token}"})
        floor = HttpConn(floor_port)
        for label, path in (("partner list first page", partner_path), ("workspace list", ws_path)):
            status, body = await api.get(path)
            if status != 200:
                raise SystemExit(f"{path} answered {status}: {body[:300]!r}")
            data = json.loads(body)
            print(f"# {label}: {len(data.get('items', []))} items, total {data.get('total', '-')}")

        async def ep_partner() -> None:
            await api.get(partner_path)

        async def ep_ws() -> None:
            await api.get(ws_path)

        async def raw_partner() -> None:
            await replay(conn, partner_sql)

        async def raw_ws() -> None:
            await replay(conn, ws_sql)

        async def empty() -> None:
            await floor.get("/empty")

        async def raw_partner_rls() -> None:
            await replay(rls, partner_sql)

        async def raw_ws_rls() -> None:
            await replay(rls, ws_sql)

        fns = {"endpoint_partner": ep_partner, "raw_partner": raw_partner, "endpoint_workspace": ep_ws,
               "raw_workspace": raw_ws, "empty_route": empty}
        if rls:
            fns.update(raw_partner_rls=raw_partner_rls, raw_workspace_rls=raw_ws_rls)
        for r in range(rounds):
            for name, fn in fns.items():
                results[name] += await time_calls(fn, per_round, 20 if r == 0 else 3, budget / rounds,
                                                  max(1, min_samples // rounds))
        await api.close()
        await floor.close()
    await conn.close()
    if rls:
        await rls.close()
    return results


def report(results: dict[str, list[float]]) -> None:
    p50 = {}
    for name, values in results.items():
        a, b = p50_p95(values)
        p50[name] = a
        figure(f"{name}_p50", a)
        figure(f"{name}_p95", b)
    summary = []
    for kind in ("partner", "workspace"):
        floor = p50[f"raw_{kind}"] + p50["empty_route"]
        ratio = p50[f"endpoint_{kind}"] / floor
        target = 1.5 if kind == "partner" else 3.0  # issue 14: the partner list 1.5x, a workspace's list 3x
        figure(f"{kind}_ratio_endpoint_vs_raw_plus_empty", ratio, "x")
        text = (f"{kind} {p50[f'endpoint_{kind}']:.2f} ms = {ratio:.2f}x floor "
                f"({'met' if ratio <= target else 'NOT met'} <= {target:g}x)")
        if f"raw_{kind}_rls" in p50:
            rls_ratio = p50[f"endpoint_{kind}"] / (p50[f"raw_{kind}_rls"] + p50["empty_route"])
            figure(f"{kind}_ratio_endpoint_vs_raw_rls_plus_empty", rls_ratio, "x")
            text += f", {rls_ratio:.2f}x with the SQL under row-level security"
        summary.append(text)
    for name, values in results.items():
        figure(f"{name}_samples", len(values), "count")
    n = min(len(v) for v in results.values())
    print(f"SUMMARY partner_list n>={n}: " + "; ".join(summary))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--requests", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--budget", type=float, default=60, help="seconds per variant; slow ones stop early")
    ap.add_argument("--min-samples", type=int, default=20, help="samples a slow variant gets at least")
    args = ap.parse_args()
    report(asyncio.run(measure(args.requests, args.rounds, args.budget, args.min_samples)))


if __name__ == "__main__":
    main()

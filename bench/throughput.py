"""API throughput under concurrency: 32 keep-alive clients against uvicorn with 1, 2 and 4 workers.

Run: `uv run python bench/throughput.py [--clients 32] [--seconds 15] [--workers 1,2,4]` on a database
filled by `w2 seed-scale`. Each client is a user of a different agency reading its partner list (or,
with --path-kind workspace, one of its workspaces); `--agencies 1` makes every client a user of the
busiest agency. The load generator runs on the same 2-core machine,
so it competes with the server for CPU: the figures are a floor for the server, not a ceiling.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter
from typing import Any

import asyncpg
from _common import HttpConn, figure, p50_p95, pg_dsn, server, token_for

PATHS = {"partner": "/api/v1/agreements?owner=my_agency", "workspace": "/api/v1/workspaces/{ws}/agreements",
         "me": "/api/v1/me", "workspace_identity": "/api/v1/workspaces/{ws}"}


async def subjects(conn: Any, n: int) -> list[tuple[str, str]]:
    """(email, workspace id) for users of the `n` agencies owning most agreements."""
    rows = await conn.fetch(
        """WITH busy AS (SELECT owner_agency_id AS id, count(*) AS c FROM agreement
                         WHERE owner_agency_id IS NOT NULL GROUP BY 1 ORDER BY c DESC LIMIT $1)
           SELECT (SELECT email FROM app_user u WHERE u.agency_id = busy.id ORDER BY email LIMIT 1) AS email,
                  (SELECT workspace_id FROM membership m WHERE m.agency_id = busy.id LIMIT 1) AS ws
           FROM busy""", n)
    return [(r["email"], str(r["ws"])) for r in rows]


async def load(port: int, clients: list[tuple[str, str]], seconds: float) -> tuple[int, Counter[str], list[float]]:
    """Run every client in a loop for `seconds`; returns (ok, error kinds, latencies of successes in ms)."""
    stop = time.monotonic() + seconds
    lat: list[float] = []
    ok = 0
    errors: Counter[str] = Counter()

    async def one(token: str, path: str) -> None:
        nonlocal ok
        c = HttpConn(port, {"Authorization": f"Bearer {token}"})
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            try:
                status, _ = await c.get(path)
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
                errors[type(exc).__name__] += 1
                await c.close()
                c = HttpConn(port, {"Authorization": f"Bearer {token}"})
                await asyncio.sleep(0.05)
                continue
            if status == 200:
                ok += 1
                lat.append((time.perf_counter() - t0) * 1000)
            else:
                errors[f"HTTP {status}"] += 1
                await asyncio.sleep(0.05)  # an error page is cheap: do not let it flood the count
        await c.close()

    await asyncio.gather(*(one(tok, path) for tok, path in clients))
    return ok, errors, lat


async def run(n_clients: int, seconds: float, workers: list[int], kind: str, agencies: int | None = None) -> None:
    conn = await asyncpg.connect(pg_dsn())
    subs = await subjects(conn, agencies or n_clients)
    await conn.close()
    clients = []
    for i in range(n_clients):
        email, ws = subs[i % len(subs)]
        path = PATHS[kind].format(ws=ws)
        clients.append((await token_for(email), path))
    print(f"# {n_clients} clients over {len(subs)} agencies, {seconds:.0f} s per setting, endpoint: {kind}")
    best = (0.0, 0)
    for w in workers:
        with server("w2.platform.boot.app:app_from_env", workers=w) as port:
            await load(port, clients, 3)  # warm every worker's pool and caches
            ok, errors, lat = await load(port, clients, seconds)
        err = sum(errors.values())
        if errors:
            print(f"# workers {w}: errors {dict(errors.most_common(4))}")
        rps = ok / seconds
        p50, p95 = p50_p95(lat) if lat else (0.0, 0.0)
        figure(f"workers_{w}_requests_per_s", rps, "req/s")
        figure(f"workers_{w}_p50", p50)
        figure(f"workers_{w}_p95", p95)
        figure(f"workers_{w}_errors", err, "count")
        best = max(best, (rps, w))
    print(f"SUMMARY throughput: best {best[0]:.0f} req/s with {best[1]} worker(s), {n_clients} clients, "
          f"{kind} endpoint, 2 cores shared with PostgreSQL and the load generator")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--path-kind", choices=sorted(PATHS), default="partner")
    ap.add_argument("--agencies", type=int, default=None,
                    help="spread the clients over this many of the busiest agencies (1: all the busiest one)")
    args = ap.parse_args()
    asyncio.run(run(args.clients, args.seconds, [int(w) for w in args.workers.split(",")], args.path_kind,
                    args.agencies))


if __name__ == "__main__":
    main()

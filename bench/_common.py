"""Shared bench helpers: target database, a real uvicorn server, a lean keep-alive HTTP client, percentiles."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/w2_scale"


def database_url() -> str:
    """The seeded database as its owner (W2_BENCH_DATABASE_URL, W2_MIGRATION_DATABASE_URL, W2_DATABASE_URL)."""
    env = os.environ
    return (env.get("W2_BENCH_DATABASE_URL") or env.get("W2_MIGRATION_DATABASE_URL") or env.get("W2_DATABASE_URL")
            or DEFAULT_URL)


def app_database_url() -> str:
    """The URL the app serves with: W2_DATABASE_URL when it names the same database (the non-owner app
    role, under row-level security), else the owner URL."""
    app = os.environ.get("W2_DATABASE_URL")
    owner = database_url()
    if app and app.rsplit("/", 1)[-1] == owner.rsplit("/", 1)[-1]:
        return app
    return owner


def app_role_differs() -> bool:
    """True when the app connects as another role than the owner (row-level security applies)."""
    from sqlalchemy.engine import make_url

    return make_url(app_database_url()).username != make_url(database_url()).username


def pg_dsn(url: str | None = None) -> str:
    """A database URL (default: the owner's) as a plain libpq DSN for asyncpg."""
    return (url or database_url()).replace("postgresql+asyncpg://", "postgresql://", 1)


def figure(name: str, value: float, unit: str = "ms") -> None:
    """Print one figure on its own line."""
    print(f"{name:<48} {value:>12.3f} {unit}", flush=True)


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) by nearest rank."""
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s)) - 1))]


def p50_p95(values: list[float]) -> tuple[float, float]:
    """Median and 95th percentile."""
    return statistics.median(values), pct(values, 95)


async def time_calls(fn: Callable[[], Awaitable[Any]], n: int, warmup: int = 30,
                     budget: float | None = None, min_n: int = 20) -> list[float]:
    """Milliseconds of up to `n` sequential calls after a warm-up; with a budget (seconds) a slow variant
    stops early once it has `min_n` samples, so one run of every bench fits in a fixed time."""
    start = time.monotonic()
    for _ in range(warmup):
        await fn()
        if budget is not None and time.monotonic() - start > budget / 4:
            break
    out: list[float] = []
    start = time.monotonic()
    for _ in range(n):
        t0 = time.perf_counter()
        await fn()
        out.append((time.perf_counter() - t0) * 1000)
        if budget is not None and len(out) >= min_n and time.monotonic() - start > budget:
            break
    return out


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(app: str, workers: int = 1, factory: bool = True, env: dict[str, str] | None = None,
           ready_path: str = "/health") -> Iterator[int]:
    """Run `app` under uvicorn in a child process; yields its port once `ready_path` answers."""
    port = free_port()
    storage = tempfile.mkdtemp(prefix="w2-bench-")
    for sub in ("sessions", "signin"):  # the file stores expect their folders to exist
        (Path(storage) / "stores" / sub).mkdir(parents=True, exist_ok=True)
    full_env = {**os.environ, "W2_DATABASE_URL": app_database_url(), "W2_MIGRATION_DATABASE_URL": database_url(),
                "W2_STORAGE_DIR": storage,
                "W2_SECRET_KEY": "bench-" + uuid.uuid4().hex, "PYTHONPATH": str(ROOT / "bench"), **(env or {})}
    cmd = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port), "--workers",
           str(workers), "--no-access-log", "--log-level", "warning", "--timeout-keep-alive", "120"]
    if factory:
        cmd.append("--factory")
    proc = subprocess.Popen(cmd, env=full_env, cwd=ROOT, start_new_session=True)
    try:
        # Ready when the app answers over HTTP; each worker imports the app, slow on a busy machine.
        deadline = time.monotonic() + 180
        answered = 0
        while answered < 2 * workers:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError("server did not answer within 180 s")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=10):
                    answered += 1
            except urllib.error.HTTPError:
                answered += 1  # any HTTP answer will do (/health says 503 without a mail server)
            except OSError:
                time.sleep(0.5)
        if workers > 1:
            time.sleep(min(20, 5 * (workers - 1)))  # the other workers may still be importing
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


class HttpConn:
    """One keep-alive HTTP/1.1 connection with minimal parsing (cheaper than a full client)."""

    def __init__(self, port: int, headers: dict[str, str] | None = None) -> None:
        self.port = port
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        self._head = f"Host: 127.0.0.1:{port}\r\n{extra}\r\n"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, _retry: bool = True) -> tuple[int, bytes]:
        """GET a path; returns status and body (reconnects once if the server closed the connection)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\n{self._head}".encode())
        first = await self.reader.readline()
        if not first and _retry:
            await self.close()
            self.writer = None
            return await self.get(path, _retry=False)
        status = int(first.split()[1])
        length, chunked = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if not chunked:
            return status, await self.reader.readexactly(length)
        body = b""
        while (size := int((await self.reader.readline()).strip(), 16)) > 0:
            body += await self.reader.readexactly(size)
            await self.reader.readline()
        await self.reader.readline()
        return status, body

    async def close(self) -> None:
        """Close the connection."""
        if self.writer is not None:
            self.writer.close()


@dataclass
class Subject:
    """Who the benches act as: a user of the agency owning the most agreements."""

    agency_id: uuid.UUID
    agency_name: str
    user_id: uuid.UUID
    email: str
    owned: int
    workspace_id: uuid.UUID
    agreements: int
    workspaces: int


async def pick_subject(conn: Any, which: str = "busiest") -> Subject:
    """The busiest (worst case) or the median agency by owned agreements, and one of its larger workspaces."""
    counts = await conn.fetch(
        """SELECT owner_agency_id AS id, count(*) AS n FROM agreement WHERE owner_agency_id IS NOT NULL
           GROUP BY owner_agency_id ORDER BY n DESC, owner_agency_id""")
    row = counts[0] if which == "busiest" else counts[len(counts) // 2]
    agency = await conn.fetchrow("SELECT id, name FROM agency WHERE id = $1", row["id"])
    user = await conn.fetchrow(
        "SELECT id, email FROM app_user WHERE agency_id = $1 AND active ORDER BY email LIMIT 1", agency["id"])
    # The member workspace where this agency may read the most agreements (active information sharing).
    ws = await conn.fetchrow(
        """SELECT a.workspace_id AS id, count(*) AS n FROM agreement a
           JOIN membership m ON m.workspace_id = a.workspace_id AND m.agency_id = $1
           WHERE EXISTS (SELECT 1 FROM consent_grant g WHERE g.workspace_id = a.workspace_id
                   AND g.agency_id = $1 AND g.purpose = 'information_sharing' AND g.life_domain = a.life_domain
                   AND (g.valid_until IS NULL OR g.valid_until >= current_date)
                   AND NOT EXISTS (SELECT 1 FROM consent_revocation r WHERE r.consent_id = g.consent_id))
           GROUP BY a.workspace_id ORDER BY n DESC, a.workspace_id LIMIT 1""", agency["id"])
    n_ws = await conn.fetchval("SELECT count(*) FROM membership WHERE agency_id = $1", agency["id"])
    return Subject(agency["id"], agency["name"], user["id"], user["email"], row["n"], ws["id"], ws["n"], n_ws)


async def token_for(email: str) -> str:
    """A fresh API token for the user, through the account service."""
    from w2.platform import accounts
    from w2.platform.db.engine import make_engine, make_sessionmaker

    engine = make_engine(database_url(), pooled=False)
    try:
        async with make_sessionmaker(engine)() as s, s.begin():
            return await accounts.create_token(s, email, label="bench")
    finally:
        await engine.dispose()


async def table_size(conn: Any) -> dict[str, int]:
    """Row counts of the main tables (planner estimates are enough after ANALYZE)."""
    rows = await conn.fetch(
        """SELECT relname, reltuples::bigint AS n FROM pg_class
           WHERE relname IN ('jobseeker', 'workspace', 'agreement', 'consent_grant', 'agency', 'access_log')""")
    return {r["relname"]: r["n"] for r in rows}

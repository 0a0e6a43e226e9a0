"""Every bench script runs end to end on a tiny seeded database and prints its summary (no timings checked)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.conftest import PG_BASE, _dsn, app_url_for
from w2.platform.db.migrate import upgrade

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _has_agreement_endpoints() -> bool:
    try:
        import w2.meetings.agreements.service  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def tiny_db() -> Any:
    """A fresh database with a few dozen seeded job seekers."""
    name = f"w2_bench_test_{uuid.uuid4().hex[:8]}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(_dsn(PG_BASE))
        await conn.execute(sql)
        await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = PG_BASE.rsplit("/", 1)[0] + "/" + name
    upgrade(url, app_url=app_url_for(url))  # the app role, under row-level security, as in production
    from w2.platform.boot.scale.run import seed

    asyncio.run(seed(url, jobseekers=40, agencies=8, show_progress=False))
    yield url
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _run(url: str, script: str, *args: str) -> str:
    env = {**os.environ, "W2_MIGRATION_DATABASE_URL": url, "W2_DATABASE_URL": app_url_for(url)}
    env.pop("W2_BENCH_DATABASE_URL", None)
    res = subprocess.run([sys.executable, str(BENCH / script), *args], env=env, capture_output=True, text=True,
                         timeout=240, check=False)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-3000:]
    return res.stdout


def test_consent_cost_and_reminder_scan_run(tiny_db: str, tmp_path: Path) -> None:
    out = _run(tiny_db, "consent_cost.py", "--runs", "10", "--rounds", "1", "--explain", str(tmp_path / "p.txt"))
    assert "SUMMARY consent_cost" in out and "busiest_page_policy_p50" in out and "rls_only" in out
    assert "Index" in (tmp_path / "p.txt").read_text()
    out = _run(tiny_db, "reminder_scan.py", "--repeat", "1")
    assert "SUMMARY reminder_scan" in out and "peak_mem_scan_full" in out


@pytest.mark.skipif(not _has_agreement_endpoints(), reason="agreement endpoints not in this build")
def test_endpoint_benches_run(tiny_db: str) -> None:
    out = _run(tiny_db, "partner_list.py", "--requests", "10", "--rounds", "1")
    assert "SUMMARY partner_list" in out and "empty_route_p50" in out and "raw_partner_rls_p50" in out
    out = _run(tiny_db, "roundtrips.py")
    assert "partner_list_round_trips_per_request" in out
    # throughput.py is left to the real run: it starts three servers, too heavy for the suite.

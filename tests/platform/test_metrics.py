"""`/metrics`: hidden without a token, refused with a wrong one, and real figures with the right one."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
from litestar.testing import AsyncTestClient

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "metrics-" + uuid.uuid4().hex


def _value(body: str, name: str, **labels: str) -> float:
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in body.splitlines():
        if line.startswith(name + ("{" + want + "}" if want else " ")) or (
                want and line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items())):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} {labels} not in metrics")


@pytest.fixture(scope="module")
async def metrics_client(settings_env):
    from w2.platform.boot.app import create_app
    from w2.platform.settings import get_settings

    app = create_app(dataclasses.replace(get_settings(), metrics_token=TOKEN))
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as c:
        yield c


async def test_metrics_do_not_exist_without_a_token(client):
    assert (await client.get("/metrics")).status_code == 404


async def test_metrics_need_the_token_and_count_what_is_there(metrics_client, factory, sessionmaker):
    assert (await metrics_client.get("/metrics")).status_code == 401
    bad = await metrics_client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    auth = {"Authorization": f"Bearer {TOKEN}"}
    person = await factory.person()
    assert (await metrics_client.get("/api/v1/me", headers=person.headers)).status_code == 200
    first = (await metrics_client.get("/metrics", headers=auth)).text
    assert _value(first, "w2_http_request_duration_seconds_count", method="GET", route="/api/v1/me",
                  status="2xx") >= 1
    # Concrete ids never become labels.
    assert str(person.user_id) not in first
    pending = _value(first, "w2_outbox_messages", status="pending")
    from w2.platform.outbox import enqueue

    async with sessionmaker() as s, s.begin():
        await enqueue(s, key=f"metrics-{uuid.uuid4()}", kind="member_added", to_address="x@example.be")
    second = (await metrics_client.get("/metrics", headers=auth)).text
    assert _value(second, "w2_outbox_messages", status="pending") == pending + 1
    assert _value(second, "w2_outbox_oldest_age_seconds", status="pending") >= 0
    for name in ("w2_consents_granted", "w2_consents_ended", "w2_reminders_fired", "w2_report_renditions",
                 "w2_report_render_seconds_last_day", "w2_db_pool_connections"):
        assert f"# TYPE {name} gauge" in second, name
    assert _value(second, "w2_db_pool_connections", state="size") > 0


def test_several_web_processes_report_together(settings_env, tmp_path):
    port = free_port()
    mp = tmp_path / "prom"
    mp.mkdir()
    env = {**os.environ, **settings_env, "W2_METRICS_TOKEN": TOKEN, "PROMETHEUS_MULTIPROC_DIR": str(mp)}
    proc = subprocess.Popen([sys.executable, "-m", "w2.platform.boot.cli", "serve", "--port", str(port),
                             "--workers", "2"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"

    def pids() -> set[str]:
        return {re.sub(r"\D", "", f.name) for f in mp.iterdir()}

    sent, total, body = 0, 0.0, ""
    try:
        # New connections each time; keep asking until both worker processes have answered some
        # (on a loaded machine one worker may start many seconds after the other).
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and (sent < 40 or len(pids()) < 2):
            try:
                httpx.get(base + "/health", timeout=5)
                sent += 1
            except httpx.HTTPError:
                time.sleep(0.2)
        # A request is counted just after its response is sent, so the last one may land a moment later.
        for _ in range(50):
            body = httpx.get(base + "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10).text
            total = sum(float(line.rsplit(" ", 1)[1]) for line in body.splitlines()
                        if line.startswith("w2_http_request_duration_seconds_count") and 'route="/health"' in line)
            if total >= sent:
                break
            time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(15)
    assert len(pids()) >= 2, pids()
    assert sent >= 40 and total >= sent, (sent, body[:2000])

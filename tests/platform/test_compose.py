"""The production compose file: valid with secrets, refused without, and every service run properly."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {"W2_OWNER_PASSWORD": "o-secret", "W2_APP_PASSWORD": "a-secret", "W2_SECRET_KEY": "k" * 40,
           "W2_METRICS_TOKEN": "m-secret", "W2_SMTP_URL": "smtp://relay.example.invalid:25",
           "W2_MAIL_FROM": "w2 <no-reply@example.invalid>"}
pytestmark = pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose is not installed")


def _config(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("W2_")}
    return subprocess.run(["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config"], cwd=ROOT,
                          env={**clean, **env}, capture_output=True, text=True, timeout=60)


def test_compose_refuses_to_start_without_each_secret():
    for name in SECRETS:
        r = _config({k: v for k, v in SECRETS.items() if k != name})
        assert r.returncode != 0 and name in r.stderr, (name, r.stderr)


def test_compose_runs_every_service_as_production_needs():
    r = _config(SECRETS)
    assert r.returncode == 0, r.stderr
    conf = yaml.safe_load(r.stdout)
    services = conf["services"]
    assert {"postgres", "redis", "migrate", "web", "worker", "beat"} <= set(services)
    for name, svc in services.items():
        assert svc.get("logging", {}).get("options", {}).get("max-size"), f"{name}: no log rotation"
        if name == "migrate":
            assert svc["restart"] == "no"
            continue
        assert svc["restart"] == "unless-stopped", name
        if name != "mailsink":
            assert "healthcheck" in svc, f"{name}: no health check"
            assert svc.get("mem_limit"), f"{name}: no memory limit"
    assert services["mailsink"]["profiles"] == ["mailsink"] and "ports" not in services["mailsink"]
    redis = " ".join(services["redis"]["command"])
    assert "--appendonly yes" in redis and "--maxmemory-policy noeviction" in redis
    assert services["beat"]["deploy"]["replicas"] == 1
    env = services["web"]["environment"]
    assert env["W2_BASE_URL"].startswith("https://")
    assert "o-secret" in env["W2_MIGRATION_DATABASE_URL"] and "a-secret" in env["W2_DATABASE_URL"]
    for later in ("web", "worker", "beat"):
        assert services[later]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_beat_health_check(tmp_path):
    import sys
    import time

    env = {**os.environ, "W2_STORAGE_DIR": str(tmp_path)}
    run = [sys.executable, "-m", "w2.platform.boot.cli", "ping", "beat"]
    r = subprocess.run(run, env=env, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 2 and "beat" in r.stderr
    sched = tmp_path / "celerybeat-schedule"
    sched.write_bytes(b"x")
    assert subprocess.run(run, env=env, capture_output=True, cwd=ROOT, timeout=60).returncode == 0
    old = time.time() - 600
    os.utime(sched, (old, old))
    assert subprocess.run(run, env=env, capture_output=True, cwd=ROOT, timeout=60).returncode == 2

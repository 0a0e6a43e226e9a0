"""The operator commands of API.md, run as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def w2(args: list[str], env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `w2 ...` in a subprocess from the repo root."""
    return subprocess.run([sys.executable, "-m", "w2.platform.boot.cli", *args], input=stdin, capture_output=True,
                          text=True, env={**os.environ, **env}, cwd=ROOT, timeout=120)


async def test_agency_user_token_then_api(client, settings_env):
    r = w2(["agencies", "create", "--name", "CAW CLI-test", "--kind", "caw", "--json"], settings_env)
    assert r.returncode == 0, r.stderr
    agency_id = json.loads(r.stdout)["id"]
    r = w2(["agencies", "create", "--name", "CAW CLI-test", "--kind", "caw", "--json"], settings_env)
    assert r.returncode != 0 and "bestaat al" in r.stderr
    r = w2(["users", "create", "--agency-id", agency_id, "--email", "cli.user@test.w2", "--name", "Cli Gebruiker",
            "--role", "coordinator", "--password-stdin", "--json"], settings_env, stdin="een-lang-wachtwoord\n")
    assert r.returncode == 0, r.stderr
    user_id = json.loads(r.stdout)["id"]
    r = w2(["tokens", "create", "--email", "cli.user@test.w2", "--json"], settings_env)
    assert r.returncode == 0, r.stderr
    token = json.loads(r.stdout)["token"]
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["id"] == user_id and me.json()["agency"]["id"] == agency_id
    # Signing in on the pages works with the same password.
    page = await client.get("/login")
    assert page.status_code == 200


def test_bad_kind_and_role_are_refused(settings_env):
    r = w2(["agencies", "create", "--name", "X", "--kind", "bakkerij", "--json"], settings_env)
    assert r.returncode == 2 and "invalid choice" in r.stderr


def test_demo_seed_is_idempotent_on_sqlite(tmp_path):
    env = {"W2_STORAGE_DIR": str(tmp_path), "W2_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/demo.db",
           "W2_MIGRATION_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/demo.db",
           "W2_BROKER_URL": f"sqla+sqlite:///{tmp_path}/broker.db"}
    first = w2(["demo", "--seed-only"], env)
    assert first.returncode == 0, first.stderr
    assert "aangemaakt" in first.stdout
    second = w2(["demo", "--seed-only"], env)
    assert second.returncode == 0, second.stderr
    assert "niets dubbel" in second.stdout
    import sqlite3

    con = sqlite3.connect(tmp_path / "demo.db")
    assert con.execute("select count(*) from agency").fetchone()[0] == 6
    assert con.execute("select count(*) from workspace").fetchone()[0] == 1
    assert con.execute("select count(*) from membership").fetchone()[0] == 5

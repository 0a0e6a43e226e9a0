"""`w2 seed-scale` at a tiny size writes consistent data (PostgreSQL via COPY, SQLite via inserts)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.conftest import PG_BASE, _dsn
from w2.platform import rrn
from w2.platform.boot.cli import main as cli_main
from w2.platform.db.migrate import upgrade


async def _fetch_all(dsn: str) -> dict[str, list[Any]]:
    conn = await asyncpg.connect(dsn)
    try:
        out = {}
        for table in ("agency", "app_user", "jobseeker", "workspace", "membership", "pivot_assignment",
                      "consent", "consent_grant", "consent_revocation", "agreement", "access_log", "confidant"):
            out[table] = await conn.fetch(f"SELECT * FROM {table}")
        tables = {r[0] for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        out["_tables"] = sorted(tables)
        for t in ("meeting", "meeting_invitee"):
            if t in tables:
                out[t] = await conn.fetch(f"SELECT * FROM {t}")
        out["_indexes"] = await conn.fetch("SELECT indexname FROM pg_indexes WHERE tablename = 'agreement'")
        out["_invalid"] = await conn.fetch("SELECT indexrelid::regclass::text FROM pg_index WHERE NOT indisvalid")
        return out
    finally:
        await conn.close()


@pytest.fixture
def scale_db(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A fresh migrated database of our own, set as the CLI's target."""
    name = f"w2_scale_test_{uuid.uuid4().hex[:8]}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(_dsn(PG_BASE))
        await conn.execute(sql)
        await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = PG_BASE.rsplit("/", 1)[0] + "/" + name
    upgrade(url, app_url=url)
    monkeypatch.setenv("W2_DATABASE_URL", url)
    monkeypatch.setenv("W2_MIGRATION_DATABASE_URL", url)
    from w2.platform.settings import get_settings

    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_seed_scale_postgres_is_consistent(scale_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["seed-scale", "--jobseekers", "60", "--agencies", "14", "--json", "--chunk", "25"]) == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["jobseeker"] == 60 and summary["agreement"] >= 300
    assert "seed-scale [" in captured.err  # the progress bar
    d = asyncio.run(_fetch_all(_dsn(scale_db)))

    assert len(d["agency"]) == 14 and len(d["jobseeker"]) == 60 and len(d["workspace"]) == 60
    for js in d["jobseeker"]:
        assert rrn.normalize(js["national_number"]) == js["national_number"]
        assert rrn.birth_date_matches(js["national_number"], js["birth_date"])
    assert len({js["national_number"] for js in d["jobseeker"]}) == 60

    members: dict[Any, set[Any]] = defaultdict(set)
    for m in d["membership"]:
        members[m["workspace_id"]].add(m["agency_id"])
    assert all(2 <= len(members[w["id"]]) <= 6 for w in d["workspace"])
    assert all(w["coordinating_agency_id"] in members[w["id"]] for w in d["workspace"])
    current = Counter(p["workspace_id"] for p in d["pivot_assignment"] if p["until"] is None)
    assert all(current[w["id"]] == 1 for w in d["workspace"])

    grants: dict[Any, list[Any]] = defaultdict(list)
    for g in d["consent_grant"]:
        grants[g["consent_id"]].append(g)
    for c in d["consent"]:
        assert c["agency_id"] in members[c["workspace_id"]]
        mine = grants[c["id"]]
        assert sorted(g["life_domain"] for g in mine) == sorted(json.loads(c["life_domains"]))
        for g in mine:
            assert (g["workspace_id"], g["agency_id"], g["purpose"], g["valid_until"]) == (
                c["workspace_id"], c["agency_id"], c["purpose"], c["valid_until"])
    consents = {c["id"]: c for c in d["consent"]}
    kinds = Counter(r["kind"] for r in d["consent_revocation"])
    assert kinds["withdrawn"] > 0 and kinds["expired"] > 0
    for r in d["consent_revocation"]:
        c = consents[r["consent_id"]]
        assert r["revoked_at"] >= c["granted_at"]
        if r["kind"] == "expired":
            assert c["valid_until"] is not None and c["valid_until"] < date.today()

    per_ws = Counter(a["workspace_id"] for a in d["agreement"])
    assert all(5 <= per_ws[w["id"]] <= 15 for w in d["workspace"])
    assert {a["status"] for a in d["agreement"]} == {"open", "in_progress", "done", "not_achieved"}
    for a in d["agreement"]:
        if a["owner_kind"] in ("agency", "user"):
            assert a["owner_agency_id"] in members[a["workspace_id"]]
    assert len(d["access_log"]) >= 120
    assert {"allowed", "denied"} == {r["outcome"] for r in d["access_log"]}
    # Indexes and foreign keys dropped for the load are back.
    assert {"ix_agreement_owner_agency_due", "ix_agreement_ws_domain", "ix_agreement_due_open"} <= {r[0] for r in d["_indexes"]}
    # ... and valid, on partitioned tables too (the access log): none left "ON ONLY" the parent.
    assert [r[0] for r in d["_invalid"]] == []
    if "meeting" in d:
        assert d["meeting"] and d.get("meeting_invitee")
    else:
        assert "overleggen overgeslagen" in captured.err
    # A second run on the same database picks free agency names instead of failing.
    assert cli_main(["seed-scale", "--jobseekers", "3", "--agencies", "14", "--quiet"]) == 0
    assert len(asyncio.run(_fetch_all(_dsn(scale_db)))["agency"]) == 28


def test_seed_scale_sqlite_fallback(tmp_path: Path) -> None:
    from w2.platform.boot.scale.run import seed

    url = f"sqlite+aiosqlite:///{tmp_path / 'scale.db'}"
    upgrade(url, app_url=url)
    counts = asyncio.run(seed(url, jobseekers=12, agencies=6, show_progress=False))
    assert counts["jobseeker"] == 12 and counts["agreement"] >= 60 and counts["consent_grant"] > 0
    import sqlite3

    with sqlite3.connect(tmp_path / "scale.db") as db:
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        due = db.execute("SELECT count(*) FROM agreement WHERE status IN ('open', 'in_progress')").fetchone()[0]
    assert {"ix_agreement_due_open", "ix_membership_agency_ws"} <= names and due > 0


def test_seed_scale_as_a_non_superuser_owner_under_forced_rls(database_url: str) -> None:
    """The migration role that owns the tables (no superuser, no BYPASSRLS) seeds, and compiled access is filled."""
    role, name = f"w2_owner_{uuid.uuid4().hex[:8]}", f"w2_scale_owner_{uuid.uuid4().hex[:8]}"

    async def admin(*sql: str) -> None:
        conn = await asyncpg.connect(_dsn(PG_BASE))
        try:
            for stmt in sql:
                await conn.execute(stmt)
        finally:
            await conn.close()

    asyncio.run(admin(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOBYPASSRLS', f'CREATE DATABASE "{name}" OWNER "{role}"'))
    from sqlalchemy.engine import make_url

    from tests.conftest import app_url_for
    from w2.platform.boot.scale.run import seed

    url = make_url(PG_BASE.rsplit("/", 1)[0] + "/" + name).set(username=role).render_as_string(hide_password=False)
    try:
        upgrade(url, app_url=app_url_for(url))
        counts = asyncio.run(seed(url, jobseekers=30, agencies=8, show_progress=False))
        assert counts["agreement"] > 0 and counts["consent_access"] > 0

        async def check() -> None:
            conn = await asyncpg.connect(_dsn(url))
            try:
                assert not await conn.fetchval("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
                forced = await conn.fetchval("SELECT bool_and(relforcerowsecurity) FROM pg_class "
                                             "WHERE relname IN ('agreement', 'meeting_note')")
                assert forced is True
                live = await conn.fetchval("SELECT count(*) FROM consent_access")
                enabled = await conn.fetchval("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'w2\\_access\\_%' "
                                              "AND tgenabled = 'O'")
                assert enabled == 3
            finally:
                await conn.close()
            from w2.consent.access import rebuild_access
            from w2.platform.db.engine import make_engine, make_sessionmaker

            engine = make_engine(url, pooled=False)
            try:
                async with make_sessionmaker(engine)() as s, s.begin():
                    assert await rebuild_access(s) == live == counts["consent_access"]
            finally:
                await engine.dispose()

        asyncio.run(check())
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'DROP ROLE IF EXISTS "{role}"'))

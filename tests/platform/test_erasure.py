"""Closing a case stops all sharing; erasing it leaves nothing of the person in any table or file."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import asyncpg
import pytest

from tests.conftest import _dsn
from tests.platform.test_cli import w2
from tests.reports.test_report_api import _download, _finalized_case


async def _tables_holding(database_url: str, needles: list[str]) -> dict[str, list[str]]:
    """Every table (as the owner: row-level security does not hide rows here) whose rows mention a needle."""
    conn = await asyncpg.connect(_dsn(database_url))
    try:
        tables = [r[0] for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        hits: dict[str, list[str]] = {}
        for tb in tables:
            for needle in needles:
                n = await conn.fetchval(f'SELECT count(*) FROM public."{tb}" t WHERE t::text ILIKE $1', f"%{needle}%")
                if n:
                    hits.setdefault(tb, []).append(needle)
        return hits
    finally:
        await conn.close()


def _files_mentioning(root: Path, needles: list[str]) -> list[str]:
    found = []
    for p in root.rglob("*"):
        if any(n in str(p) for n in needles):
            found.append(str(p.relative_to(root)))
        elif p.is_file() and any(n.encode() in p.read_bytes() for n in needles):
            found.append(str(p.relative_to(root)))
    return found


async def test_close_then_erase_leaves_nothing_of_the_person(client, factory, sessionmaker, celery_worker,
                                                             settings_env, database_url):
    case, mid, _ = await _finalized_case(client, factory, sessionmaker)
    coord, vdab = case.coord, case.members["vdab"]
    pdf = await _download(client, mid, coord.headers)
    assert pdf.status_code == 200
    ws = (await client.get(f"/api/v1/workspaces/{case.wid}", headers=coord.headers)).json()
    js = ws["jobseeker"]
    storage = Path(settings_env["W2_STORAGE_DIR"])
    assert any(mid in str(p) for p in storage.rglob("*.pdf"))
    # Someone else's case, which must come through untouched.
    other, other_mid, _ = await _finalized_case(client, factory, sessionmaker)

    r = w2(["workspaces", "close", "--workspace", case.wid, "--reason", ""], settings_env)
    assert r.returncode == 2 and "reden" in r.stderr
    r = w2(["erase", "--workspace", case.wid, "--reason", "verzoek", "--requested-by", "de persoon"], settings_env)
    assert r.returncode == 2 and "eerst af" in r.stderr, r.stderr
    r = w2(["workspaces", "close", "--workspace", case.wid, "--reason", "Traject afgerond", "--json"], settings_env)
    assert r.returncode == 0, r.stderr
    # Closed: nobody reads case content any more, from the next request on.
    for who in (coord, vdab):
        got = await client.get(f"/api/v1/workspaces/{case.wid}/agreements", headers=who.headers)
        assert got.status_code in (200, 404)
        assert got.status_code == 404 or got.json()["items"] == [], got.text
    assert (await client.get(f"/api/v1/meetings/{mid}/report.pdf", headers=vdab.headers)).status_code in (403, 404)
    r = w2(["workspaces", "close", "--workspace", case.wid, "--reason", "nog eens"], settings_env)
    assert r.returncode == 2 and "al afgesloten" in r.stderr

    r = w2(["erase", "--workspace", case.wid, "--reason", "Vraag tot wissen (AVG art. 17)",
            "--requested-by", "de persoon zelf", "--json"], settings_env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["rows"] > 20 and out["files"] >= 1

    needles = [js["family_name"], js["email"], case.wid, js["id"], mid]
    assert await _tables_holding(database_url, needles) == {}
    assert _files_mentioning(storage, [case.wid, mid]) == []
    # What remains: one record with a keyed hash and the consent dates, nothing that names the person.
    conn = await asyncpg.connect(_dsn(database_url))
    try:
        rec = await conn.fetchrow("SELECT * FROM erasure_record ORDER BY created_at DESC LIMIT 1")
        from w2.platform.boot.erasure import subject_ref

        assert rec["subject_ref"] == subject_ref(uuid.UUID(case.wid))
        proof = json.loads(rec["consent_proof"])
        assert proof and all(p["ended_kind"] for p in proof)
        assert {p["purpose"] for p in proof} >= {"information_sharing", "report_distribution"}
        with pytest.raises(asyncpg.PostgresError, match="append-only"):
            await conn.execute("DELETE FROM consent WHERE workspace_id = $1", uuid.UUID(other.wid))
    finally:
        await conn.close()
    # The other case is whole.
    r = await client.get(f"/api/v1/workspaces/{other.wid}/agreements", headers=other.coord.headers)
    assert r.status_code == 200 and len(r.json()["items"]) >= 1
    assert (await _download(client, other_mid, other.coord.headers)).status_code == 200


async def test_the_app_role_cannot_use_the_erasure_exception(client, factory, sessionmaker, settings_env):
    from sqlalchemy import text

    from w2.platform.db.engine import make_engine, make_sessionmaker

    case, _, _ = await _finalized_case(client, factory, sessionmaker)
    engine = make_engine(settings_env["W2_DATABASE_URL"], pooled=False)
    try:
        sm = make_sessionmaker(engine, rls={"actor_kind": "system"})
        async with sm() as s:
            await s.execute(text("SELECT set_config('w2.erasure', 'on', true)"))
            with pytest.raises(Exception, match="append-only|permission denied"):
                await s.execute(text("DELETE FROM consent_grant WHERE workspace_id = :w"), {"w": case.wid})
    finally:
        await engine.dispose()


def test_erasure_on_the_embedded_sqlite_default(tmp_path):
    env = {"W2_STORAGE_DIR": str(tmp_path), "W2_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/w2.db",
           "W2_MIGRATION_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/w2.db",
           "W2_BROKER_URL": f"sqla+sqlite:///{tmp_path}/broker.db"}
    assert w2(["demo", "--seed-only"], env).returncode == 0
    import sqlite3

    con = sqlite3.connect(tmp_path / "w2.db")
    wid = con.execute("SELECT id FROM workspace").fetchone()[0]
    family = con.execute("SELECT family_name FROM jobseeker").fetchone()[0]
    guards = "SELECT name, sql FROM sqlite_master WHERE type='trigger' AND name LIKE 'w2_append_only%' ORDER BY name"
    before = con.execute(guards).fetchall()
    con.close()
    wid = str(uuid.UUID(wid))
    assert w2(["workspaces", "close", "--workspace", wid, "--reason", "afgerond"], env).returncode == 0
    r = w2(["erase", "--workspace", wid, "--reason", "verzoek", "--requested-by", "de persoon"], env)
    assert r.returncode == 0, r.stderr
    con = sqlite3.connect(tmp_path / "w2.db")
    try:
        for (tb,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall():
            rows = con.execute(f'SELECT * FROM "{tb}"').fetchall()
            assert not any(family in repr(r) or wid.replace("-", "") in repr(r) for r in rows), tb
        # The append-only triggers are back after the erasure, all of them.
        assert con.execute(guards).fetchall() == before and len(before) >= 10
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute("DELETE FROM erasure_record")
    finally:
        con.close()


async def test_closing_through_the_api(client, factory, sessionmaker):
    case, mid, _ = await _finalized_case(client, factory, sessionmaker)
    coord, vdab = case.coord, case.members["vdab"]
    url = f"/api/v1/workspaces/{case.wid}/close"
    assert (await client.post(url, json={"reason": "klaar"}, headers=vdab.headers)).status_code in (403, 404)
    r = await client.post(url, json={"reason": ""}, headers=coord.headers)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert (await client.get(f"/api/v1/workspaces/{case.wid}/agreements", headers=vdab.headers)).json()["items"]
    r = await client.post(url, json={"reason": "Traject afgerond"}, headers=coord.headers)
    assert r.status_code == 200, r.text
    assert r.json()["closed_at"]
    got = await client.get(f"/api/v1/workspaces/{case.wid}/agreements", headers=vdab.headers)
    assert got.status_code == 404 or got.json()["items"] == []
    again = await client.post(url, json={"reason": "nog eens"}, headers=coord.headers)
    assert again.status_code == 409 and "al afgesloten" in again.json()["detail"]

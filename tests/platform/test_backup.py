"""`w2 backup` / `w2 restore` on a seeded database: every table and file comes back identical."""

from __future__ import annotations

import asyncio
import json
import tarfile
import uuid
from pathlib import Path

import asyncpg
import pytest

from tests.conftest import PG_BASE, _dsn
from tests.platform.test_cli import w2


def _new_database() -> str:
    name = f"w2_bk_{uuid.uuid4().hex[:10]}"

    async def create() -> None:
        conn = await asyncpg.connect(_dsn(PG_BASE))
        await conn.execute(f'CREATE DATABASE "{name}"')
        await conn.close()

    asyncio.run(create())
    return PG_BASE.rsplit("/", 1)[0] + "/" + name


def _drop(url: str) -> None:
    async def drop() -> None:
        conn = await asyncpg.connect(_dsn(PG_BASE))
        await conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
        await conn.close()

    asyncio.run(drop())


@pytest.fixture
def two_databases():
    urls = [_new_database(), _new_database()]
    yield urls
    for u in urls:
        _drop(u)


def _env(db: str, storage: Path) -> dict[str, str]:
    return {"W2_DATABASE_URL": db, "W2_MIGRATION_DATABASE_URL": db, "W2_BACKUP_DATABASE_URL": db,
            "W2_STORAGE_DIR": str(storage), "W2_BROKER_URL": f"sqla+sqlite:///{storage}/broker.db"}


def test_backup_restores_into_a_fresh_postgres_database(two_databases, tmp_path):
    source, target = two_databases
    src_store, dst_store = tmp_path / "src", tmp_path / "dst"
    seeded = w2(["demo", "--seed-only"], _env(source, src_store))
    assert seeded.returncode == 0, seeded.stderr
    pdf = src_store / "reports" / "m1" / "r1.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF-1.7 stand-in for a rendered report\n")
    (src_store / "stores").mkdir(exist_ok=True)
    (src_store / "stores" / "session-x").write_text("transient")

    archive = tmp_path / "w2-backup.tar"
    r = w2(["backup", "--out", str(archive), "--json"], _env(source, src_store))
    assert r.returncode == 0, r.stderr
    made = json.loads(r.stdout)
    assert made["rows"] > 20 and made["files"] == 1
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert "files/reports/m1/r1.pdf" in names and not any("stores" in n for n in names)
    assert manifest["tables"]["jobseeker"]["rows"] == 1 and manifest["tables"]["agency"]["rows"] == 6

    r = w2(["restore", str(archive), "--json"], _env(target, dst_store))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["verified"] is True
    assert (dst_store / "reports" / "m1" / "r1.pdf").read_bytes() == pdf.read_bytes()

    from w2.platform.ops.backup import table_sums

    assert table_sums(source) == table_sums(target)

    # A second restore into the now-filled database is refused and changes nothing.
    before = table_sums(target)
    again = w2(["restore", str(archive)], _env(target, tmp_path / "other"))
    assert again.returncode == 2 and "niet leeg" in again.stderr
    assert table_sums(target) == before


def test_damaged_archive_is_refused(two_databases, tmp_path):
    source, target = two_databases
    store = tmp_path / "s"
    assert w2(["demo", "--seed-only"], _env(source, store)).returncode == 0
    (store / "reports").mkdir(parents=True, exist_ok=True)
    (store / "reports" / "a.pdf").write_bytes(b"original")
    archive = tmp_path / "b.tar"
    assert w2(["backup", "--out", str(archive)], _env(source, store)).returncode == 0
    # Swap the stored file's content for something else: the manifest's hash no longer matches.
    bad = tmp_path / "bad.tar"
    with tarfile.open(archive) as src, tarfile.open(bad, "w") as dst:
        for m in src.getmembers():
            data = src.extractfile(m).read() if m.isfile() else None
            if m.name == "files/reports/a.pdf":
                data = b"tampered"
                m.size = len(data)
            import io

            dst.addfile(m, io.BytesIO(data) if data is not None else None)
    r = w2(["restore", str(bad)], _env(target, tmp_path / "d"))
    assert r.returncode == 2 and "beschadigd" in r.stderr
    assert not (tmp_path / "d" / "reports" / "a.pdf").exists()
    r = w2(["restore", str(tmp_path / "none.tar")], _env(target, tmp_path / "d"))
    assert r.returncode == 2 and "niet gevonden" in r.stderr


def test_backup_and_restore_on_the_embedded_sqlite_default(tmp_path):
    src, dst = tmp_path / "a", tmp_path / "b"
    env_a = {**_env(f"sqlite+aiosqlite:///{src}/w2.db", src)}
    env_b = {**_env(f"sqlite+aiosqlite:///{dst}/w2.db", dst)}
    assert w2(["demo", "--seed-only"], env_a).returncode == 0
    archive = tmp_path / "x.tar"
    r = w2(["backup", "--out", str(archive)], env_a)
    assert r.returncode == 0, r.stderr
    r = w2(["restore", str(archive)], env_b)
    assert r.returncode == 0, r.stderr
    from w2.platform.ops.backup import table_sums

    assert table_sums(env_a["W2_DATABASE_URL"]) == table_sums(env_b["W2_DATABASE_URL"])
    assert table_sums(env_b["W2_DATABASE_URL"])["jobseeker"].rows == 1

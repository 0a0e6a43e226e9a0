"""`w2 backup` and `w2 restore`: the database and the file store in one archive, checked on restore."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

# Never part of a backup: caches, queues, sessions, the development mail/SMS sinks and the embedded
# database itself (it travels as a consistent SQLite copy, not as a file being written to).
TRANSIENT_DIRS = {"stores", "mail", "sms", "backups"}
TRANSIENT_FILES = ("w2.db", "broker.db", "results.db", "celerybeat-schedule")
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why in plain Dutch."""


@dataclass(frozen=True)
class TableSum:
    """Row count and a content checksum of one table."""

    rows: int
    checksum: str


def _libpq(url: str) -> str:
    u = make_url(url)
    return u.set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_path(url: str) -> Path:
    db = make_url(url).database
    if not db:
        raise BackupError("de SQLite-databank heeft geen bestand")
    return Path(db)


def _run(args: list[str]) -> None:
    proc = subprocess.run(args, capture_output=True, text=True)
    if proc.returncode != 0:
        # The tool's own message names the problem (role, permission, missing database).
        raise BackupError(f"{args[0]} mislukt: {proc.stderr.strip()[-800:]}")


def table_sums(url: str) -> dict[str, TableSum]:
    """Count and checksum every table, independent of physical row order."""
    if url.startswith("sqlite"):
        return _sqlite_sums(_sqlite_path(url))
    import asyncio

    return asyncio.run(_pg_sums(url))


async def _pg_sums(url: str) -> dict[str, TableSum]:
    import asyncpg

    conn = await asyncpg.connect(_libpq(url))
    try:
        names = [r["tablename"] for r in await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        out: dict[str, TableSum] = {}
        for name in names:
            row = await conn.fetchrow(
                f'SELECT count(*) AS n, md5(coalesce(string_agg(h, \'\' ORDER BY h), \'\')) AS s '
                f'FROM (SELECT md5(t::text) AS h FROM public."{name}" t) x')
            out[name] = TableSum(int(row["n"]), str(row["s"]))
        return out
    finally:
        await conn.close()


def _sqlite_sums(path: Path) -> dict[str, TableSum]:
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        out: dict[str, TableSum] = {}
        for name in names:
            hashes = sorted(hashlib.md5(repr(r).encode()).hexdigest() for r in con.execute(f'SELECT * FROM "{name}"'))
            out[name] = TableSum(len(hashes), hashlib.md5("".join(hashes).encode()).hexdigest())
        return out
    finally:
        con.close()


def _durable_files(storage: Path) -> list[Path]:
    if not storage.is_dir():
        return []
    keep = []
    for p in sorted(storage.rglob("*")):
        top = p.relative_to(storage).parts[0]
        if top in TRANSIENT_DIRS or top.startswith(TRANSIENT_FILES) or not p.is_file():
            continue
        keep.append(p)
    return keep


def backup(db_url: str, storage: Path, out: Path) -> dict[str, Any]:
    """Write one archive with the database, the file store and a manifest of table checksums."""
    out.parent.mkdir(parents=True, exist_ok=True)
    sums = table_sums(db_url)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "database"
        if db_url.startswith("sqlite"):
            src = sqlite3.connect(_sqlite_path(db_url))
            dst = sqlite3.connect(dump)
            with dst:
                src.backup(dst)
            src.close()
            dst.close()
            kind = "sqlite"
        else:
            # Custom format: compressed, restorable table by table. The backup role must bypass
            # row-level security, or pg_dump refuses (it never dumps a filtered table silently).
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", f"--dbname={_libpq(db_url)}"])
            kind = "postgresql"
        files = _durable_files(storage)
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": kind,
            "tables": {k: {"rows": v.rows, "checksum": v.checksum} for k, v in sums.items()},
            "files": {str(p.relative_to(storage)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files},
        }
        partial = out.with_name(out.name + ".part")
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname="database")
            for p in files:
                tar.add(p, arcname=f"files/{p.relative_to(storage)}")
        # Rename last, so a crash never leaves a half archive under the real name.
        os.replace(partial, out)
    return manifest


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    member = tar.extractfile("manifest.json")
    if member is None:
        raise BackupError("dit archief heeft geen manifest.json: het is geen w2-back-up")
    manifest: dict[str, Any] = json.load(member)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"onbekend back-upformaat {manifest.get('format')!r}")
    return manifest


def _target_is_empty(url: str) -> bool:
    return not table_sums(url)


def restore(archive: Path, db_url: str, storage: Path) -> dict[str, Any]:
    """Restore an archive into an EMPTY database and file store, then verify every table and file."""
    if not archive.is_file():
        raise BackupError(f"archief niet gevonden: {archive.name}")
    try:
        tar = tarfile.open(archive, "r")
    except tarfile.TarError as exc:
        raise BackupError(f"geen leesbaar archief: {exc}") from exc
    with tar, tempfile.TemporaryDirectory() as tmp:
        manifest = _read_manifest(tar)
        want_sqlite = manifest["database"] == "sqlite"
        if want_sqlite != db_url.startswith("sqlite"):
            raise BackupError(f"deze back-up is van {manifest['database']}; de doel-databank is dat niet")
        if not want_sqlite and not _target_is_empty(db_url):
            raise BackupError("de doel-databank is niet leeg: herstel alleen in een nieuwe, lege databank")
        if want_sqlite and _sqlite_path(db_url).exists() and _target_is_empty(db_url) is False:
            raise BackupError("de doel-databank is niet leeg: herstel alleen in een nieuwe, lege databank")
        if storage.exists() and _durable_files(storage):
            raise BackupError("de bestandsopslag is niet leeg: herstel alleen in een lege map")
        tar.extractall(tmp, filter="data")
        dump = Path(tmp) / "database"
        if want_sqlite:
            target = _sqlite_path(db_url)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(dump, target)
        else:
            _run(["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction",
                  f"--dbname={_libpq(db_url)}", str(dump)])
        files_root = Path(tmp) / "files"
        for rel, digest in manifest["files"].items():
            src = files_root / rel
            if hashlib.sha256(src.read_bytes()).hexdigest() != digest:
                raise BackupError(f"bestand beschadigd in het archief: {rel}")
            dst = storage / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
    verify(manifest, db_url)
    return manifest


def verify(manifest: dict[str, Any], db_url: str) -> None:
    """Compare the restored tables with the manifest; raise naming every table that differs."""
    got = table_sums(db_url)
    bad = [name for name, want in manifest["tables"].items()
           if name not in got or (got[name].rows, got[name].checksum) != (want["rows"], want["checksum"])]
    if bad:
        raise BackupError("herstel wijkt af van de back-up in: " + ", ".join(sorted(bad)))

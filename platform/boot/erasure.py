"""Ending a case: closing a workspace (all sharing stops) and erasing it (GDPR art. 17 or retention).

It lives in the composition root because it reaches every domain's tables: erasure finds the person's
rows by walking the foreign keys of the whole model, so a table added later is erased too.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Table, Uuid, delete, false, or_, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.models import Consent, ConsentRevocation
from w2.platform.boot.models import metadata
from w2.platform.db.ops import dialect_name
from w2.platform.errors import Conflict, NotFound
from w2.platform.i18n import t
from w2.platform.models import Workspace
from w2.platform.ops.erasure_record import ErasureRecord
from w2.platform.settings import get_settings

ROOTS = {"jobseeker", "workspace"}
# Kept on purpose: the erasure's own proof, and the append-only tables' erasure happens row by row.
NEVER_ERASED = {"erasure_record", "alembic_version", "agency", "app_user", "api_token"}


@dataclass(frozen=True)
class Erased:
    """What an erasure removed."""

    subject_ref: str
    removed: dict[str, int]
    files: list[str]


def subject_ref(workspace_id: uuid.UUID) -> str:
    """The keyed hash that stands in for an erased workspace."""
    key = get_settings().secret_key.encode()
    return hmac.new(key, str(workspace_id).encode(), hashlib.sha256).hexdigest()


def _owned_predicates(js_id: uuid.UUID) -> dict[str, ColumnElement[bool]]:
    """For every table, the SQL condition that picks the rows belonging to this person."""
    preds: dict[str, ColumnElement[bool]] = {
        "jobseeker": metadata.tables["jobseeker"].c.id == js_id,
        "workspace": metadata.tables["workspace"].c.jobseeker_id == js_id,
    }
    tables = [tb for tb in metadata.sorted_tables if tb.name not in NEVER_ERASED]
    for tb in tables:  # parents come before children, so a parent's condition is known first
        if tb.name in preds:
            continue
        conds = [fk.parent.in_(select(fk.column).where(preds[fk.column.table.name]))
                 for fk in tb.foreign_keys if fk.column.table.name in preds]
        if conds:
            preds[tb.name] = or_(*conds)
    # Ids kept without a foreign key (access log, reminder ledger) still point at the person's rows.
    with_id = [name for name in preds if "id" in metadata.tables[name].c]
    for tb in tables:
        loose = [c for c in tb.columns if not c.foreign_keys and c.name.endswith("_id")
                 and isinstance(c.type, Uuid) and c.name != "id"]
        conds = [c.in_(select(metadata.tables[n].c.id).where(preds[n])) for c in loose for n in with_id]
        if conds:
            preds[tb.name] = or_(preds.get(tb.name, false()), *conds)
    return preds


def _pk(tb: Table) -> list[Any]:
    return list(tb.primary_key.columns)


async def _consent_proof(session: AsyncSession, workspace_id: uuid.UUID) -> list[dict[str, object]]:
    rows = await session.execute(
        select(Consent, ConsentRevocation).outerjoin(ConsentRevocation, ConsentRevocation.consent_id == Consent.id)
        .where(Consent.workspace_id == workspace_id).order_by(Consent.granted_at))
    return [{"ref": subject_ref(c.id), "agency_id": str(c.agency_id), "purpose": c.purpose,
             "life_domains": sorted(c.life_domains or []), "method": c.method, "granted_by": c.granted_by,
             "legal_basis": c.legal_basis, "text_version": c.text_version, "granted_at": c.granted_at.isoformat(),
             "valid_until": c.valid_until.isoformat() if c.valid_until else None,
             "ended_at": r.revoked_at.isoformat() if r else None, "ended_kind": r.kind if r else None}
            for c, r in rows]


async def erase_workspace(session: AsyncSession, workspace_id: uuid.UUID, *, grounds: str, requested_by: str,
                          reason: str | None = None) -> Erased:
    """Remove everything about the person of a closed workspace; keep only an ErasureRecord."""
    ws = await session.get(Workspace, workspace_id)
    if ws is None:
        raise NotFound(t("error.workspace_not_found"))
    if ws.closed_at is None:
        raise Conflict(t("error.workspace_erase_open"), kind="workspace-open")
    proof = await _consent_proof(session, ws.id)
    preds = _owned_predicates(ws.jobseeker_id)
    ref = subject_ref(ws.id)
    # Materialise every row key first: once deleting starts, parents vanish and conditions go empty.
    keys: dict[str, list[Any]] = {}
    files: list[str] = []
    for name, pred in preds.items():
        tb = metadata.tables[name]
        keys[name] = list((await session.execute(select(*_pk(tb)).where(pred))).all())
        if "storage_key" in tb.c:
            files += [k for k in (await session.scalars(select(tb.c.storage_key).where(pred))) if k]
    dialect = dialect_name(session)
    guards: list[tuple[str, str]] = []
    if dialect == "postgresql":
        await session.execute(text("SELECT set_config('w2.erasure', 'on', true)"))
    else:
        # SQLite has no owner to check: the embedded default lifts its delete guards for this
        # transaction only and puts the very same triggers back before it commits.
        guards = [(n, sql) for n, sql in await session.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'w2_append_only_delete_%'"))]
        for name, _ in guards:
            await session.execute(text(f'DROP TRIGGER "{name}"'))
    removed: dict[str, int] = {}
    for tb in reversed(metadata.sorted_tables):  # children before parents
        rows = keys.get(tb.name)
        if not rows:
            continue
        pk = _pk(tb)
        for i in range(0, len(rows), 500):
            chunk = rows[i:i + 500]
            cond = pk[0].in_([r[0] for r in chunk]) if len(pk) == 1 else tuple_(*pk).in_([tuple(r) for r in chunk])
            await session.execute(delete(tb).where(cond))
        removed[tb.name] = len(rows)
    if dialect == "postgresql":
        await session.execute(text("SELECT set_config('w2.erasure', 'off', true)"))
    for _, sql in guards:
        await session.execute(text(sql))
    session.add(ErasureRecord(subject_ref=ref, grounds=grounds, reason=reason, requested_by=requested_by[:200],
                              consent_proof=proof, removed=removed, files_removed=len(files)))
    await session.flush()
    return Erased(ref, removed, files)


def remove_files(keys: list[str]) -> int:
    """Delete an erased case's stored files; call it only after the erasure committed."""
    root = get_settings().storage_dir.resolve()
    gone = 0
    for key in keys:
        path = (root / key).resolve()
        if root in path.parents and path.is_file():
            path.unlink()
            gone += 1
            _prune(path.parent, root)
    return gone


def _prune(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent

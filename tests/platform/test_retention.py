"""Retention: what has expired goes (rows, files, whole access-log months), what has not stays."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import date, timedelta

import asyncpg
import pytest
from sqlalchemy import select, text, update

from tests.conftest import _dsn
from tests.factories import new_workspace
from tests.platform.test_cli import w2
from w2.platform.db.base import utcnow


async def _old_rows(sm, person):
    from w2.notifications.models import InboxItem, ReminderFired
    from w2.platform.outbox import OutboxMessage

    now = utcnow()
    ids = {}
    async with sm() as s, s.begin():
        for name, status, age in (("old_sent", "sent", 100), ("new_sent", "sent", 10), ("old_failed", "failed", 400),
                                  ("new_failed", "failed", 100), ("old_pending", "pending", 400)):
            m = OutboxMessage(idempotency_key=f"ret-{uuid.uuid4()}", kind="member_added", to_address="a@b.be",
                              status=status, created_at=now - timedelta(days=age))
            s.add(m)
            await s.flush()
            ids[name] = m.id
        for name, age in (("old_read", 400), ("new_read", 30)):
            item = InboxItem(user_id=person.user_id, kind="member_added", read_at=now - timedelta(days=age),
                             created_at=now - timedelta(days=age))
            s.add(item)
            await s.flush()
            ids[name] = item.id
        ids["old_ledger"] = uuid.uuid4()
        s.add(ReminderFired(rule="ret-test", subject_id=ids["old_ledger"], occurrence=date(2020, 1, 1),
                            fired_at=now - timedelta(days=500)))
    return ids


async def _exists(sm, model, key, value) -> bool:
    async with sm() as s:
        return (await s.scalar(select(key).where(key == value))) is not None


async def test_retention_removes_only_what_has_expired(client, factory, sessionmaker, settings_env, database_url):
    from w2.notifications.models import InboxItem, ReminderFired
    from w2.platform.models import Workspace
    from w2.platform.outbox import OutboxMessage

    coord = await factory.person(kind="ocmw")
    old_case = await new_workspace(client, coord, given_name="Oud", family_name=f"Dossier{uuid.uuid4().hex[:6]}")
    new_case = await new_workspace(client, coord, given_name="Nieuw", family_name=f"Dossier{uuid.uuid4().hex[:6]}")
    for ws, reason in ((old_case, "lang geleden afgerond"), (new_case, "pas afgerond")):
        r = await client.post(f"/api/v1/workspaces/{ws['id']}/close", json={"reason": reason}, headers=coord.headers)
        assert r.status_code == 200, r.text
    async with sessionmaker() as s, s.begin():
        await s.execute(update(Workspace).where(Workspace.id == uuid.UUID(old_case["id"]))
                        .values(closed_at=utcnow() - timedelta(days=6 * 365)))
    ids = await _old_rows(sessionmaker, coord)
    # A month of access log older than the 60 months kept, next to this month's.
    conn = await asyncpg.connect(_dsn(database_url))
    month = (date.today().replace(day=1) - timedelta(days=31 * 70)).replace(day=1)
    part = f"access_log_y{month:%Y}m{month:%m}"
    await conn.execute("SELECT w2_access_log_partition($1)", month)
    await conn.execute("INSERT INTO access_log (id, at, actor_kind, action, resource_type, outcome) "
                       "VALUES ($1, $2, 'system', 'read', 'test', 'allowed')", uuid.uuid4(), month + timedelta(days=3))
    await conn.close()

    r = w2(["retention", "--dry-run", "--json"], settings_env)
    assert r.returncode == 0, r.stderr
    plan = json.loads(r.stdout)
    assert plan["dry_run"] is True
    for kind in ("messages_sent", "messages_failed", "inbox_read", "reminder_ledger", "closed_cases",
                 "access_log_months"):
        assert plan[kind] >= 1, (kind, plan)
    assert await _exists(sessionmaker, OutboxMessage, OutboxMessage.id, ids["old_sent"])  # dry run: nothing gone

    r = w2(["retention", "--json"], settings_env)
    assert r.returncode == 0, r.stderr
    sm = sessionmaker
    for gone in ("old_sent", "old_failed"):
        assert not await _exists(sm, OutboxMessage, OutboxMessage.id, ids[gone]), gone
    for kept in ("new_sent", "new_failed", "old_pending"):
        assert await _exists(sm, OutboxMessage, OutboxMessage.id, ids[kept]), kept
    assert not await _exists(sm, InboxItem, InboxItem.id, ids["old_read"])
    assert await _exists(sm, InboxItem, InboxItem.id, ids["new_read"])
    assert not await _exists(sm, ReminderFired, ReminderFired.subject_id, ids["old_ledger"])
    assert not await _exists(sm, Workspace, Workspace.id, uuid.UUID(old_case["id"]))
    assert await _exists(sm, Workspace, Workspace.id, uuid.UUID(new_case["id"]))
    conn = await asyncpg.connect(_dsn(database_url))
    try:
        assert await conn.fetchval("SELECT to_regclass($1)", part) is None
        this_month = f"access_log_y{date.today():%Y}m{date.today():%m}"
        assert await conn.fetchval("SELECT to_regclass($1)", this_month) is not None
        assert await conn.fetchval("SELECT count(*) FROM erasure_record WHERE grounds = 'retention'") >= 1
        with pytest.raises(asyncpg.PostgresError, match="at least 12 months"):
            await conn.fetchval("SELECT w2_access_log_partitions(3)")
    finally:
        await conn.close()
    # A second run finds nothing more of these.
    again = json.loads(w2(["retention", "--dry-run", "--json"], settings_env).stdout)
    assert again["closed_cases"] == 0 and again["access_log_months"] == 0


async def test_the_app_role_cannot_empty_a_month_of_the_access_log(settings_env):
    from w2.platform.db.engine import make_engine

    engine = make_engine(settings_env["W2_DATABASE_URL"], pooled=False)
    month = f"access_log_y{date.today():%Y}m{date.today():%m}"
    try:
        for stmt in (f"TRUNCATE {month}", f"DELETE FROM {month}", "TRUNCATE access_log",
                     "SELECT w2_access_log_partitions(1)"):
            async with engine.connect() as c:
                with pytest.raises(Exception, match="append-only|permission denied|at least 12"):
                    await c.execute(text(stmt))
    finally:
        await engine.dispose()


async def test_the_beat_task_runs_retention(settings_env, sessionmaker, celery_worker, factory):
    from w2.platform.boot.retention import run_retention
    from w2.platform.outbox import OutboxMessage

    person = await factory.person()
    ids = await _old_rows(sessionmaker, person)
    run_retention.delay()
    for _ in range(150):
        if not await _exists(sessionmaker, OutboxMessage, OutboxMessage.id, ids["old_sent"]):
            break
        await asyncio.sleep(0.2)
    assert not await _exists(sessionmaker, OutboxMessage, OutboxMessage.id, ids["old_sent"])
    assert await _exists(sessionmaker, OutboxMessage, OutboxMessage.id, ids["new_sent"])

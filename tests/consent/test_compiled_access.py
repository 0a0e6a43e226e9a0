"""Compiled access: the table the triggers maintain equals the one rebuilt from the consent log."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from w2.consent import service as consents
from w2.consent.access import rebuild_access
from w2.consent.policy import today
from w2.consent.schemas import ConsentIn
from w2.platform import accounts
from w2.platform import schemas as ps
from w2.platform.db.engine import make_engine, make_sessionmaker
from w2.platform.workspaces import add_member

DOMAINS = ["housing", "finances", "health", "justice", "work_training"]
PURPOSES = ["information_sharing", "meeting_participation", "report_distribution"]
ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ("SELECT consent_id, life_domain, workspace_id, agency_id, purpose, valid_until FROM consent_access "
            "ORDER BY 1, 2")


async def _snapshot(url: str) -> list[tuple]:
    engine = make_engine(url, pooled=False)
    try:
        async with engine.connect() as conn:
            return [tuple(r) for r in (await conn.execute(text(SNAPSHOT))).all()]
    finally:
        await engine.dispose()


async def _rebuild(owner_url: str) -> int:
    engine = make_engine(owner_url, pooled=False)
    try:
        async with make_sessionmaker(engine, rls={"actor_kind": "system"})() as s, s.begin():
            return await rebuild_access(s)
    finally:
        await engine.dispose()


async def _random_changes(harness, rnd: random.Random, steps: int) -> None:
    """Grants, withdrawals, expiries and new members in a random order, through the services."""
    world = await harness.new_world(agencies=3)
    coord, ws = world.coordinator, world.workspace_id
    members = list(world.agency_ids)
    outsiders: list[uuid.UUID] = []
    granted: list[uuid.UUID] = []
    clock = 0
    for _ in range(steps):
        op = rnd.choice(["grant", "grant", "grant", "revoke", "expire", "member", "outsider_member"])
        if op == "grant":
            until = rnd.choice([None, None, clock, clock + 1, clock + 3])
            data = ConsentIn(agency_id=rnd.choice(members), purpose=rnd.choice(PURPOSES),
                             life_domains=rnd.sample(DOMAINS, rnd.randint(1, 3)), method="signed_form",
                             valid_until=None if until is None else today() + timedelta(days=until))
            if data.valid_until is not None and data.valid_until < today():
                continue
            c = await harness.run(coord, lambda s, d=data: consents.grant_consent(s, coord, ws, d))
            granted.append(c.id)
        elif op == "revoke" and granted:
            cid = rnd.choice(granted)
            try:
                await harness.run(world.jobseeker, lambda s, c=cid: consents.revoke_consent(s, world.jobseeker, ws, c))
            except Exception as exc:  # noqa: BLE001 - an ended consent answers 409; anything else fails below
                assert type(exc).__name__ == "Conflict", exc
        elif op == "expire":
            clock += rnd.randint(1, 2)
            await harness.run(None, lambda s, on=today() + timedelta(days=clock): consents.expire_due(s, on))
        elif op == "outsider_member":
            # An agency that is not a member yet: its membership must bring no access by itself.
            tag = uuid.uuid4().hex[:8]
            agency = await harness.run(None, lambda s, t=tag: accounts.create_agency(s, f"Later {t}", "other"))
            outsiders.append(agency.id)
        elif op == "member" and outsiders:
            agency_id = outsiders.pop()
            await harness.run(coord, lambda s, a=agency_id: add_member(
                s, coord, ws, ps.MemberIn(agency_id=a, question_type="advies")))
            members.append(agency_id)


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_rebuilt_equals_maintained_after_random_changes(harness, backend_url, settings_env, seed):
    await _random_changes(harness, random.Random(seed), steps=40)
    maintained = await _snapshot(backend_url)
    assert maintained, "the sequence granted nothing"
    owner = settings_env["W2_MIGRATION_DATABASE_URL"] if harness.dialect == "postgresql" else backend_url
    count = await _rebuild(owner)
    rebuilt = await _snapshot(backend_url)
    assert count == len(rebuilt)
    assert rebuilt == maintained


async def test_access_rows_follow_grant_withdrawal_and_membership(harness):
    world = await harness.new_world(agencies=2)
    coord, ws, partner = world.coordinator, world.workspace_id, world.agency_ids[1]
    data = ConsentIn(agency_id=partner, purpose="information_sharing", life_domains=["housing", "health"],
                     method="signed_form")
    c = await harness.run(coord, lambda s: consents.grant_consent(s, coord, ws, data))

    async def rows(s):
        return set((await s.execute(text("SELECT life_domain FROM consent_access WHERE consent_id = :c"),
                                    {"c": c.id if harness.dialect == "postgresql" else c.id.hex})).scalars())

    assert await harness.run(None, rows) == {"housing", "health"}
    await harness.run(coord, lambda s: consents.revoke_consent(s, coord, ws, c.id))
    assert await harness.run(None, rows) == set()


async def test_app_role_cannot_write_access_rows(settings_env, client, factory):
    from tests.consent.helpers import grant, make_case

    case = await make_case(client, factory, partners=1)
    await grant(client, case, case.coord.agency_id, ["housing"])
    engine = make_engine(settings_env["W2_DATABASE_URL"], pooled=False)
    try:
        for stmt in (f"INSERT INTO consent_access (consent_id, life_domain, workspace_id, agency_id, purpose) "
                     f"SELECT consent_id, 'justice', workspace_id, '{case.partners[0].agency_id}', purpose "
                     f"FROM consent_access LIMIT 1",
                     "UPDATE consent_access SET valid_until = NULL", "DELETE FROM consent_access"):
            async with engine.connect() as conn:
                with pytest.raises((ProgrammingError, DBAPIError), match="permission denied"):
                    await conn.execute(text(stmt))
    finally:
        await engine.dispose()


def test_rebuild_access_command(settings_env):
    before = __import__("asyncio").run(_snapshot(settings_env["W2_DATABASE_URL"]))
    r = subprocess.run([sys.executable, "-m", "w2.platform.boot.cli", "consent", "rebuild-access", "--json"],
                       capture_output=True, text=True, env={**os.environ, **settings_env}, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"consent_access": len(before)}
    assert __import__("asyncio").run(_snapshot(settings_env["W2_DATABASE_URL"])) == before


async def test_no_policy_calls_a_rule_function_per_row(settings_env):
    """Every w2 policy is the inlined rule (over consent_access / membership), whichever migration made it."""
    import asyncpg

    from tests.conftest import _dsn

    conn = await asyncpg.connect(_dsn(settings_env["W2_MIGRATION_DATABASE_URL"]))
    try:
        rows = await conn.fetch("SELECT tablename, qual FROM pg_policies WHERE schemaname = 'public' "
                                "AND policyname = 'w2_case_content'")
    finally:
        await conn.close()
    assert {r["tablename"] for r in rows} >= {"agreement", "agreement_note", "meeting_note", "score_entry"}
    from w2.platform.db.rls_rules import inline_policy_for

    # A policy that is just the rule function (what the roles.py helpers used to make) must be inlined;
    # hand-written combinations may still call the functions, whose bodies are the same rules.
    slow = [r["tablename"] for r in rows if inline_policy_for(r["tablename"], r["qual"]) is not None]
    assert slow == [], f"policies still calling a rule function per row: {slow} (render them with platform/db/roles.py)"

"""Issue 13 item 8: row-level security on personal data beyond case content (raw SQL as the app role).

Workspace, job seeker, confidants, round tables with their invitees, slots, votes and the job seeker's
agreement, outbox messages and the in-app inbox: SQL that skips the policy module sees only what the
sealed scope allows, and a forged scope sees nothing at all.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import ProgrammingError

from tests.meetings.support import future, make_case, ready_meeting
from w2.platform.db.engine import make_engine
from w2.platform.db.rls_rules import personal_policies
from w2.platform.db.scope import ENTER_SQL, enter_params, fetch_key, jobseeker_scope

# Each protected table, and how to find the case's own rows in it.
ROWS_OF_CASE = {
    "workspace": "SELECT count(*) FROM workspace WHERE id = CAST(:ws AS uuid)",
    "jobseeker": "SELECT count(*) FROM jobseeker WHERE id = CAST(:js AS uuid)",
    "confidant": "SELECT count(*) FROM confidant WHERE workspace_id = CAST(:ws AS uuid)",
    "meeting": "SELECT count(*) FROM meeting WHERE workspace_id = CAST(:ws AS uuid)",
    "meeting_invitee": "SELECT count(*) FROM meeting_invitee WHERE meeting_id = CAST(:mid AS uuid)",
    "meeting_slot": "SELECT count(*) FROM meeting_slot WHERE meeting_id = CAST(:mid AS uuid)",
    "meeting_vote": "SELECT count(*) FROM meeting_vote WHERE slot_id = CAST(:slot AS uuid)",
    "meeting_jobseeker_agreement": "SELECT count(*) FROM meeting_jobseeker_agreement "
                                   "WHERE meeting_id = CAST(:mid AS uuid)",
    "outbox_message": "SELECT count(*) FROM outbox_message WHERE workspace_id = CAST(:ws AS uuid)",
    "notification": "SELECT count(*) FROM notification WHERE workspace_id = CAST(:ws AS uuid)",
}


@dataclass
class Seeded:
    case: Any
    params: dict[str, str]


@pytest.fixture
async def app_engine(settings_env):
    """An engine connecting exactly as the app does (the non-owner role)."""
    engine = make_engine(settings_env["W2_DATABASE_URL"], pooled=False)
    yield engine
    await engine.dispose()


@pytest.fixture
async def seeded(client, factory, sessionmaker) -> Seeded:
    """A case with a row in every protected table, built through the API where the API writes it."""
    from w2.notifications.models import InboxItem
    from w2.platform.models import Workspace

    case = await make_case(client, factory, sessionmaker)
    r = await client.post(f"/api/v1/workspaces/{case.wid}/confidants", headers=case.coord.headers,
                          json={"name": "Buurvrouw Els", "relation": "buur", "phone": "0470 12 34 56"})
    assert r.status_code == 201, r.text
    mid, ids = await ready_meeting(client, case)
    start = future(8, 9)
    r = await client.post(f"/api/v1/meetings/{mid}/slots", headers=case.coord.headers,
                          json={"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat(),
                                "location": "OCMW, zaal 2"})
    assert r.status_code == 201, r.text
    slot = r.json()["id"]
    r = await client.post(f"/api/v1/meetings/{mid}/slots/{slot}/votes", headers=case.coord.headers,
                          json={"invitee_id": ids["coord"], "answer": "yes"})
    assert r.status_code in (200, 201), r.text
    r = await client.post(f"/api/v1/meetings/{mid}/poll-invitations", json={}, headers=case.coord.headers)
    assert r.status_code == 202, r.text
    async with sessionmaker() as s, s.begin():
        ws = await s.scalar(select(Workspace).where(Workspace.id == uuid.UUID(case.wid)))
        # The in-app channel writes this row as background work; arranged directly here.
        s.add(InboxItem(user_id=case.coord.user_id, kind="meeting_poll", link=f"/meetings/{mid}",
                        workspace_id=ws.id))
    return Seeded(case, {"ws": case.wid, "js": str(ws.jobseeker_id), "mid": mid, "slot": slot})


async def _counts(engine, scope: dict[str, Any] | None, params: dict[str, str], forge: bool = False) -> dict[str, int]:
    """Rows of the case per table, read by raw SQL under `scope` (or under settings set by hand)."""
    out = {}
    async with engine.connect() as conn, conn.begin():
        if scope:
            await conn.execute(text(ENTER_SQL), enter_params(await fetch_key(engine.url), scope))
        if forge:
            await conn.execute(text(
                "SELECT set_config('w2.actor_kind', 'system', true), set_config('w2.agency_id', '', true), "
                "set_config('w2.workspace_id', :ws, true), set_config('w2.platform_admin', '0', true)"),
                {"ws": params["ws"]})
        for table, sql in ROWS_OF_CASE.items():
            out[table] = (await conn.execute(text(sql), params)).scalar_one()
    return out


def staff(person) -> dict[str, str]:
    return {"actor_kind": "staff", "agency_id": str(person.agency_id), "workspace_id": "", "platform_admin": "0"}


def test_every_personal_table_is_covered():
    assert set(ROWS_OF_CASE) == set(personal_policies())


async def test_the_case_is_visible_where_it_should_be(seeded, app_engine):
    """The control: the coordinator's agency, the system and the job seeker do see the rows."""
    p = seeded.params
    coord = await _counts(app_engine, staff(seeded.case.coord), p)
    assert all(n >= 1 for n in coord.values()), coord
    system = await _counts(app_engine, {"actor_kind": "system"}, p)
    assert all(n >= 1 for n in system.values()), system
    own = await _counts(app_engine, jobseeker_scope(p["ws"]), p)
    # The in-app inbox belongs to professionals; the job seeker sees their messages in the outbox rows.
    assert own.pop("notification") == 0
    assert all(n >= 1 for n in own.values()), own


async def test_forged_settings_read_nothing(seeded, app_engine):
    """set_config by hand (no w2_enter): not one row of any personal table, not even other cases'."""
    assert set((await _counts(app_engine, None, seeded.params, forge=True)).values()) == {0}
    async with app_engine.connect() as conn, conn.begin():
        await conn.execute(text("SELECT set_config('w2.actor_kind', 'system', true)"))
        for table in ROWS_OF_CASE:
            assert (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one() == 0, table


async def test_agency_outside_the_workspace_reads_nothing(seeded, app_engine, client, factory):
    outsider = await factory.person(roles=("coordinator", "worker"), kind="caw")
    # It has a case of its own, so its scope is a real one (it sees that workspace).
    from tests.factories import new_workspace

    own = await new_workspace(client, outsider)
    assert (await _counts(app_engine, staff(outsider), {**seeded.params, "ws": own["id"]}))["workspace"] == 1
    assert set((await _counts(app_engine, staff(outsider), seeded.params)).values()) == {0}


async def test_jobseeker_of_another_workspace_reads_nothing(seeded, app_engine, client, factory):
    other = await new_ws(client, factory)
    assert set((await _counts(app_engine, jobseeker_scope(other), seeded.params)).values()) == {0}
    assert (await _counts(app_engine, {"actor_kind": "anonymous"}, seeded.params)) == dict.fromkeys(ROWS_OF_CASE, 0)


async def new_ws(client, factory) -> str:
    from tests.factories import new_workspace

    return (await new_workspace(client, await factory.person(kind="ocmw")))["id"]


async def test_outsider_cannot_write_into_the_case(seeded, app_engine, client, factory):
    outsider = await factory.person(roles=("coordinator", "worker"), kind="caw")
    key = await fetch_key(app_engine.url)
    p = seeded.params
    async with app_engine.connect() as conn, conn.begin():
        await conn.execute(text(ENTER_SQL), enter_params(key, staff(outsider)))
        for sql in ("UPDATE jobseeker SET email = 'x@evil.test' WHERE id = CAST(:js AS uuid)",
                    "UPDATE workspace SET coordinating_agency_id = CAST(:agency AS uuid) WHERE id = CAST(:ws AS uuid)",
                    "UPDATE meeting SET location = 'elders' WHERE workspace_id = CAST(:ws AS uuid)",
                    "DELETE FROM meeting_invitee WHERE meeting_id = CAST(:mid AS uuid)",
                    "UPDATE outbox_message SET to_address = 'x@evil.test' WHERE workspace_id = CAST(:ws AS uuid)"):
            res = await conn.execute(text(sql), {**p, "agency": str(outsider.agency_id)})
            assert res.rowcount == 0, sql
    insert = ("INSERT INTO meeting (id, workspace_id, status, reason, goal, requested_by_kind, jobseeker_informed, "
              "jobseeker_participation, invitee_list_version, ics_uid, ics_sequence, practical_needs, children_names, "
              "updated_at, created_at) VALUES (gen_random_uuid(), CAST(:ws AS uuid), 'requested', 'x', 'x', "
              "'professional', false, 'unknown', 1, 'x', 0, '[]', '[]', now(), now())")
    async with app_engine.connect() as conn:
        with pytest.raises(ProgrammingError, match="row-level security"):
            async with conn.begin():
                await conn.execute(text(ENTER_SQL), enter_params(key, staff(outsider)))
                await conn.execute(text(insert), p)

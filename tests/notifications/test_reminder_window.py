"""The agreement reminder scan reads what became due since its last pass, and what changed since then."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from tests.factories import new_workspace
from tests.notifications.helpers import add_member, agreements, grant
from w2.consent.policy import today
from w2.meetings.agreements.models import Agreement
from w2.notifications import reminders
from w2.notifications.models import ReminderFired, ReminderScan

OVERDUE = next(r for r in reminders.RULES if r.name == "agreement-overdue")


async def _fired(sm, ids) -> set:
    async with sm() as s:
        return set(await s.scalars(select(ReminderFired.subject_id).where(
            ReminderFired.rule == OVERDUE.name, ReminderFired.subject_id.in_(ids))))


async def test_a_pass_reads_the_new_window_and_changed_rows_only(client, factory, sessionmaker):
    coord = await factory.person(roles=("coordinator", "worker"))
    ws = await new_workspace(client, coord)
    partner = await factory.person(roles=("worker",))
    await add_member(sessionmaker, ws["id"], partner.agency_id, partner.user_id)
    await grant(sessionmaker, ws["id"], partner.agency_id, ["housing"])
    day = today() + timedelta(days=40)  # a day of our own: earlier tests' passes were for other days
    first = await agreements(sessionmaker, ws["id"], 3, due_in=30, agency_id=partner.agency_id)
    await reminders.run_rule(sessionmaker, OVERDUE, day)
    assert await _fired(sessionmaker, first) == set(first)
    async with sessionmaker() as s:
        mark = await s.get(ReminderScan, OVERDUE.name)
        assert mark.through == day - timedelta(days=1)

    # Next day: one agreement became due yesterday; one old row that no pass will read again (untouched
    # since before the last pass, as if fired by a pass whose ledger row was lost); one old row changed now.
    new = await agreements(sessionmaker, ws["id"], 1, due_in=40, agency_id=partner.agency_id)
    untouched = await agreements(sessionmaker, ws["id"], 1, due_in=10, agency_id=partner.agency_id)
    changed = await agreements(sessionmaker, ws["id"], 1, due_in=11, agency_id=partner.agency_id)
    long_ago = datetime.now(UTC) - timedelta(days=30)
    async with sessionmaker() as s, s.begin():
        await s.execute(update(Agreement).where(Agreement.id.in_(untouched)).values(updated_at=long_ago)
                        .execution_options(synchronize_session=False))
    await reminders.run_rule(sessionmaker, OVERDUE, day + timedelta(days=1))
    assert await _fired(sessionmaker, new + changed) == set(new + changed)
    assert await _fired(sessionmaker, untouched) == set()  # below the window and unchanged: not read
    # The same day again: nothing new, nothing fires twice.
    assert await reminders.run_rule(sessionmaker, OVERDUE, day + timedelta(days=1)) == 0

"""The demo case on the embedded SQLite database: its due agreements produce reminders, once."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from w2.notifications import reminders
from w2.platform.boot.demo import seed
from w2.platform.db.engine import make_engine, make_sessionmaker
from w2.platform.db.migrate import upgrade
from w2.platform.outbox import OutboxMessage


async def test_demo_agreements_due_soon_and_overdue_are_reminded_on_sqlite(tmp_path, settings_env):
    url = f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}"
    await asyncio.to_thread(upgrade, url)
    engine = make_engine(url)
    sm = make_sessionmaker(engine)
    try:
        async with sm() as s, s.begin():
            s.info["kick_relay"] = False
            assert await seed(s)
        assert await reminders.run_all(sm) == 2  # due in -1 and 2 days; 10 and 30 days are not due yet
        assert await reminders.run_all(sm) == 0
        async with sm() as s:
            rows = (await s.execute(select(OutboxMessage.kind, OutboxMessage.to_address)
                                    .where(OutboxMessage.channel == "email"))).all()
        assert sorted(rows) == [("agreement_due", "thuisbegeleider@thuis.demo"),
                                ("agreement_overdue", "coordinator@ocmw.demo")]
    finally:
        await engine.dispose()

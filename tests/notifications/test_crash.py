"""Reliability on real parts: a SIGKILLed worker and a flushed Redis lose no reminder and send none twice."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import uuid

import redis
from sqlalchemy import func, select

from tests.factories import new_workspace
from tests.notifications.helpers import add_member, agreements, grant
from tests.notifications.procs import Procs, until
from w2.notifications import reminders
from w2.notifications.models import InboxItem
from w2.platform.outbox import OutboxMessage

N = 500
# Other runs of this suite (other checkouts) share the Redis server, even a "spare" database: the
# test therefore loses exactly its own queue's keys, which is what a flush means to this run.
FLUSH_DB = 11


async def _case_with_due_agreements(client, factory, sessionmaker, n: int):
    coord = await factory.person()
    ws = await new_workspace(client, coord)
    partner = await factory.person(roles=("worker",))
    await add_member(sessionmaker, ws["id"], partner.agency_id, partner.user_id)
    await grant(sessionmaker, ws["id"], partner.agency_id, ["housing"])
    await agreements(sessionmaker, ws["id"], n, due_in=2, agency_id=partner.agency_id)
    return ws, partner


async def _statuses(sessionmaker, ws_id: str) -> dict[tuple[str, str], int]:
    async with sessionmaker() as s:
        rows = await s.execute(
            select(OutboxMessage.channel, OutboxMessage.status, func.count())
            .where(OutboxMessage.workspace_id == uuid.UUID(ws_id))
            .group_by(OutboxMessage.channel, OutboxMessage.status))
        return {(c, st): n for c, st, n in rows}


async def _all_sent(sessionmaker, ws_id: str) -> bool:
    st = await _statuses(sessionmaker, ws_id)
    return st.get(("email", "sent")) == N and st.get(("inapp", "sent")) == N


def _received(mailbox, address: str) -> tuple[int, int]:
    keys = [str(m["X-W2-Key"]) for m in mailbox.to(address)]
    return len(keys), len(set(keys))


async def test_a_worker_sigkilled_mid_way_every_reminder_arrives_once(client, factory, sessionmaker, mailbox,
                                                                      tmp_path, capsys):
    ws, partner = await _case_with_due_agreements(client, factory, sessionmaker, N)
    # Re-drive only what the killed worker held: later than the backlog needs to drain.
    procs = Procs(tmp_path, W2_OUTBOX_REDRIVE_SECONDS="15", W2_BEAT_SECONDS="2",
                  W2_QUEUE=f"w2-kill-{uuid.uuid4().hex[:8]}")
    try:
        import time
        t0 = time.monotonic()
        procs.beat()  # scans the schedules and runs the relay every second
        first = procs.worker("worker1")
        await mailbox.wait_for(1, timeout=180, address=partner.email)
        t1 = time.monotonic()
        await mailbox.wait_for(N // 4, timeout=180, address=partner.email)
        t2 = time.monotonic()
        children = procs.sigkill(first)
        at_kill, _ = _received(mailbox, partner.email)
        pending_at_kill = await _statuses(sessionmaker, ws["id"])
        procs.worker("worker2")
        await until(lambda: _all_sent(sessionmaker, ws["id"]), 300, interval=0.5, what="all reminders sent")
        t3 = time.monotonic()
        await mailbox.wait_for(N, timeout=20, address=partner.email)
        with capsys.disabled():
            print(f"first mail {t1-t0:.1f}s, quarter {t2-t0:.1f}s, all sent {t3-t0:.1f}s")
        await asyncio.sleep(3)  # a late duplicate would arrive in this window
        total, distinct = _received(mailbox, partner.email)
        async with sessionmaker() as s:
            inbox = await s.scalar(select(func.count()).select_from(InboxItem).where(
                InboxItem.user_id == partner.user_id))
        with capsys.disabled():
            print(f"\n(a) {N} due reminders; worker (pid {first.pid}, children {children}) SIGKILLed after "
                  f"{at_kill} mails (outbox then: {pending_at_kill}); after restart: {total} mails received, "
                  f"{distinct} distinct, {total - distinct} duplicates; {inbox} inbox items")
        # Nothing is lost. A mail goes out twice only if a pool process dies in the instant between
        # the SMTP server's "250" and our COMMIT (Celery's children die with their parent), so at
        # most one per pool process; the shared Message-ID lets a mail client fold such a pair.
        assert distinct == N and inbox == N
        assert total - distinct <= 2, f"{total - distinct} duplicates"
    finally:
        procs.close()


async def test_b_redis_flushed_while_pending_all_arrive_after_redrive(client, factory, sessionmaker, mailbox,
                                                                     tmp_path, capsys):
    broker = f"redis://127.0.0.1:6379/{FLUSH_DB}"
    queue = f"w2-flush-{uuid.uuid4().hex[:8]}"
    ws, partner = await _case_with_due_agreements(client, factory, sessionmaker, N)
    await reminders.run_all(sessionmaker)
    assert (await _statuses(sessionmaker, ws["id"])) == {("email", "pending"): N, ("inapp", "pending"): N}
    procs = Procs(tmp_path, W2_BROKER_URL=broker, W2_QUEUE=queue, W2_OUTBOX_REDRIVE_SECONDS="8",
                  W2_BEAT_SECONDS="2")
    r = redis.Redis.from_url(broker)
    try:
        # The relay hands every mail to the broker (no worker is running yet; it writes the in-app
        # items itself) ...
        out = subprocess.run([sys.executable, "-c", "from w2.platform.boot.worker import configure; configure(); "
                              "from w2.platform.tasks import relay; print(relay())"], env=procs.env, check=True,
                             timeout=180, capture_output=True, text=True)
        queued = r.llen(queue)
        after_relay = await _statuses(sessionmaker, ws["id"])
        assert queued >= N, (out.stdout, out.stderr[-3000:], after_relay, r.keys("*"))
        # ... and then Redis loses them all.
        lost = r.keys(f"*{queue}*")
        r.delete(*lost)
        assert r.llen(queue) == 0 and not r.keys(f"*{queue}*")
        procs.beat()
        procs.worker()
        await until(lambda: _all_sent(sessionmaker, ws["id"]), 300, interval=0.5,
                    what="all reminders sent after re-drive")
        await mailbox.wait_for(N, timeout=20, address=partner.email)
        await asyncio.sleep(2)
        total, distinct = _received(mailbox, partner.email)
        with capsys.disabled():
            print(f"\n(b) {N} reminders ({queued} mail tasks) queued, Redis lost them (db {FLUSH_DB}, keys {len(lost)}); after re-drive: "
                  f"{total} mails received, {distinct} distinct, {total - distinct} duplicates")
        assert distinct == N and total == N
    finally:
        procs.close()
        leftovers = r.keys(f"*{queue}*")
        if leftovers:
            r.delete(*leftovers)
        r.close()

"""Reliability on real parts, with one worker and one beat process for the module: rollback, poison, digests."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from tests.notifications.helpers import prefer
from tests.notifications.procs import Procs, until
from w2.notifications import service
from w2.notifications.models import InboxItem
from w2.platform.outbox import OutboxMessage, enqueue


@pytest.fixture(scope="module")
def stack(settings_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Procs]:
    """A prefork worker and a beat process, as deployed, with short delays."""
    procs = Procs(tmp_path_factory.mktemp("procs"), W2_QUEUE=f"w2-rel-{uuid.uuid4().hex[:8]}")
    procs.worker()
    procs.beat()
    yield procs
    procs.close()


async def _row(sessionmaker, key: str) -> OutboxMessage | None:
    async with sessionmaker() as s:
        return await s.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == key))


async def test_c_rolled_back_transaction_leaves_no_message(stack, factory, sessionmaker, mailbox):
    p = await factory.person()
    lost, kept = f"rolled-back:{uuid.uuid4()}", f"committed:{uuid.uuid4()}"
    with pytest.raises(RuntimeError):
        async with sessionmaker() as s, s.begin():
            who = await service.user_recipient(s, p.user_id)
            await service.notify(s, who, kind="agreement_due", key=lost, path="/", workspace_id=None)
            await s.flush()
            raise RuntimeError("the business change failed after the message was queued")
    async with sessionmaker() as s, s.begin():
        who = await service.user_recipient(s, p.user_id)
        await service.notify(s, who, kind="agreement_overdue", key=kept, path="/", workspace_id=None)
    got = await mailbox.wait_for(1, address=p.email, timeout=120)
    await asyncio.sleep(2)  # the worker and beat keep running: nothing else may turn up
    assert [str(m["X-W2-Key"]) for m in mailbox.to(p.email)] == [kept] and got
    async with sessionmaker() as s:
        n = await s.scalar(select(func.count()).select_from(OutboxMessage)
                           .where(OutboxMessage.idempotency_key.like(f"{lost}%")))
    assert n == 0


async def test_d_poison_message_retried_at_most_n_times_then_failed_and_shown_to_admin(
        stack, client, factory, sessionmaker, mailbox):
    admin = await factory.person(roles=("agency_admin",))
    worker = await factory.person(agency_id=admin.agency_id, roles=("worker",))
    key = f"poison:{uuid.uuid4()}"
    async with sessionmaker() as s, s.begin():
        # A payload the renderer chokes on every time (not a permanent error class): retried, then given up.
        await enqueue(s, key=key, kind="digest", to_address=worker.email, recipient_user_id=worker.user_id,
                      agency_id=admin.agency_id, params={"name": "X", "link": "http://x", "counts": "kapot"})

    async def failed() -> OutboxMessage | None:
        row = await _row(sessionmaker, key)
        return row if row is not None and row.status == "failed" else None

    row = await until(failed, 120, what="poison message marked failed")
    assert row.attempts == 3  # W2_OUTBOX_MAX_ATTEMPTS in the test environment
    assert "AttributeError" in row.last_error
    await asyncio.sleep(2)
    assert (await _row(sessionmaker, key)).attempts == 3  # no attempt after giving up
    assert mailbox.to(worker.email) == []
    r = await client.get("/api/v1/outbox/failed", headers=admin.headers)
    assert r.status_code == 200
    item = next(i for i in r.json()["items"] if i["id"] == str(row.id))
    assert item["attempts"] == 3 and item["status"] == "failed"


async def test_e_two_beat_processes_send_each_digest_once(stack, factory, sessionmaker, mailbox):
    stack.beat("beat2")
    await until(lambda: asyncio.sleep(0, "notifications-digest" in stack.log("beat2")), 90, what="second beat")
    p = await factory.person()
    async with sessionmaker() as s, s.begin():
        for kind in ("agreement_due", "agreement_due", "agreement_due", "meeting_tomorrow"):
            s.add(InboxItem(user_id=p.user_id, kind=kind, link="http://x"))
    await prefer(sessionmaker, p.user_id, digest=True)
    got = await mailbox.wait_for(1, address=p.email, timeout=120)
    before = (stack.log("beat").count("notifications-digest"), stack.log("beat2").count("notifications-digest"))
    await asyncio.sleep(4)  # both beats keep asking for digests every second
    after = (stack.log("beat").count("notifications-digest"), stack.log("beat2").count("notifications-digest"))
    assert after[0] > before[0] and after[1] > before[1]
    assert len(mailbox.to(p.email)) == 1
    body = got[0].get_body(preferencelist=("plain",)).get_content()
    assert "3 afspraken vervallen deze week" in body and "1 overleg morgen" in body
    async with sessionmaker() as s:
        n = await s.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.idempotency_key.like(f"digest:{p.user_id}:%")))
    assert n == 1

"""Adding a member sends one mail through outbox -> relay -> real worker -> real SMTP server."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from tests.factories import new_workspace
from w2.platform.outbox import OutboxMessage


async def _wait_status(sessionmaker, key: str, status: str, timeout: float = 30) -> OutboxMessage:
    end = asyncio.get_running_loop().time() + timeout
    while True:
        async with sessionmaker() as s:
            row = await s.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == key))
        if row is not None and row.status == status:
            return row
        if asyncio.get_running_loop().time() > end:
            raise AssertionError(f"outbox row {key} is {row.status if row else 'missing'}, wanted {status}")
        await asyncio.sleep(0.2)


async def test_member_added_mail_arrives_exactly_once(client, factory, mailbox, celery_worker, sessionmaker):
    from w2.platform.celery_app import celery_app

    coord = await factory.person(kind="ocmw")
    contact = await factory.person(kind="vdab", roles=("worker",), name="Tom Trajectbegeleider")
    ws = await new_workspace(client, coord, given_name="Geheime", family_name="Naam")
    r = await client.post(f"/api/v1/workspaces/{ws['id']}/members", headers=coord.headers,
                          json={"agency_id": str(contact.agency_id), "question_type": "doorverwijzing",
                                "question": "Schulden en gezondheid bespreken",
                                "contact_user_id": str(contact.user_id)})
    assert r.status_code == 201
    async with sessionmaker() as s:
        row = await s.scalar(select(OutboxMessage).where(OutboxMessage.recipient_user_id == contact.user_id))
    assert row is not None and row.kind == "member_added"
    got = await mailbox.wait_for(1, address=contact.email)
    sent = await _wait_status(sessionmaker, row.idempotency_key, "sent")
    assert sent.attempts == 1 and sent.sent_at is not None
    # Running the relay and the sender again must not send it twice.
    celery_app.send_task("w2.outbox.relay")
    celery_app.send_task("w2.outbox.deliver", args=[str(row.id)])
    await asyncio.sleep(2.0)
    assert len(mailbox.to(contact.email)) == 1
    mail = got[0]
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert f"/workspaces/{ws['id']}" in body
    # No case content: not the name, not the question.
    for secret in ("Geheime", "Naam", "Schulden", "gezondheid"):
        assert secret not in body and secret not in str(mail["Subject"])


async def test_failed_delivery_is_retried_later_not_lost(client, factory, sessionmaker, settings_env):
    """An unreachable SMTP server leaves the message pending with a reason and a later attempt time."""
    import os

    from w2.platform import runtime
    from w2.platform.settings import get_settings
    from w2.platform.tasks import deliver_one

    coord = await factory.person()
    contact = await factory.person(roles=("worker",))
    ws = await new_workspace(client, coord)
    await client.post(f"/api/v1/workspaces/{ws['id']}/members", headers=coord.headers,
                      json={"agency_id": str(contact.agency_id), "question_type": "advies",
                            "contact_user_id": str(contact.user_id)})
    async with sessionmaker() as s:
        row = await s.scalar(select(OutboxMessage).where(OutboxMessage.recipient_user_id == contact.user_id))
    from tests.conftest import free_port

    os.environ["W2_SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"
    get_settings.cache_clear()
    try:
        status = await asyncio.to_thread(runtime.run, lambda sm: deliver_one(sm, row.id))
    finally:
        os.environ["W2_SMTP_URL"] = settings_env["W2_SMTP_URL"]
        get_settings.cache_clear()
    assert status == "pending"
    async with sessionmaker() as s:
        again = await s.get(OutboxMessage, row.id)
    assert again.status == "pending" and again.attempts == 1 and again.last_error
    assert again.next_attempt_at > again.created_at

"""Notifications without a worker process: rules, channels, preferences, inbox, send-time checks."""

from __future__ import annotations

import asyncio
import os
import uuid
from datetime import timedelta

from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from tests.conftest import Mailbox, free_port
from tests.factories import new_workspace
from tests.notifications.helpers import add_member, agreements, drain, grant, messages, prefer, revoke
from w2.consent.policy import today
from w2.notifications import digests, reminders
from w2.notifications.models import InboxItem
from w2.platform.db.base import utcnow
from w2.platform.outbox import OutboxMessage, enqueue
from w2.platform.settings import get_settings
from w2.platform.tasks import deliver_one


async def _case(client, factory, sessionmaker, *, domain="housing", **jobseeker):
    coord = await factory.person(roles=("coordinator", "worker", "agency_admin"))
    ws = await new_workspace(client, coord, **jobseeker)
    partner = await factory.person(roles=("worker",))
    await add_member(sessionmaker, ws["id"], partner.agency_id, partner.user_id)
    consent_id = await grant(sessionmaker, ws["id"], partner.agency_id, [domain])
    return coord, ws, partner, consent_id


async def test_preferences_reject_unknown_channel_and_language(client, factory):
    p = await factory.person()
    r = await client.put("/api/v1/notifications/preferences", json={"channel": "fax"}, headers=p.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["key"] == "channel"
    r = await client.put("/api/v1/notifications/preferences", json={"language": "xx"}, headers=p.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["key"] == "language"
    r = await client.put("/api/v1/notifications/preferences", json={"channel": "sms", "language": "fr",
                                                                  "digest": True}, headers=p.headers)
    assert r.status_code == 200, r.text
    r = await client.get("/api/v1/notifications/preferences", headers=p.headers)
    assert r.json() == {"channel": "sms", "language": "fr", "digest": True}
    assert (await client.get("/api/v1/notifications")).status_code == 401


async def test_agreement_reminders_fire_once_without_case_content(client, factory, sessionmaker, mailbox):
    coord, ws, partner, _ = await _case(client, factory, sessionmaker)
    due = await agreements(sessionmaker, ws["id"], due_in=2, agency_id=partner.agency_id)
    late = await agreements(sessionmaker, ws["id"], due_in=-1, agency_id=partner.agency_id)
    await agreements(sessionmaker, ws["id"], due_in=10, agency_id=partner.agency_id)
    await reminders.run_all(sessionmaker)
    await reminders.run_all(sessionmaker)  # a second scan (or a second beat) fires nothing new
    d = today()
    keys = {m.idempotency_key for m in await messages(sessionmaker, "agreement-")
            if m.workspace_id == __import__("uuid").UUID(ws["id"])}
    assert keys == {f"agreement-due-3d:{due[0]}:{d + timedelta(days=2)}",
                    f"agreement-due-3d:{due[0]}:{d + timedelta(days=2)}:inapp",
                    f"agreement-overdue:{late[0]}:{d - timedelta(days=1)}",
                    f"agreement-overdue:{late[0]}:{d - timedelta(days=1)}:inapp"}
    await drain(sessionmaker)
    got = await mailbox.wait_for(2, address=partner.email)
    assert len(got) == 2
    for m in got:
        body = m.get_body(preferencelist=("plain",)).get_content()
        assert "Geheime afspraak" not in body and "Huisvesting" not in body and "Test" not in body
        assert "/afspraken#a-" in body
    # the in-app inbox
    r = await client.get("/api/v1/notifications", headers=partner.headers)
    assert r.status_code == 200
    inbox = r.json()
    assert inbox["unread"] == 2 and {i["kind"] for i in inbox["items"]} == {"agreement_due", "agreement_overdue"}
    nid = inbox["items"][0]["id"]
    assert (await client.post(f"/api/v1/notifications/{nid}/read", headers=coord.headers)).status_code == 404
    r = await client.post(f"/api/v1/notifications/{nid}/read", headers=partner.headers)
    assert r.status_code == 200 and r.json()["read_at"]
    assert (await client.get("/api/v1/notifications", headers=partner.headers)).json()["unread"] == 1
    assert (await client.get("/api/v1/notifications", headers=coord.headers)).json()["items"] == []


async def test_revoked_consent_cancels_queued_reminder(client, factory, sessionmaker, mailbox):
    _, ws, partner, consent_id = await _case(client, factory, sessionmaker, domain="finances")
    await agreements(sessionmaker, ws["id"], due_in=1, domain="finances", agency_id=partner.agency_id)
    await reminders.run_all(sessionmaker)
    await revoke(sessionmaker, consent_id)
    await drain(sessionmaker)
    rows = [m for m in await messages(sessionmaker, "agreement-due-3d") if m.recipient_user_id == partner.user_id]
    assert len(rows) == 2 and {m.status for m in rows} == {"cancelled"}
    assert "ingetrokken" in rows[0].last_error
    await asyncio.sleep(0.5)
    assert mailbox.to(partner.email) == []


async def test_sms_channel_writes_to_the_sink(client, factory, sessionmaker):
    _, ws, partner, _ = await _case(client, factory, sessionmaker)
    await prefer(sessionmaker, partner.user_id, channel="sms", phone="+32 470 12 34 56")
    [aid] = await agreements(sessionmaker, ws["id"], due_in=0, agency_id=partner.agency_id)
    await reminders.run_all(sessionmaker)
    await drain(sessionmaker)
    files = [f for f in (get_settings().storage_dir / "sms").glob("*.txt") if "+32 470 12 34 56" in f.read_text()]
    texts = [f.read_text() for f in files if f"/afspraken#a-{aid}" in f.read_text()]
    assert len(texts) == 1 and "Geheime" not in texts[0]


async def test_consent_ending_tells_jobseeker_and_coordinator_once(client, factory, sessionmaker, mailbox):
    coord, ws, partner, _ = await _case(client, factory, sessionmaker, email="js-end@test.w2")
    end = today() + timedelta(days=14)
    await grant(sessionmaker, ws["id"], partner.agency_id, ["health"], valid_until=end)
    await grant(sessionmaker, ws["id"], coord.agency_id, ["health"], valid_until=end)
    await reminders.run_all(sessionmaker)
    await drain(sessionmaker)
    js = await mailbox.wait_for(1, address="js-end@test.w2")
    await mailbox.wait_for(1, address=coord.email)
    await asyncio.sleep(0.3)
    assert len(mailbox.to("js-end@test.w2")) == 1 and len(mailbox.to(coord.email)) == 1
    body = js[0].get_body(preferencelist=("plain",)).get_content()
    assert "Je toestemming" in body or "je" in body and "/portal" in body
    assert "Gezondheid" not in body


async def test_jobseeker_owner_gets_plain_language_in_their_language(client, factory, sessionmaker, mailbox):
    from w2.notifications.service import set_agreement_reminders
    from w2.platform.models import Workspace

    # By default the job seeker gets no reminders about their own agreements (no nagging) ...
    _, quiet, _, _ = await _case(client, factory, sessionmaker, email="js-quiet@test.w2")
    await agreements(sessionmaker, quiet["id"], due_in=-3, owner_kind="jobseeker")
    # ... only after opting in on their own pages.
    _, ws, _, _ = await _case(client, factory, sessionmaker, email="js-fr@test.w2", preferred_language="fr")
    async with sessionmaker() as s, s.begin():
        await set_agreement_reminders(s, (await s.get(Workspace, uuid.UUID(ws["id"]))).jobseeker_id, True)
    await agreements(sessionmaker, ws["id"], due_in=-3, owner_kind="jobseeker")
    await reminders.run_all(sessionmaker)
    await drain(sessionmaker)
    got = await mailbox.wait_for(1, address="js-fr@test.w2")
    assert got[0]["Subject"] == "Un accord est en retard"
    assert "/portal" in got[0].get_body(preferencelist=("plain",)).get_content()
    assert mailbox.to("js-quiet@test.w2") == []


async def test_malformed_address_fails_with_reason_visible_to_own_agency_admin(client, factory, sessionmaker):
    admin = await factory.person(roles=("agency_admin",))
    other_admin = await factory.person(roles=("agency_admin",))
    worker = await factory.person(agency_id=admin.agency_id, roles=("worker",))
    async with sessionmaker() as s, s.begin():
        s.info["kick_relay"] = False
        msg = await enqueue(s, key=f"test-bad-address:{admin.user_id}", kind="member_added", to_address="nobody@@x",
                            params={"name": "X", "link": "http://x"}, agency_id=admin.agency_id)
        await s.flush()
        mid = msg.id
    assert await deliver_one(sessionmaker, mid) == "failed"
    r = await client.get("/api/v1/outbox/failed", headers=admin.headers)
    assert r.status_code == 200
    item = next(i for i in r.json()["items"] if i["id"] == str(mid))
    assert "ongeldig e-mailadres" in item["last_error"] and item["attempts"] == 1
    r = await client.get("/api/v1/outbox/failed", headers=other_admin.headers)
    assert str(mid) not in {i["id"] for i in r.json()["items"]}
    assert (await client.get("/api/v1/outbox/failed", headers=worker.headers)).status_code == 403
    r = await client.post(f"/api/v1/outbox/{mid}/retry", headers=other_admin.headers)
    assert r.status_code == 404
    r = await client.post(f"/api/v1/outbox/{mid}/retry", headers=admin.headers)
    assert r.status_code == 200 and r.json()["status"] == "pending"


async def test_unreachable_smtp_keeps_messages_pending_until_it_returns(factory, sessionmaker, monkeypatch):
    port = free_port()
    monkeypatch.setenv("W2_SMTP_URL", f"smtp://127.0.0.1:{port}")
    get_settings.cache_clear()
    p = await factory.person()
    try:
        async with sessionmaker() as s, s.begin():
            s.info["kick_relay"] = False
            msg = await enqueue(s, key=f"test-down:{p.user_id}", kind="member_added", to_address=p.email,
                                params={"name": "X", "link": "http://x"})
            await s.flush()
            mid = msg.id
        for _ in range(3):
            assert await deliver_one(sessionmaker, mid) == "pending"
        async with sessionmaker() as s:
            row = await s.get(OutboxMessage, mid)
            assert row.attempts == 3 and row.status == "pending" and "Connect" in row.last_error
        box = Mailbox()
        ctl = Controller(box, hostname="127.0.0.1", port=port)
        ctl.start()
        try:
            async with sessionmaker() as s, s.begin():
                await s.execute(update(OutboxMessage).where(OutboxMessage.id == mid).values(next_attempt_at=utcnow()))
            assert await deliver_one(sessionmaker, mid) == "sent"
            await box.wait_for(1, address=p.email)
        finally:
            ctl.stop()
    finally:
        monkeypatch.setenv("W2_SMTP_URL", os.environ["W2_SMTP_URL"])
        monkeypatch.undo()
        get_settings.cache_clear()


async def test_digest_is_queued_once_even_when_run_concurrently(client, factory, sessionmaker, monkeypatch):
    p = await factory.person()
    await prefer(sessionmaker, p.user_id, digest=True)
    async with sessionmaker() as s, s.begin():
        for kind in ("agreement_due", "agreement_due", "agreement_due", "meeting_tomorrow"):
            s.add(InboxItem(user_id=p.user_id, kind=kind, link="http://x"))
    now = utcnow()
    from zoneinfo import ZoneInfo

    monkeypatch.setenv("W2_DIGEST_HOUR", str(now.astimezone(ZoneInfo(get_settings().timezone)).hour))
    results = await asyncio.gather(*(digests.run_digests(sessionmaker, now) for _ in range(4)))
    assert sum(results) >= 1
    rows = await messages(sessionmaker, f"digest:{p.user_id}")
    assert len(rows) == 1 and rows[0].params["counts"] == {"agreement_due": 3, "meeting_tomorrow": 1}
    monkeypatch.setenv("W2_DIGEST_HOUR", str((now.astimezone(ZoneInfo(get_settings().timezone)).hour + 1) % 24))
    assert await digests.run_digests(sessionmaker, now) == 0


async def test_member_added_mail_still_goes_out(client, factory, sessionmaker, mailbox):
    coord = await factory.person()
    ws = await new_workspace(client, coord)
    other = await factory.person()
    r = await client.post(f"/api/v1/workspaces/{ws['id']}/members", headers=coord.headers,
                          json={"agency_id": str(other.agency_id), "contact_user_id": str(other.user_id),
                                "question_type": "advies"})
    assert r.status_code == 201, r.text
    await drain(sessionmaker)
    got = await mailbox.wait_for(1, address=other.email)
    assert "werkruimte" in got[0]["Subject"]
    async with sessionmaker() as s:
        assert (await s.scalar(select(OutboxMessage.status).where(
            OutboxMessage.idempotency_key.like("member-added:%"), OutboxMessage.to_address == other.email))) == "sent"


async def test_jobseeker_preferring_sms_hears_of_a_recorded_consent_by_sms(client, factory, sessionmaker):
    coord = await factory.person()
    ws = await new_workspace(client, coord, phone="+32 489 11 22 33")
    url = f"/api/v1/workspaces/{ws['id']}/jobseeker/notification-preferences"
    assert (await client.put(url, json={"channel": "inapp"}, headers=coord.headers)).status_code == 422
    assert (await client.put(url, json={"language": "zz"}, headers=coord.headers)).status_code == 422
    other = await factory.person()
    assert (await client.put(url, json={"channel": "sms"}, headers=other.headers)).status_code == 404
    r = await client.put(url, json={"channel": "sms", "language": "nl"}, headers=coord.headers)
    assert r.status_code == 200 and r.json() == {"channel": "sms", "language": "nl"}
    r = await client.post(f"/api/v1/workspaces/{ws['id']}/consents", headers=coord.headers,
                          json={"agency_id": str(coord.agency_id), "purpose": "information_sharing",
                                "life_domains": ["health"], "method": "signed_form"})
    assert r.status_code == 201, r.text
    await drain(sessionmaker)
    texts = [f.read_text() for f in (get_settings().storage_dir / "sms").glob("*.txt")]
    mine = [t for t in texts if "+32 489 11 22 33" in t]
    assert len(mine) == 1 and "/portal" in mine[0] and "Gezondheid" not in mine[0]


async def test_reminder_for_an_agreement_finished_meanwhile_is_cancelled(client, factory, sessionmaker, mailbox):
    from w2.meetings.agreements.models import Agreement

    _, ws, partner, _ = await _case(client, factory, sessionmaker)
    (aid,) = await agreements(sessionmaker, ws["id"], due_in=1, agency_id=partner.agency_id)
    await reminders.run_all(sessionmaker)
    async with sessionmaker() as s, s.begin():
        (await s.get(Agreement, aid)).status = "done"
    await drain(sessionmaker)
    rows = [m for m in await messages(sessionmaker, f"agreement-due-3d:{aid}")]
    assert len(rows) == 2 and {m.status for m in rows} == {"cancelled"} and "afgerond" in rows[0].last_error

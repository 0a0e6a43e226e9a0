"""Staff send the job seeker a sign-in link; the link exists only in the job seeker's own mail or SMS."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select

from tests.factories import new_workspace
from tests.portal.helpers import (
    PASSWORD,
    csrf,
    deliver_pending,
    fresh_client,
    link_in,
    signs_in_as_jobseeker,
    staff_sign_in,
    usable_tokens,
)
from w2.platform.outbox import OutboxMessage


def test_addresses_are_masked():
    from w2.platform.portal_invitations import mask_email, mask_phone

    assert mask_phone("+32 470 12 34 12") == "+32 4** ** ** 12"
    assert mask_phone("0470/12.34.12") == "+32 4** ** ** 12"
    assert mask_phone("0032470123412") == "+32 4** ** ** 12"
    assert mask_email("jana.peeters@example.be") == "j***@example.be"


async def test_api_sends_a_link_by_email_that_only_the_mailbox_holds(app, client, factory, sessionmaker, mailbox):
    coord = await factory.person(roles=("coordinator", "worker"))
    addr = f"{uuid.uuid4().hex[:8]}@example.be"
    ws = await new_workspace(client, coord, email=addr, phone="0470 12 34 12")
    wid = uuid.UUID(ws["id"])
    r = await client.post(f"/api/v1/workspaces/{wid}/portal-invitations", json={"channel": "email"},
                          headers=coord.headers)
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["channel"] == "email" and body["sent_to"] == f"{addr[0]}***@example.be"
    assert uuid.UUID(body["id"]) and "/portal/in/" not in r.text
    # Nothing to sign in with yet: the link does not exist before delivery.
    async with sessionmaker() as s:
        rows = list(await s.scalars(select(OutboxMessage).where(OutboxMessage.workspace_id == wid,
                                                                OutboxMessage.kind == "portal_invitation")))
    assert len(rows) == 1 and "link" not in rows[0].params
    assert await deliver_pending(sessionmaker, wid) == ["sent"]
    mail = (await mailbox.wait_for(1, address=addr))[0]
    text = mail.get_body(("plain",)).get_content()
    assert "je eigen pagina's" in text and "werkt maar één keer" in text
    token = link_in(text)
    # The stored row still holds no link, and neither does its key or error.
    async with sessionmaker() as s:
        row = await s.get(OutboxMessage, rows[0].id)
        stored = f"{row.params} {row.idempotency_key} {row.last_error} {row.to_address}"
    assert row.status == "sent" and token not in stored and not await usable_tokens(sessionmaker, stored)
    assert await signs_in_as_jobseeker(client, token)
    assert not await signs_in_as_jobseeker(client, token)  # one time only


async def test_sms_goes_to_the_own_phone_and_a_new_invitation_voids_the_old_link(app, client, factory,
                                                                                 sessionmaker, settings_env):
    from pathlib import Path

    coord = await factory.person(roles=("coordinator", "worker"))
    ws = await new_workspace(client, coord, phone="+32 470 99 88 12")
    wid = uuid.UUID(ws["id"])
    url = f"/api/v1/workspaces/{wid}/portal-invitations"
    r = await client.post(url, json={"channel": "sms"}, headers=coord.headers)
    assert r.status_code == 202 and r.json()["sent_to"] == "+32 4** ** ** 12", r.text
    assert await deliver_pending(sessionmaker, wid) == ["sent"]
    folder = Path(settings_env["W2_STORAGE_DIR"]) / "sms"
    first_file = [f for f in folder.glob("*.txt") if r.json()["id"] in f.name]
    assert len(first_file) == 1
    sms = first_file[0].read_text(encoding="utf-8")
    assert sms.startswith("Aan: +32470998812") and "eigen pagina's" in sms
    first = link_in(sms)
    r2 = await client.post(url, json={"channel": "sms"}, headers=coord.headers)
    assert r2.status_code == 202
    # The new invitation voids the unused link at once, before its own message even leaves.
    assert not await signs_in_as_jobseeker(client, first)
    assert await deliver_pending(sessionmaker, wid) == ["sent"]
    second = link_in(next(f for f in folder.glob("*.txt") if r2.json()["id"] in f.name).read_text())
    assert second != first and await signs_in_as_jobseeker(client, second)


async def test_an_older_invitation_still_queued_is_not_sent_after_a_newer_one(client, factory, sessionmaker):
    coord = await factory.person(roles=("coordinator", "worker"))
    ws = await new_workspace(client, coord, email=f"{uuid.uuid4().hex[:8]}@example.be")
    wid = uuid.UUID(ws["id"])
    for _ in range(2):
        r = await client.post(f"/api/v1/workspaces/{wid}/portal-invitations", json={"channel": "email"},
                              headers=coord.headers)
        assert r.status_code == 202
    assert sorted(await deliver_pending(sessionmaker, wid)) == ["cancelled", "sent"]


async def test_refusals_are_clear_and_change_nothing(client, factory, sessionmaker):
    coord = await factory.person(roles=("coordinator", "worker"))
    ws = await new_workspace(client, coord, email=f"{uuid.uuid4().hex[:8]}@example.be")
    wid = ws["id"]
    url = f"/api/v1/workspaces/{wid}/portal-invitations"
    r = await client.post(url, json={"channel": "sms"}, headers=coord.headers)
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    assert "geen gsm-nummer" in r.json()["detail"]
    r = await client.post(url, json={"channel": "fax"}, headers=coord.headers)
    assert r.status_code == 422
    outsider = await factory.person(roles=("coordinator", "worker"))
    assert (await client.post(url, json={"channel": "email"}, headers=outsider.headers)).status_code == 404
    admin = await factory.person(agency_id=coord.agency_id, roles=("platform_admin",))
    # The platform admin sees no workspace at all (security.md): refused as unknown.
    assert (await client.post(url, json={"channel": "email"}, headers=admin.headers)).status_code in (403, 404)
    async with sessionmaker() as s:
        count = len(list(await s.scalars(select(OutboxMessage.id).where(
            OutboxMessage.workspace_id == uuid.UUID(wid), OutboxMessage.kind == "portal_invitation"))))
    assert count == 0


async def test_workspace_page_button_sends_and_shows_only_the_masked_address(app, client, factory, sessionmaker):
    coord = await factory.person(roles=("coordinator", "worker"), password=PASSWORD)
    ws = await new_workspace(client, coord, email="jana@example.be", phone="0470 12 34 12")
    wid = uuid.UUID(ws["id"])
    async with fresh_client(client) as c:
        await staff_sign_in(c, coord.email)
        page = await c.get(f"/workspaces/{wid}")
        assert "Maak een aanmeldlink" not in page.text
        assert "Stuur een aanmeldlink per sms naar +32 4** ** ** 12" in page.text
        r = await c.post(f"/workspaces/{wid}/aanmeldlink", data={"channel": "email", "_csrf_token": csrf(page.text)})
        assert r.status_code == 200 and "We sturen een aanmeldlink naar j***@example.be" in r.text
        assert "/portal/in/" not in r.text
        assert await deliver_pending(sessionmaker, wid) == ["sent"]
        again = await c.get(f"/workspaces/{wid}")
        assert not await usable_tokens(sessionmaker, r.text + again.text + str(r.headers) + str(again.headers))
        # The old "make a link" form is gone.
        old = await c.post(f"/workspaces/{wid}/portaallink", data={"_csrf_token": csrf(page.text)})
        assert old.status_code in (404, 405)


def test_the_message_speaks_the_job_seekers_language_and_holds_no_case_content():
    from w2.platform import mail
    from w2.platform.i18n import t

    params = {"name": "Ana", "link": "https://w2.example/portal/in/abc"}
    fr = mail.build("portal_invitation", params, "fr", "ana@example.be", "portal_invitation:1")
    assert fr["Subject"] == "Votre lien pour w2" and "vos propres pages" in fr.get_content()
    nl = mail.build("portal_invitation", params, "nl", "ana@example.be", "portal_invitation:1")
    body = nl.get_content()
    assert "Dag Ana" in body and params["link"] in body
    # Only the name and the link go in: no domain, agreement or agency words.
    assert set(re.findall(r"\{(\w+)\}", t("mail.portal_invitation.body", "nl"))) == {"name", "link"}
    assert set(re.findall(r"\{(\w+)\}", t("sms.portal_invitation", "nl"))) == {"link"}

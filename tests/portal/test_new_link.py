"""A job seeker whose link was used or ran out asks for a new one to their own phone or mail.

The answer is the same whether the address is known (no enumeration), and requests are limited.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

from sqlalchemy import func, select

from tests.factories import new_workspace
from tests.portal.helpers import csrf, deliver_pending, fresh_client, link_in, signs_in_as_jobseeker
from w2.platform.portal_auth import PortalInvitation


async def _reset_limits(app, *emails: str) -> None:
    """Forget this device's counter (and those of the given addresses); other runs' keys stay."""
    import redis

    from tests.conftest import REDIS_URL

    # The app's store lives on the app's loop: reach the same keys with a client of our own.
    r = redis.Redis.from_url(REDIS_URL.rsplit("/", 1)[0] + "/1")
    for key in ["newlink|host|testclient", *(f"newlink|to|email|{e.lower()}" for e in emails)]:
        r.delete(f"w2-signin-{os.environ['W2_QUEUE']}:{key}")  # the app's counters are per queue (per run)


def _normalized(html: str) -> str:
    return re.sub(r'name="_csrf_token" value="[^"]*"', "", html)


async def _ask(client, address: str):
    page = await client.get("/portal/in/not-a-valid-token")
    assert page.status_code == 404 and "Nieuwe link vragen" in page.text
    return await client.post("/portal/nieuwe-link", data={"address": address, "_csrf_token": csrf(page.text)})


async def _invitations(sessionmaker, wid: uuid.UUID) -> int:
    async with sessionmaker() as s:
        return await s.scalar(select(func.count()).select_from(PortalInvitation).where(
            PortalInvitation.workspace_id == wid, PortalInvitation.requested_by == "jobseeker"))


async def test_known_and_unknown_addresses_get_the_same_answer_and_only_the_owner_gets_a_link(
        app, client, factory, sessionmaker, mailbox, settings_env):
    await _reset_limits(app)
    coord = await factory.person()
    email = f"Sam.{uuid.uuid4().hex[:6]}@Example.be"
    phone_tail = f"{uuid.uuid4().int % 10**6:06d}"
    ws = await new_workspace(client, coord, email=email, phone=f"0470 {phone_tail[:2]} {phone_tail[2:4]} {phone_tail[4:]}")
    wid = uuid.UUID(ws["id"])
    async with fresh_client(client) as c:
        known = await _ask(c, f"  {email.upper()} ")
        unknown = await _ask(c, f"nobody-{uuid.uuid4().hex[:6]}@example.be")
    assert known.status_code == unknown.status_code == 200
    assert _normalized(known.text) == _normalized(unknown.text)
    assert "Kennen we dit nummer of adres? Dan krijg je zo een nieuwe link." in known.text
    assert "/portal/in/" not in known.text
    assert await _invitations(sessionmaker, wid) == 1
    assert await deliver_pending(sessionmaker, wid) == ["sent"]
    mail = (await mailbox.wait_for(1, address=email))[-1]
    assert await signs_in_as_jobseeker(client, link_in(mail.get_body(("plain",)).get_content()))

    # The phone number, typed another way, reaches the registered phone by SMS.
    async with fresh_client(client) as c:
        r = await _ask(c, f"+32 470{phone_tail}")
    assert r.status_code == 200 and _normalized(r.text) == _normalized(unknown.text)
    assert await _invitations(sessionmaker, wid) == 2
    assert await deliver_pending(sessionmaker, wid) == ["sent"]
    sms = [f for f in (Path(settings_env["W2_STORAGE_DIR"]) / "sms").glob("*.txt")
           if f"+32470{phone_tail}" in f.read_text()]
    assert len(sms) == 1 and await signs_in_as_jobseeker(client, link_in(sms[0].read_text()))


async def test_bad_input_is_named_and_requests_are_limited(app, client, factory, sessionmaker):
    await _reset_limits(app)
    coord = await factory.person()
    email = f"lim-{uuid.uuid4().hex[:6]}@example.be"
    ws = await new_workspace(client, coord, email=email)
    wid = uuid.UUID(ws["id"])
    async with fresh_client(client) as c:
        bad = await _ask(c, "hallo")
        assert bad.status_code == 422 and "Typ je gsm-nummer" in bad.text
        for _ in range(3):
            assert (await _ask(c, email)).status_code == 200
        # Past three an hour for one workspace nothing more is sent, and the answer does not change.
        fourth = await _ask(c, email)
        assert fourth.status_code == 200 and await _invitations(sessionmaker, wid) == 3
        assert (await _ask(c, email)).status_code == 200
        # Then the address itself is blocked for an hour: the same for a known and an unknown one.
        limited = await _ask(c, email)
        assert limited.status_code == 429 and "Probeer het over een uur opnieuw" in limited.text
    await _reset_limits(app, email)
    async with fresh_client(client) as c:
        for _ in range(20):
            assert (await _ask(c, f"x{uuid.uuid4().hex[:6]}@example.be")).status_code == 200
        assert (await _ask(c, f"y{uuid.uuid4().hex[:6]}@example.be")).status_code == 429  # per device
    await _reset_limits(app)

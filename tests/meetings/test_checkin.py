"""Before a follow-up meeting the spilfiguur asks "Hoe gaat het?"; the answer reaches the table (issue 15 item 8)."""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import select

from tests.meetings.support import grant, make_case, new_meeting, ready_meeting
from tests.meetings.test_follow_up import _hold_and_finalize
from tests.meetings.test_table import _schedule
from tests.pages.cases import portal_link
from tests.portal.helpers import csrf, fresh_client


async def _portal(client: Any, sm: Any, workspace_id: Any) -> None:
    """Sign the (shared) client in as the job seeker with a one-time link."""
    link = await portal_link(sm, uuid.UUID(str(workspace_id)))
    page = await client.get(link)
    r = await client.post(link, data={"_csrf_token": csrf(page.text)}, follow_redirects=False)
    assert r.status_code in (302, 303) and r.headers["location"] == "/portal", r.text[:300]


async def _answer(client: Any, mid: str, text: str) -> Any:
    page = await client.get(f"/portal/overleg/{mid}")
    return await client.post(f"/portal/overleg/{mid}/hoe-gaat-het",
                             data={"progress": text, "_csrf_token": csrf(page.text)}, follow_redirects=False)


async def _stored(sm: Any, mid: str) -> tuple[str | None, Any]:
    from w2.meetings.models import Meeting

    async with sm() as s:
        m = await s.get(Meeting, uuid.UUID(mid))
        return m.jobseeker_progress, m.jobseeker_progress_at


async def test_follow_up_asks_how_it_goes_and_the_answer_reaches_the_table(client, factory, sessionmaker):
    from w2.consent.models import AccessLogEntry
    from w2.meetings.checkin import KIND
    from w2.platform.mail import build
    from w2.platform.outbox import OutboxMessage

    case = await make_case(client, factory, sessionmaker, members=("vdab", "caw"))
    coord, vdab, caw = case.coord, case.members["vdab"], case.members["caw"]
    await grant(sessionmaker, case.wid, coord.agency_id, "information_sharing", ["other"])
    r = await client.put(f"/api/v1/workspaces/{case.wid}/pivot", headers=coord.headers,
                         json={"user_id": str(vdab.user_id), "chosen_by_jobseeker": False})
    assert r.status_code == 200, r.text
    mid, ids = await ready_meeting(client, case)
    await _schedule(client, case, mid, days=2)
    await _hold_and_finalize(client, sessionmaker, case, mid, ids)
    # The first meeting is not a follow-up: nobody asked there.
    assert (await client.get(f"/api/v1/meetings/{mid}", headers=coord.headers)).json()["checkin_asked_at"] is None

    r = await client.post(f"/api/v1/meetings/{mid}/follow-up", headers=coord.headers, json={})
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["checkin_asked_at"] and new["checkin_asked_by"] == str(vdab.user_id)

    # One message to the job seeker's own address; it says only that a message waits, behind sign-in.
    async with sessionmaker() as s:
        rows = list(await s.scalars(select(OutboxMessage).where(OutboxMessage.kind == KIND,
                                                                OutboxMessage.workspace_id == uuid.UUID(case.wid))))
    assert len(rows) == 1 and rows[0].to_address == case.ws["jobseeker"]["email"]
    assert set(rows[0].params) == {"name", "link"}
    mail = build(KIND, dict(rows[0].params), "nl", rows[0].to_address, rows[0].idempotency_key)
    body = mail.get_content()
    assert mail["Subject"] == "Er is een bericht voor je in w2"
    assert f"/portal/overleg/{new['id']}" in body
    for secret in (vdab.name, "Begeleiding zit vast", "Hoe gaat het", "verbeterd"):
        assert secret not in body, secret

    # The job seeker answers on their own page: empty and too long are refused, nothing is stored.
    async with fresh_client(client) as js:
        await _portal(js, sessionmaker, case.wid)
        inbox = await js.get("/portal/berichten")
        assert "Er is een bericht voor je in w2" in inbox.text and f'href="/portal/overleg/{new["id"]}"' in inbox.text
        page = await js.get(f"/portal/overleg/{new['id']}")
        assert "Hoe gaat het met je? Wat is er beter sinds het vorige overleg?" in page.text
        assert vdab.name in page.text
        r = await _answer(js, new["id"], "   ")
        assert r.status_code == 422 and "Vul dit in." in r.text
        r = await _answer(js, new["id"], "x" * 2001)
        assert r.status_code == 422 and "hoogstens 2000 tekens" in r.text
        assert await _stored(sessionmaker, new["id"]) == (None, None)
        # A meeting that is not a follow-up has no question, a finalized one is closed: refused, nothing stored.
        plain = (await new_meeting(client, case))["id"]
        r = await _answer(js, plain, "Beter")
        assert r.status_code == 409 and "Er is hier geen vraag om te beantwoorden." in r.text
        r = await _answer(js, mid, "Beter")
        assert r.status_code == 409 and 'role="alert"' in r.text
        assert await _stored(sessionmaker, plain) == (None, None) and await _stored(sessionmaker, mid) == (None, None)
        r = await _answer(js, new["id"], "Ik heb een fiets. Ik kom nu op tijd.")
        assert r.status_code in (302, 303)
        assert (await _stored(sessionmaker, new["id"]))[0] == "Ik heb een fiets. Ik kom nu op tijd."
        async with sessionmaker() as s:
            kinds = set(await s.scalars(select(AccessLogEntry.actor_kind).where(
                AccessLogEntry.workspace_id == uuid.UUID(case.wid), AccessLogEntry.resource_type == "meeting_voice")))
        assert kinds == {"jobseeker"}

    # The coordinator (consent for `other`) reads the answer; CAW, invited but without that consent, does not.
    r = await client.get(f"/api/v1/meetings/{new['id']}", headers=coord.headers)
    assert r.json()["jobseeker_voice"]["progress"] == "Ik heb een fiets. Ik kom nu op tijd."
    r = await client.get(f"/api/v1/meetings/{new['id']}", headers=caw.headers)
    assert r.status_code == 200 and r.json()["jobseeker_voice"]["progress"] is None
    assert "jobseeker_progress" in r.json()["withheld"] and "fiets" not in r.text


async def test_another_workspace_cannot_answer(client, factory, sessionmaker):
    mine = await make_case(client, factory, sessionmaker)
    other = await make_case(client, factory, sessionmaker)
    other_mid = (await new_meeting(client, other))["id"]
    my_mid = (await new_meeting(client, mine))["id"]
    async with fresh_client(client) as js:
        await _portal(js, sessionmaker, mine.wid)
        page = await js.get(f"/portal/overleg/{my_mid}")
        r = await js.post(f"/portal/overleg/{other_mid}/hoe-gaat-het",
                              data={"progress": "inbraak", "_csrf_token": csrf(page.text)}, follow_redirects=False)
        assert r.status_code == 404 and re.search(r'role="alert"', r.text)
    assert await _stored(sessionmaker, other_mid) == (None, None)

"""The job seeker reads every message w2 sent them and chooses reminders, on a 360x640 phone."""

from __future__ import annotations

from tests.pages.cases import make_case
from tests.pages.test_portal import sign_in


async def _give_address_and_mail(sessionmaker, wid, email, kinds):
    from w2.platform.models import Jobseeker, Workspace
    from w2.platform.outbox import enqueue

    async with sessionmaker() as s, s.begin():
        s.info["kick_relay"] = False
        ws = await s.get(Workspace, wid)
        js = await s.get(Jobseeker, ws.jobseeker_id)
        js.email = email
        for n, kind in enumerate(kinds):
            await enqueue(s, key=f"test-inbox:{wid}:{n}", kind=kind, to_address=email, workspace_id=wid,
                          params={"name": js.given_name, "link": "http://w2.invalid/portal"}, language="nl")


async def test_inbox_lists_own_messages_and_reminders_are_opt_in(phone, client, factory, sessionmaker):
    from w2.notifications.service import jobseeker_wants_reminders

    case = await make_case(client, factory, sessionmaker)
    other = await make_case(client, factory, sessionmaker)
    await _give_address_and_mail(sessionmaker, case.workspace_id, "mira-inbox@test.w2",
                                 ["agreement_overdue_jobseeker", "portal_invitation"])
    await _give_address_and_mail(sessionmaker, other.workspace_id, "ander-inbox@test.w2", ["consent_ending_jobseeker"])
    await sign_in(phone, sessionmaker, case.workspace_id)
    p = phone.page
    await phone.submit(p.get_by_role("link", name="Je berichten"))
    await phone.assert_fits(320, target=44)
    await phone.screenshot("portal-inbox")
    items = await p.locator("ul.cards li").all_inner_texts()
    assert len(items) == 1 and "per mail" in items[0]  # the sign-in link mail and others' mail are not listed
    async with sessionmaker() as s:
        assert await jobseeker_wants_reminders(s, case.workspace_id) is False  # off unless asked
    switch = p.get_by_role("switch", name="Wil je een bericht als een afspraak van jou bijna moet klaar zijn?")
    assert await switch.get_attribute("aria-checked") == "false"
    await phone.submit(switch)
    assert "Je krijgt een bericht" in await p.locator("#herinneringen ~ [role=status]").first.inner_text()
    async with sessionmaker() as s:
        assert await jobseeker_wants_reminders(s, case.workspace_id) is True
    await phone.submit(p.get_by_role("switch", name="Wil je een bericht als een afspraak van jou bijna moet klaar zijn?"))
    async with sessionmaker() as s:
        assert await jobseeker_wants_reminders(s, case.workspace_id) is False

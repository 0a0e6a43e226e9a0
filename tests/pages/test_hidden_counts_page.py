"""A partner whose consent was withdrawn sees how many of its own agreements are hidden, on a phone (bug 10)."""

from __future__ import annotations

from tests.meetings.support import grant, make_case, revoke
from tests.meetings.test_hidden_counts import PASSWORD, SECRET, _agreement
from tests.pages.test_partner import staff_sign_in

NOTICE = "2 afspraken zijn verborgen omdat de werkzoekende niet langer deelt over arbeid en/of opleiding"


async def test_partner_sees_a_count_of_hidden_own_agreements_at_360px(browser_session, client, factory,
                                                                      sessionmaker):
    case = await make_case(client, factory, sessionmaker, members=(), consent=())
    vdab = await factory.person(kind="vdab", roles=("worker",), password=PASSWORD)
    r = await client.post(f"/api/v1/workspaces/{case.wid}/members", headers=case.coord.headers,
                          json={"agency_id": str(vdab.agency_id), "question_type": "afstemming"})
    assert r.status_code == 201, r.text
    await grant(sessionmaker, case.wid, case.coord.agency_id, "information_sharing", ["work_training"])
    consent = await grant(sessionmaker, case.wid, vdab.agency_id, "information_sharing", ["work_training"])
    await _agreement(client, case, vdab, SECRET[0])
    await _agreement(client, case, vdab, SECRET[1])
    await revoke(sessionmaker, consent)
    phone = await browser_session.new_page(width=360, height=800)
    await staff_sign_in(phone, vdab.email, PASSWORD, path="/afspraken")
    for path in ("/afspraken", f"/workspaces/{case.wid}/afspraken"):
        await phone.goto(path)
        notice = await phone.page.inner_text("#hidden-counts")
        assert NOTICE in notice and "opnieuw wil delen" in notice
        html = await phone.page.content()
        assert not any(s in html for s in SECRET)
        await phone.assert_fits(360)

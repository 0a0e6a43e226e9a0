"""The job seeker marks their own agreements done or 'lukt niet', on a 360x640 phone."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.pages.cases import make_case
from tests.pages.test_portal import sign_in


async def _own_agreement(sessionmaker, wid, text, domain="housing"):
    from w2.meetings.agreements.models import Agreement

    async with sessionmaker() as s, s.begin():
        a = Agreement(workspace_id=wid, life_domain=domain, description=text, owner_kind="jobseeker",
                      due_date=date.today() + timedelta(days=5))
        s.add(a)
        await s.flush()
        return a.id


async def _state(sessionmaker, aid):
    from w2.meetings.agreements.models import Agreement, AgreementNote

    async with sessionmaker() as s:
        a = await s.get(Agreement, aid)
        notes = [(n.status, n.note, n.author_is_jobseeker) for n in await s.scalars(
            select(AgreementNote).where(AgreementNote.agreement_id == aid))]
        return a.status, notes


async def test_job_seeker_marks_own_agreements(phone, client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    other = await make_case(client, factory, sessionmaker)
    call = await _own_agreement(sessionmaker, case.workspace_id, "De huisbaas bellen")
    visit = await _own_agreement(sessionmaker, case.workspace_id, "Naar het infomoment gaan", "work_training")
    foreign = await _own_agreement(sessionmaker, other.workspace_id, "Niet van mij")
    await sign_in(phone, sessionmaker, case.workspace_id)
    p = phone.page
    await phone.goto("/portal/afspraken")
    await phone.assert_fits(320, target=44)
    await phone.screenshot("portal-agreements")
    # Per part of life, in plain words; the partner's overdue agreement is marked late.
    headings = await p.locator("main h2").all_inner_texts()
    assert "Wonen" in headings and "Geld" in headings and "Werk en opleiding" in headings
    assert "Te laat" in await p.locator(f"#a-{case.agreements['finances']}").inner_text()
    # Someone else's agreement has no buttons for the job seeker.
    assert await p.locator(f"#a-{case.agreements['housing']} button[name=status]").count() == 0

    # "Lukt niet" needs a short reason; without it nothing changes.
    item = p.locator(f"#a-{call}")
    await phone.submit(item.get_by_role("button", name="Lukt niet"))
    assert "Schrijf kort waarom" in await p.locator(f"#a-{call} [role=alert]").inner_text()
    assert await _state(sessionmaker, call) == ("open", [])
    await p.locator(f"#n-{call}").fill("x" * 1001)
    await phone.submit(p.locator(f"#a-{call}").get_by_role("button", name="Lukt niet"))
    assert "hoogstens 1000 tekens" in await p.locator(f"#a-{call} [role=alert]").inner_text()
    assert await _state(sessionmaker, call) == ("open", [])
    await p.locator(f"#n-{call}").fill("Hij neemt nooit op.")
    await phone.submit(p.locator(f"#a-{call}").get_by_role("button", name="Lukt niet"))
    assert "samen een oplossing" in await p.locator(f"#a-{call} [role=status]").inner_text()
    assert await _state(sessionmaker, call) == ("not_achieved", [("not_achieved", "Hij neemt nooit op.", True)])

    await phone.submit(p.locator(f"#a-{visit}").get_by_role("button", name="Klaar"))
    assert await _state(sessionmaker, visit) == ("done", [("done", "", True)])
    assert "klaar" in await p.locator(f"#a-{visit} .badge").inner_text()

    # Crafted requests: another workspace's agreement, or one an agency does, change nothing.
    token = await p.evaluate("() => document.querySelector('input[name=_csrf_token]').value")
    for aid in (foreign, case.agreements["housing"]):
        r = await p.request.post(f"/portal/afspraken/{aid}", form={"status": "done", "_csrf_token": token},
                                 max_redirects=0)
        assert r.status == 404 and "niet een van jouw eigen afspraken" in await r.text()
    assert (await _state(sessionmaker, foreign))[0] == "open"
    assert (await _state(sessionmaker, case.agreements["housing"]))[0] == "open"
    # The coordinator sees the job seeker's note through the API.
    r = await client.get(f"/api/v1/workspaces/{case.workspace_id}/agreements", headers=case.coordinator.headers)
    mine = [a for a in r.json()["items"] if a["id"] == str(call)]
    assert mine and mine[0]["status"] == "not_achieved"

"""A finalized round table is read-only and offers the next steps (issue 16 bugs 4 and 9), in Chromium."""

from __future__ import annotations

import uuid

from tests.meetings.support import grant, make_case, ready_meeting, took_place
from tests.meetings.test_table import _schedule
from tests.pages.test_partner import staff_sign_in

PASSWORD = "coordinator-wachtwoord-3"


async def _held(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker, members=("vdab",), password=PASSWORD)
    await grant(sessionmaker, case.wid, case.coord.agency_id, "information_sharing", ["finances"])
    mid, ids = await ready_meeting(client, case)
    await _schedule(client, case, mid, days=3)
    r = await client.put(f"/api/v1/meetings/{mid}/attendance", headers=case.coord.headers, json={
        "items": [{"invitee_id": i, "attendance": "present"} for i in ids.values()]})
    assert r.status_code == 200, r.text
    r = await client.put(f"/api/v1/meetings/{mid}/notes/finances", headers=case.coord.headers,
                         json={"information": "Leefloon loopt"})
    assert r.status_code == 200, r.text
    r = await client.post(f"/api/v1/workspaces/{case.wid}/agreements", headers=case.coord.headers, json={
        "life_domain": "finances", "description": "Budget opmaken", "meeting_id": mid,
        "owner": {"kind": "agency", "agency_id": str(case.coord.agency_id)}})
    assert r.status_code == 201, r.text
    return case, mid, r.json()["id"]


async def test_attendance_names_sit_next_to_their_own_dropdown_at_360px(browser_session, client, factory,
                                                                       sessionmaker):
    case, mid, _ = await _held(client, factory, sessionmaker)
    phone = await browser_session.new_page(width=360, height=800)
    await staff_sign_in(phone, case.coord.email, PASSWORD, path=f"/meetings/{mid}")
    selects = phone.page.locator("select[name^=att_]")
    assert await selects.count() == 3  # the coordinator, the member and the job seeker
    for sel in await selects.all():
        sid = await sel.get_attribute("id")
        label = phone.page.locator(f"label[for='{sid}']")
        assert await label.count() == 1
        lb, sb = await label.bounding_box(), await sel.bounding_box()
        # the name and its dropdown share a row: their boxes overlap vertically
        assert lb["y"] < sb["y"] + sb["height"] and sb["y"] < lb["y"] + lb["height"], (lb, sb)
        assert await sel.input_value() == "present"  # what was saved is shown


async def test_finalized_meeting_is_read_only_and_offers_the_next_steps(page, browser_session, client, factory,
                                                                       sessionmaker):
    case, mid, agreement_id = await _held(client, factory, sessionmaker)
    await staff_sign_in(page, case.coord.email, PASSWORD, path=f"/meetings/{mid}")
    p = page.page
    # A second tab still shows the table's forms when the meeting is closed elsewhere.
    stale = await browser_session.new_page()
    await staff_sign_in(stale, case.coord.email, PASSWORD, path=f"/meetings/{mid}")
    await took_place(sessionmaker, mid)
    r = await client.post(f"/api/v1/meetings/{mid}/finalize", json={}, headers=case.coord.headers)
    assert r.status_code == 202, r.text
    await stale.page.get_by_label("Financiën", exact=True).fill("Nog iets")
    await stale.submit(stale.page.get_by_role("button", name="Bewaar financiën"))
    # One clear message, in the error summary and next to the closing step; the forms are gone.
    assert await stale.page.locator("#error-summary a[href='#err-finalize']").count() == 1
    message = await stale.page.inner_text("#err-finalize")
    assert "afgesloten" in message and "nieuwe versie van het verslag" in message and "moment" not in message
    assert await stale.page.locator("form[action$='/notities']").count() == 0

    await page.goto(f"/meetings/{mid}")
    for action in ("notities", "afspraken", "aanwezigheid", "voorbereiding", "genodigden", "plannen", "afronden"):
        assert await p.locator(f"form[action$='/{action}']").count() == 0, action
    saved = await p.inner_text("#attendance-saved")
    assert saved.count("aanwezig") == 3 and "Nog niet ingevuld" not in await p.inner_text("main")
    assert "Leefloon loopt" in await p.inner_text("section:has(#table)")
    assert "Budget opmaken" in await p.inner_text("section:has(#table)")
    assert await p.get_by_role("button", name="Plan opvolgoverleg").count() == 1
    # Nothing changed yet: a new version is refused in plain words.
    await page.submit(p.get_by_role("button", name="Nieuwe versie van het verslag"))
    assert "niets veranderd" in await p.inner_text("#err-finalize")
    # After an agreement is struck with a reason, the page shows it and the new version is made and said so.
    r = await client.post(f"/api/v1/agreements/{agreement_id}/cancel", headers=case.coord.headers,
                          json={"reason": "De budgetbegeleider doet dit al"})
    assert r.status_code == 200, r.text
    await page.goto(f"/meetings/{mid}")
    assert "geschrapt: De budgetbegeleider doet dit al" in await p.inner_text("section:has(#table)")
    await page.submit(p.get_by_role("button", name="Nieuwe versie van het verslag"))
    assert "nieuwe versie van het verslag is gemaakt" in await p.inner_text("[role=status]")
    async with sessionmaker() as s:
        from sqlalchemy import func, select

        from w2.meetings.models import MeetingReportVersion

        assert await s.scalar(select(func.max(MeetingReportVersion.version)).where(
            MeetingReportVersion.meeting_id == uuid.UUID(mid))) == 2

"""The job seeker finds their documents on one page, on a 360x640 phone."""

from __future__ import annotations

import uuid
from datetime import date

from tests.pages.cases import make_case
from tests.pages.test_portal import sign_in


async def _finalized(sessionmaker, wid) -> uuid.UUID:
    from w2.meetings.models import Meeting
    from w2.platform.db.base import utcnow

    async with sessionmaker() as s, s.begin():
        m = Meeting(workspace_id=wid, status="finalized", reason="r", goal="g", requested_by_kind="professional",
                    ics_uid=f"{uuid.uuid4()}@test", starts_at=utcnow(), finalized_at=utcnow())
        s.add(m)
        await s.flush()
        return m.id


async def test_documents_page_links_each_document(phone, client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker)
    other = await make_case(client, factory, sessionmaker)
    mine = await _finalized(sessionmaker, case.workspace_id)
    theirs = await _finalized(sessionmaker, other.workspace_id)
    r = await client.post(f"/api/v1/workspaces/{case.workspace_id}/scores", headers=case.coordinator.headers, json={
        "filled_by": "jobseeker", "items": [{"theme": "housing", "start": 2, "now": 5, "future": 8}]})
    assert r.status_code == 201, r.text
    await sign_in(phone, sessionmaker, case.workspace_id)
    p = phone.page
    await phone.submit(p.get_by_role("link", name="Je documenten"))
    await phone.assert_fits(320, target=44)
    await phone.screenshot("portal-documents")
    main = await p.inner_text("main")
    assert f"Overleg van {date.today().strftime('%d/%m/%Y')}" in main
    assert await p.locator(f"a[href='/meetings/{mine}/verslag-eenvoudig.pdf']").count() == 1
    assert await p.locator(f"a[href='/meetings/{mine}/verslag.pdf']").count() == 1
    assert await p.locator(f"a[href*='{theirs}']").count() == 0  # another workspace's report is not listed
    async with p.expect_download() as dl:
        await p.get_by_role("link", name="Je voortgang (PDF)").click()
    assert open(await (await dl.value).path(), "rb").read().startswith(b"%PDF")
    assert await p.get_by_role("link", name="Bekijk je trajectovereenkomst").count() == 1

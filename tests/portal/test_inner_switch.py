"""The portal's consent page has a switch of its own for the inner themes, in B1 Dutch, French and English."""

from __future__ import annotations

import html

from tests.pages.cases import make_case, portal_link
from tests.portal.helpers import csrf, fresh_client

SENTENCE = {"nl": "mag weten hoe je je voelt en hoe je naar jezelf kijkt",
            "fr": "peut savoir comment vous vous sentez et comment vous vous voyez",
            "en": "may know how you feel and how you see yourself"}


async def test_inner_switch_in_three_languages_and_it_grants_only_inner(client, factory, sessionmaker) -> None:
    case = await make_case(client, factory, sessionmaker)
    token = (await portal_link(sessionmaker, case.workspace_id)).rsplit("/", 1)[1]
    async with fresh_client(client) as c:
        page = await c.get(f"/portal/in/{token}")
        r = await c.post(f"/portal/in/{token}", data={"_csrf_token": csrf(page.text)}, follow_redirects=False)
        assert r.headers.get("location") == "/portal"
        page = await c.get("/portal/toestemming")
        text = html.unescape(page.text)
        switch_id = f"b-{case.partner.agency_id}-inner"
        assert f'id="{switch_id}"' in page.text and "/static/icons/domain-inner.svg" in page.text
        assert f"{case.partner.agency_name} {SENTENCE['nl']}." in text
        assert f"{case.partner.agency_name}: 3 van de 12 op ja" in text
        r = await c.post("/portal/toestemming", data={"_csrf_token": csrf(page.text), "agency_id":
                         str(case.partner.agency_id), "life_domain": "inner", "value": "yes"}, follow_redirects=False)
        assert r.status_code in (302, 303), r.text
        for lang in ("fr", "en"):
            await c.post("/portal/taal", data={"_csrf_token": csrf(page.text), "language": lang,
                                               "back": "/portal/toestemming"})
            page = await c.get("/portal/toestemming")
            assert f"{case.partner.agency_name} {SENTENCE[lang]}." in html.unescape(page.text), lang
    grid = await client.get(f"/api/v1/workspaces/{case.workspace_id}/consents", headers=case.coordinator.headers)
    mine = [c for c in grid.json()["items"] if c["agency_id"] == str(case.partner.agency_id)
            and c["method"] == "portal" and c["revoked_at"] is None]
    assert [c["life_domains"] for c in mine] == [["inner"]]
    fhir = (await client.get(f"/api/v1/workspaces/{case.workspace_id}/consents.fhir",
                             headers=case.coordinator.headers)).json()
    codes = [d["code"] for e in fhir["entry"] if e["resource"]["id"] == mine[0]["id"]
             for d in e["resource"]["provision"][0]["documentType"]]
    assert codes == ["inner"]

"""The steps that save page loads refuse what they must: invite everyone names who lacks consent, and a poll
slot of another meeting cannot schedule this one."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from tests.pages.cases import grant, make_case
from tests.pages.test_workspace_sections import _signed_in

PASSWORD = "minder-laden-16"


def _csrf(html: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)


async def _meeting(client, case) -> str:
    r = await client.post(f"/api/v1/workspaces/{case.workspace_id}/meetings", headers=case.coordinator.headers,
                          json={"reason": "Begeleiding zit vast", "goal": "Eén plan",
                                "requested_by": {"kind": "professional"}})
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def test_invite_everyone_keeps_the_invited_and_names_who_lacks_consent(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker, coordinator_password=PASSWORD)
    await grant(sessionmaker, case.workspace_id, case.coordinator.agency_id, ["other"],
                purpose="meeting_participation")  # the partner agency has no consent to take part
    mid = await _meeting(client, case)
    try:
        await _signed_in(client, case.coordinator, PASSWORD)
        page = await client.get(f"/meetings/{mid}")
        r = await client.post(f"/meetings/{mid}/genodigden/iedereen", data={"_csrf_token": _csrf(page.text)})
        assert r.status_code == 200
        summary = r.text.split('id="error-summary"')[1].split("</div>")[0]
        assert case.partner.name in summary and "toestemming" in summary and case.coordinator.name not in summary
        invitees = (await client.get(f"/api/v1/meetings/{mid}", headers=case.coordinator.headers)).json()["invitees"]
        kinds = sorted((i["kind"], i.get("user_id")) for i in invitees)
        assert kinds == sorted([("jobseeker", None), ("professional", str(case.coordinator.user_id))])
        # Pressing it again changes nothing and refuses nothing new.
        again = await client.post(f"/meetings/{mid}/genodigden/iedereen", data={"_csrf_token": _csrf(page.text)})
        assert again.status_code == 200
        assert len((await client.get(f"/api/v1/meetings/{mid}", headers=case.coordinator.headers)).json()[
            "invitees"]) == 2
    finally:
        client.cookies.clear()


async def test_a_slot_of_another_meeting_does_not_schedule_this_one(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker, coordinator_password=PASSWORD)
    await grant(sessionmaker, case.workspace_id, case.coordinator.agency_id, ["other"],
                purpose="meeting_participation")
    mine, other = await _meeting(client, case), await _meeting(client, case)
    start = (datetime.now(UTC) + timedelta(days=9)).replace(hour=9, minute=0, second=0, microsecond=0)
    for mid in (mine, other):
        r = await client.post(f"/api/v1/meetings/{mid}/invitees", headers=case.coordinator.headers,
                              json={"kind": "jobseeker"})
        assert r.status_code == 201, r.text
    r = await client.post(f"/api/v1/meetings/{other}/slots", headers=case.coordinator.headers, json={
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat(), "location": "OCMW"})
    assert r.status_code == 201, r.text
    foreign = r.json()["id"]
    try:
        await _signed_in(client, case.coordinator, PASSWORD)
        page = await client.get(f"/meetings/{mine}")
        r = await client.post(f"/meetings/{mine}/plannen", data={"_csrf_token": _csrf(page.text), "slot_id": foreign})
        assert r.status_code == 422 and "Dit moment bestaat niet" in r.text
        meeting = (await client.get(f"/api/v1/meetings/{mine}", headers=case.coordinator.headers)).json()
        assert meeting["status"] != "scheduled" and meeting["starts_at"] is None
    finally:
        client.cookies.clear()

"""Finding 3: meeting participation alone shows logistics, never the job seeker's case content."""

from __future__ import annotations

from tests.meetings.support import grant, make_case, new_meeting

PREPARATION = {"thresholds": "Angst en schaamte om te spreken", "partner_name": "Karim Partner",
               "children_names": ["Lina", "Omar"], "urgent_themes": "Werkvergunning partner"}


async def _meeting(client, factory, sessionmaker):
    # The partner agency may take part in round tables (one domain) but shares no information.
    case = await make_case(client, factory, sessionmaker, members=("vdab",), consent=())
    await grant(sessionmaker, case.wid, case.coord.agency_id, "information_sharing",
                ["other", "health", "social", "parenting"])
    await grant(sessionmaker, case.wid, case.coord.agency_id, "meeting_participation", ["work_training"])
    await grant(sessionmaker, case.wid, case.members["vdab"].agency_id, "meeting_participation", ["work_training"])
    m = await new_meeting(client, case, urgent_themes=PREPARATION["urgent_themes"])
    r = await client.put(f"/api/v1/meetings/{m['id']}/preparation", headers=case.coord.headers,
                         json={k: v for k, v in PREPARATION.items() if k != "urgent_themes"})
    assert r.status_code == 200, r.text
    return case, m["id"]


async def test_participation_only_agency_sees_logistics_not_case_content(client, factory, sessionmaker):
    case, mid = await _meeting(client, factory, sessionmaker)
    r = await client.get(f"/api/v1/meetings/{mid}", headers=case.members["vdab"].headers)
    assert r.status_code == 200, r.text
    body = r.json()
    for field in ("reason", "goal", "thresholds", "partner_name"):
        assert body[field] is None, field
    assert body["children_names"] == [] and body["urgent_themes"] == []
    for secret in ("Angst", "Karim", "Lina", "Omar", "Werkvergunning", "Begeleiding zit vast"):
        assert secret not in r.text
    assert set(body["withheld"]) >= {"reason", "goal", "thresholds", "partner_name", "children_names"}
    assert body["status"] and body["jobseeker_participation"] == "full"  # logistics stay


async def test_consent_per_domain_opens_exactly_that_field(client, factory, sessionmaker):
    case, mid = await _meeting(client, factory, sessionmaker)
    vdab = case.members["vdab"]
    await grant(sessionmaker, case.wid, vdab.agency_id, "information_sharing", ["parenting"])
    body = (await client.get(f"/api/v1/meetings/{mid}", headers=vdab.headers)).json()
    assert body["children_names"] == ["Lina", "Omar"]
    assert body["thresholds"] is None and body["partner_name"] is None
    # The coordinating agency holds consent for all of them, and its read is logged per domain.
    coord = (await client.get(f"/api/v1/meetings/{mid}", headers=case.coord.headers)).json()
    assert coord["thresholds"] == PREPARATION["thresholds"] and coord["partner_name"] == "Karim Partner"
    assert coord["withheld"] == []
    log = (await client.get(f"/api/v1/workspaces/{case.wid}/access-log", headers=case.coord.headers)).json()
    logged = {e["life_domain"] for e in log["items"] if e["resource_type"] == "meeting"}
    assert {"health", "social", "parenting", "other"} <= logged


def test_report_copy_for_an_agency_leaves_out_the_meetings_case_fields():
    from w2.reports.render import restrict
    from w2.reports.sample import worked_case

    full = worked_case()
    copy = restrict(full, {"work_training", "housing"})
    assert full.partner and full.children and full.reason
    assert copy.partner is None and copy.children == [] and copy.reason is None and copy.goal is None
    with_family = restrict(full, {"social", "parenting"})
    assert with_family.partner == full.partner and with_family.children == full.children

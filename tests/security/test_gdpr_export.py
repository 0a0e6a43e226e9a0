"""Finding 5: the job seeker's export (GDPR art. 15) holds everything w2 stores about them, in plain words."""

from __future__ import annotations

import io
import re
import uuid
from datetime import datetime, timedelta

from pypdf import PdfReader
from sqlalchemy import func, select

from tests.instruments.test_competences import PROFILE
from tests.instruments.test_drawings import BALANCE
from tests.instruments.test_trajectory_api import GOALS
from tests.meetings.support import ALL_DOMAINS, BXL, finalize, grant, make_case, ready_meeting
from tests.portal.helpers import csrf
from tests.reports.test_scores_api import sheet

DOMAINS = list(dict.fromkeys([*ALL_DOMAINS, "inner"]))
# One marker per kind of data; each must be in the JSON and in the PDF.
MARKERS = {
    "confidant": "Zus Aïcha",
    "member_question": "Hulp bij het leefloon aanvragen",
    "agreement": "Inschrijven bij de huurdersbond",
    "agreement_note": "Formulier al half ingevuld",
    "meeting_reason": "Alles loopt door elkaar",
    "thresholds": "Schrik om te praten in een groep",
    "urgent_theme": "Huur van april betalen",
    "partner": "Karim Partner",
    "child": "Yasmine Kind",
    "voice": "Ik wil over mijn rug praten",
    "meeting_note": "Schuldbemiddeling loopt sinds maart",
    "score": "Rijbewijs halen",
    "vignet": "Rugpijn na lang staan",
    "trajectory": "Een grotere woning vinden",
    "card": "Heftruck besturen",
    "drawing": "Zieke zoon",
    "integrated": "Twee sollicitaties bij een magazijn",
    "phase": "Het eerste contact",
    "slot_place": "Buurthuis De Brug",
}
RAW_CODES = ("work_training", "information_sharing", "meeting_participation", "signed_form", "(allowed)",
             "meeting_note", "read agreement", "jobseeker_questions")


async def _rich_case(client, factory, sm):
    """A job seeker with at least one row in every table that holds data about a person."""
    from w2.meetings.models import Meeting, MeetingCoordinatorChange, MeetingInvitee, MeetingSlot, MeetingVote
    from w2.notifications.models import NotificationPreference
    from w2.platform.models import Workspace
    from w2.platform.portal_auth import PortalInvitation

    case = await make_case(client, factory, sm, members=("vdab",))
    coord, vdab = case.coord, case.members["vdab"]
    base = f"/api/v1/workspaces/{case.wid}"
    for who in (coord, vdab):
        await grant(sm, case.wid, who.agency_id, "information_sharing", DOMAINS)
        await grant(sm, case.wid, who.agency_id, "report_distribution", DOMAINS)

    async def ok(r, code=(200, 201, 202)):
        assert r.status_code in code, r.text
        return r.json() if r.content else None

    caw = await factory.person(roles=("worker",), kind="caw")
    await ok(await client.post(f"{base}/members", headers=coord.headers, json={
        "agency_id": str(caw.agency_id), "question_type": "advies", "question": MARKERS["member_question"],
        "life_domain": "finances"}))
    await ok(await client.post(f"{base}/confidants", headers=coord.headers,
                               json={"name": MARKERS["confidant"], "relation": "zus", "email": "zus@test.w2"}))
    await ok(await client.put(f"{base}/pivot", headers=coord.headers,
                              json={"user_id": str(vdab.user_id), "chosen_by_jobseeker": False}))
    consent = await ok(await client.post(f"{base}/consents", headers=coord.headers, json={
        "agency_id": str(caw.agency_id), "purpose": "information_sharing", "life_domains": ["finances"],
        "method": "signed_form"}))
    await ok(await client.post(f"{base}/consents/{consent['id']}/revoke", headers=coord.headers,
                               json={"reason": "test"}))
    agreement = await ok(await client.post(f"{base}/agreements", headers=coord.headers, json={
        "life_domain": "housing", "description": MARKERS["agreement"],
        "owner": {"kind": "agency", "agency_id": str(vdab.agency_id)}}))
    await ok(await client.patch(f"/api/v1/agreements/{agreement['id']}", headers=vdab.headers,
                                json={"note": MARKERS["agreement_note"]}))
    await ok(await client.post(f"{base}/scores", headers=coord.headers, json=sheet()))
    await ok(await client.post(f"{base}/phase", headers=coord.headers, json={"code": "c1_first_contact"}))
    await ok(await client.put(f"{base}/vignet", headers=coord.headers, json={"sections": [
        {"key": "welfare_obstacles", "life_domain": "health", "text": MARKERS["vignet"]}]}))
    trajectory = await ok(await client.post(f"{base}/trajectory-agreements", headers=coord.headers, json=GOALS))
    await ok(await client.post(f"/api/v1/trajectory-agreements/{trajectory['id']}/signatures", headers=coord.headers,
                               json={"by": "counsellor", "method": "signed_form"}))
    await ok(await client.post(f"{base}/competence-cards", headers=coord.headers, json=PROFILE))
    await ok(await client.post(f"{base}/drawings", headers=coord.headers, json=BALANCE))
    await ok(await client.post(f"{base}/integrated-reports", headers=coord.headers, json={
        "evaluation_month": "2027-03", "sections": {"applications": MARKERS["integrated"] + "."}}))

    mid, ids = await ready_meeting(client, case)
    await ok(await client.post(f"/api/v1/meetings/{mid}/invitees", headers=coord.headers,
                               json={"kind": "professional", "user_id": str(caw.user_id)}), (201, 409, 422))
    await ok(await client.put(f"/api/v1/meetings/{mid}/preparation", headers=coord.headers, json={
        "thresholds": MARKERS["thresholds"], "partner_name": MARKERS["partner"],
        "children_names": [MARKERS["child"]], "practical_needs": ["childcare"],
        "urgent_themes": [{"text": MARKERS["urgent_theme"], "life_domain": "finances"}]}))
    async with sm() as s, s.begin():
        m = await s.get(Meeting, uuid.UUID(mid))
        m.reason = MARKERS["meeting_reason"]
        m.jobseeker_questions = MARKERS["voice"]
        own = await s.scalar(select(MeetingInvitee).where(MeetingInvitee.meeting_id == m.id,
                                                          MeetingInvitee.kind == "jobseeker"))
        slot = MeetingSlot(meeting_id=m.id, starts_at=datetime.now(BXL) + timedelta(days=2),
                           ends_at=datetime.now(BXL) + timedelta(days=2, hours=1), location=MARKERS["slot_place"])
        s.add(slot)
        await s.flush()
        s.add(MeetingVote(slot_id=slot.id, invitee_id=own.id, answer="maybe"))
        s.add(MeetingCoordinatorChange(meeting_id=m.id, workspace_id=m.workspace_id, from_user_id=coord.user_id,
                                       to_user_id=coord.user_id, by_user_id=coord.user_id))
        ws = await s.get(Workspace, m.workspace_id)
        s.add(NotificationPreference(jobseeker_id=ws.jobseeker_id, channel="sms", language="nl"))
        s.add(PortalInvitation(workspace_id=ws.id, channel="email", sent_to="j***@test.w2", requested_by="staff"))
    d = datetime.now(BXL).date() + timedelta(days=3)
    await ok(await client.post(f"/api/v1/meetings/{mid}/schedule", headers=coord.headers, json={
        "starts_at": datetime(d.year, d.month, d.day, 10, tzinfo=BXL).isoformat(),
        "ends_at": datetime(d.year, d.month, d.day, 11, tzinfo=BXL).isoformat(), "location": "OCMW"}))
    await ok(await client.put(f"/api/v1/meetings/{mid}/notes/finances", headers=coord.headers,
                              json={"information": MARKERS["meeting_note"]}))
    await ok(await client.put(f"/api/v1/meetings/{mid}/attendance", headers=coord.headers, json={
        "items": [{"invitee_id": i, "attendance": "present"} for i in ids.values()]}))
    await ok(await finalize(client, sm, mid, coord.headers, follow_up_date=(d + timedelta(days=40)).isoformat()))
    return case


async def _portal(client, sm, workspace_id, path):
    from w2.platform.portal_auth import create_portal_link

    async with sm() as s, s.begin():
        raw = await create_portal_link(s, uuid.UUID(str(workspace_id)))
    client.cookies.clear()
    try:
        page = await client.get(f"/portal/in/{raw}")
        r = await client.post(f"/portal/in/{raw}", data={"_csrf_token": csrf(page.text)}, follow_redirects=False)
        assert r.status_code in (302, 303), r.text[:300]
        return [await client.get(p) for p in path]
    finally:
        client.cookies.clear()


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def test_every_personal_table_is_exported_or_excluded():
    from w2.platform.boot.erasure import _owned_predicates
    from w2.platform.boot.export_coverage import EXCLUDED, EXPORTED
    from w2.platform.boot.models import metadata

    owned = set(_owned_predicates(uuid.uuid4()))
    # Every table with a jobseeker or workspace key, directly or through a parent, is one of the owned ones.
    direct = {tb.name for tb in metadata.sorted_tables
              if {fk.column.table.name for fk in tb.foreign_keys} & {"jobseeker", "workspace"}}
    assert direct <= owned
    forgotten = owned - set(EXPORTED) - set(EXCLUDED)
    assert not forgotten, f"export these tables or list them in EXCLUDED with a reason: {sorted(forgotten)}"
    assert not set(EXPORTED) & set(EXCLUDED)
    assert not (set(EXPORTED) | set(EXCLUDED)) - owned  # no stale names
    assert all(len(reason) > 20 for reason in EXCLUDED.values())


async def test_export_holds_every_table_in_json_and_pdf(client, factory, sessionmaker):
    from w2.platform.boot.erasure import _owned_predicates
    from w2.platform.boot.export_coverage import EXPORTED
    from w2.platform.boot.models import metadata
    from w2.platform.models import Workspace

    case = await _rich_case(client, factory, sessionmaker)
    other = await make_case(client, factory, sessionmaker, members=())  # someone else's data stays out
    await client.post(f"/api/v1/workspaces/{other.wid}/agreements", headers=other.coord.headers, json={
        "life_domain": "housing", "description": "Geheim van een ander",
        "owner": {"kind": "agency", "agency_id": str(other.coord.agency_id)}})
    json_r, pdf_r = await _portal(client, sessionmaker, case.wid, ["/portal/gegevens.json", "/portal/gegevens.pdf"])
    assert json_r.status_code == 200 and pdf_r.status_code == 200
    data = json_r.json()

    async with sessionmaker() as s:
        ws = await s.get(Workspace, uuid.UUID(case.wid))
        preds = _owned_predicates(ws.jobseeker_id)
        counts = {name: await s.scalar(select(func.count()).select_from(metadata.tables[name]).where(pred))
                  for name, pred in preds.items()}
    empty = sorted(name for name in EXPORTED if not counts[name])
    assert not empty, f"the test case has no rows in {empty}"
    for table, key in EXPORTED.items():
        assert data.get(key), (table, key)
    text = json_r.text
    for what, marker in MARKERS.items():
        assert marker in text, what
    assert "Geheim van een ander" not in text
    assert data["members"] and any(m["life_domain"] == "finances" for m in data["members"])
    assert any(c["revoked_at"] and c["announced_by"] for c in data["consents"])
    assert data["meetings"][0]["poll"][0]["your_answer"] == "maybe"
    assert data["report_versions"][0]["version"] == 1 and data["report_copies"]
    assert data["messages"] and all("params" not in m for m in data["messages"])
    assert all("zus@test.w2" != m["to"] for m in data["messages"])  # the confidant's messages are theirs
    assert all(e["text"] for e in data["access_log"])

    pdf = _pdf_text(pdf_r.content)
    for what, marker in MARKERS.items():
        assert marker in pdf, what
    for code in RAW_CODES:
        assert code not in pdf, code
    assert "Geheim van een ander" not in pdf
    assert "Verslag van maart 2027" in pdf and "Gemaakt op " in pdf  # dates in words, not ISO codes
    for title in ("Je overleggen", "Wat er op het overleg gezegd is", "Je scores (scoretabel)",
                  "Verslagen van je overleggen", "Wie kreeg het verslag", "Berichten die w2 je stuurde",
                  "Je keuzes voor berichten", "Je tekeningen", "Wie keek wanneer", "Je toestemmingen"):
        assert title in pdf, title
    # The access log in sentences: who, what, about which life domain, when.
    assert re.search(rf"{re.escape(case.coord.agency_name)} \([^)]+\) (bekeek|veranderde) [a-z' -]+", pdf)
    assert "over werk en opleiding" in pdf or "over financiën" in pdf


async def test_export_in_french_and_english(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker, members=())
    await client.post(f"/api/v1/workspaces/{case.wid}/agreements", headers=case.coord.headers, json={
        "life_domain": "housing", "description": "Woning zoeken",
        "owner": {"kind": "agency", "agency_id": str(case.coord.agency_id)}})
    from w2.platform.portal_auth import create_portal_link

    for lang, words in (("fr", ("Vos accords", "Qui a regardé et quand")),
                        ("en", ("Your consents", "Who looked and when"))):
        async with sessionmaker() as s, s.begin():
            raw = await create_portal_link(s, uuid.UUID(case.wid))
        client.cookies.clear()
        try:
            page = await client.get(f"/portal/in/{raw}")
            await client.post(f"/portal/in/{raw}", data={"_csrf_token": csrf(page.text)}, follow_redirects=False)
            home = await client.get("/portal")
            r = await client.post("/portal/taal", data={"language": lang, "_csrf_token": csrf(home.text)},
                                  follow_redirects=False)
            assert r.status_code in (302, 303), r.text[:300]
            pdf = _pdf_text((await client.get("/portal/gegevens.pdf")).content)
        finally:
            client.cookies.clear()
        for w in words:
            assert w in pdf, (lang, w)
        assert "Je toestemmingen" not in pdf

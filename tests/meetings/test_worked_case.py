"""The worked case of DOMAIN.md (handbook ch. 4 §5.2.3, example 2), end to end through the API.

A mother in a family with complex problems; OCMW organises; the mother, GON support, home support,
the youth-court consultant and the VDAB counsellor sit at the table. A CAW worker is a member of the
workspace but has no consent to take part: they are never invited and never see a domain note.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import date, datetime, timedelta

from icalendar import Calendar
from sqlalchemy import select

from tests.factories import new_workspace
from tests.meetings.support import BXL, finalize, portal_vote


def _ics(msg):
    part = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
    cal = Calendar.from_ical(part.get_content())
    return part, cal, next(iter(cal.walk("VEVENT")))


async def _calendar_mails(mailbox, address, count, method="REQUEST"):
    for _ in range(300):
        got = [m for m in mailbox.to(address) if any(
            p.get_content_type() == "text/calendar" and p.get_param("method") == method for p in m.walk())]
        if len(got) >= count:
            return got
        await asyncio.sleep(0.1)
    raise AssertionError(f"no {method} invitation for {address}")


async def test_worked_case_from_request_to_finalize(client, factory, sessionmaker, mailbox, celery_worker):
    from w2.meetings.models import MeetingReportVersion

    ocmw = await factory.person(kind="ocmw", name="Sara Coördinator")
    vdab = await factory.person(kind="vdab", roles=("worker",), name="Tom Trajectbegeleider")
    gon = await factory.person(kind="other", roles=("worker",), name="Lotte GON")
    home = await factory.person(kind="other", roles=("worker",), name="Karim Thuisbegeleider")
    court = await factory.person(kind="jeugdrechtbank", roles=("worker",), name="Jan Consulent")
    caw = await factory.person(kind="caw", roles=("worker",), name="Ines Hulpverlener")
    h = ocmw.headers
    ws = await new_workspace(client, ocmw, given_name="Mira", family_name=f"Voorbeeld{uuid.uuid4().hex[:6]}",
                             email=f"mira-{uuid.uuid4().hex[:6]}@test.w2")
    wid, js_email, js_family = ws["id"], ws["jobseeker"]["email"], ws["jobseeker"]["family_name"]
    for p, q in ((vdab, "afstemming"), (gon, "afstemming"), (home, "afstemming"), (court, "afstemming"),
                 (caw, "advies")):
        r = await client.post(f"/api/v1/workspaces/{wid}/members", headers=h,
                              json={"agency_id": str(p.agency_id), "question_type": q})
        assert r.status_code == 201, r.text
    # The job seeker's consents (signed form), recorded through the consent API.
    consents = [
        (ocmw, ["finances", "housing", "household", "parenting", "work_training"]),
        (vdab, ["work_training", "housing"]),
        (court, ["parenting", "justice"]),
        (gon, ["parenting"]),
        (home, ["parenting", "household"]),
    ]
    for p, domains in consents:
        for purpose in ("information_sharing", "meeting_participation"):
            r = await client.post(f"/api/v1/workspaces/{wid}/consents", headers=h,
                                  json={"agency_id": str(p.agency_id), "purpose": purpose, "life_domains": domains,
                                        "method": "signed_form"})
            assert r.status_code == 201, r.text
    r = await client.put(f"/api/v1/workspaces/{wid}/pivot", headers=h,
                         json={"user_id": str(vdab.user_id), "chosen_by_jobseeker": True,
                               "witness_user_id": str(vdab.user_id)})
    assert r.status_code == 200, r.text

    # 1. The VDAB counsellor proposes a round table: the guidance towards work is stuck.
    r = await client.post(f"/api/v1/workspaces/{wid}/meetings", headers=vdab.headers, json={
        "reason": "Toeleiding naar werk lukt niet; veel diensten over de vloer",
        "goal": "Betere samenwerking en duidelijke taakverdeling",
        "requested_by": {"kind": "professional"}, "jobseeker_participation": "full",
        "urgent_themes": [{"text": "Werkvergunning partner", "life_domain": "work_training"},
                          {"text": "7 personen in 2 kamers", "life_domain": "housing"}],
    })
    assert r.status_code == 201, r.text
    mid = r.json()["id"]
    assert r.json()["status"] == "requested" and r.json()["requested_by"]["user_id"] == str(vdab.user_id)

    # 2. OCMW coordinates and prepares it with the requester and the mother.
    r = await client.put(f"/api/v1/meetings/{mid}/preparation", headers=h, json={
        "jobseeker_informed": True, "prepared_with_user_id": str(vdab.user_id), "practical_needs": ["childcare"],
        "thresholds": "Eerst terughoudend; stemt uiteindelijk toe",
        "urgent_themes": [{"text": "Werkvergunning partner", "life_domain": "work_training"},
                          {"text": "Thuisblijven voor de kinderen", "life_domain": "parenting"},
                          {"text": "Laag inkomen", "life_domain": "finances"},
                          {"text": "7 personen in 2 kamers", "life_domain": "housing"}]})
    assert r.status_code == 200 and r.json()["status"] == "preparing"
    assert len(r.json()["urgent_themes"]) == 4
    # each agency reads only the themes of its own consented domains
    r = await client.get(f"/api/v1/meetings/{mid}", headers=vdab.headers)
    assert [u["text"] for u in r.json()["urgent_themes"]] == ["Werkvergunning partner", "7 personen in 2 kamers"]
    r = await client.get(f"/api/v1/meetings/{mid}", headers=court.headers)
    assert [u["text"] for u in r.json()["urgent_themes"]] == ["Thuisblijven voor de kinderen"]

    # 3. Invitees; CAW has no meeting_participation consent and is refused.
    ids: dict[str, str] = {}
    for name, p in (("ocmw", ocmw), ("vdab", vdab), ("gon", gon), ("home", home), ("court", court)):
        r = await client.post(f"/api/v1/meetings/{mid}/invitees", headers=h,
                              json={"kind": "professional", "user_id": str(p.user_id), "address": "Dienststraat 1"})
        assert r.status_code == 201, r.text
        ids[name] = r.json()["id"]
    r = await client.post(f"/api/v1/meetings/{mid}/invitees", headers=h, json={"kind": "jobseeker"})
    ids["mother"] = r.json()["id"]
    r = await client.post(f"/api/v1/meetings/{mid}/invitees", headers=h,
                          json={"kind": "professional", "user_id": str(caw.user_id)})
    assert r.status_code == 409 and r.json()["missing_consent"]["purpose"] == "meeting_participation"
    r = await client.post(f"/api/v1/meetings/{mid}/jobseeker-agreement", headers=h,
                          json={"method": "verbal", "witness_user_id": str(vdab.user_id)})
    assert r.status_code == 200, r.text

    # 4. Finding a moment: three proposals, answers via the API and the mother's personal link.
    day = datetime.now(BXL).date() + timedelta(days=9)
    slots = []
    for n, hour in enumerate((9, 13, 15)):
        d = day + timedelta(days=n)
        r = await client.post(f"/api/v1/meetings/{mid}/slots", headers=h, json={
            "starts_at": datetime(d.year, d.month, d.day, hour, tzinfo=BXL).isoformat(),
            "ends_at": datetime(d.year, d.month, d.day, hour + 1, 30, tzinfo=BXL).isoformat(),
            "location": "OCMW, Markt 1"})
        assert r.status_code == 201, r.text
        slots.append(r.json()["id"])
    for name, p in (("vdab", vdab), ("gon", gon), ("home", home), ("court", court)):
        for sid, answer in zip(slots, ("yes", "yes", "maybe"), strict=True):
            r = await client.post(f"/api/v1/meetings/{mid}/slots/{sid}/votes", headers=p.headers,
                                  json={"invitee_id": ids[name], "answer": answer})
            assert r.status_code == 201, r.text
    # Staff never get the mother's personal link (DESIGN rule 10); she answers on her own portal.
    r = await client.get(f"/api/v1/meetings/{mid}/invitees/{ids['mother']}/link", headers=h)
    assert r.status_code == 409 and "/m/" not in r.text
    # A link passed on to someone shows only dates, times and places.
    link = (await client.get(f"/api/v1/meetings/{mid}/invitees/{ids['home']}/link", headers=h)).json()["url"]
    view = (await client.get(f"/api/v1/meeting-links/{link.rsplit('/', 1)[1]}")).json()
    assert len(view["slots"]) == 3 and "Toeleiding" not in str(view)
    await portal_vote(client, sessionmaker, wid, mid, {slots[0]: "no", slots[1]: "yes", slots[2]: "yes"})
    ranked = (await client.get(f"/api/v1/meetings/{mid}/slots", headers=h)).json()["items"]
    best = ranked[0]
    assert best["id"] == slots[1] and ranked[-1]["id"] == slots[0]  # the mother cannot on the first

    # 5. Scheduling: invitations arrive in a real mailbox as calendar events.
    mailbox.messages.clear()
    r = await client.post(f"/api/v1/meetings/{mid}/schedule", headers=h, json={
        "starts_at": best["starts_at"], "ends_at": best["ends_at"], "location": "OCMW, Markt 1, zaal 2"})
    assert r.status_code == 200 and r.json()["status"] == "scheduled", r.text
    uid = None
    for p in (ocmw, vdab, gon, home, court):
        msg = (await _calendar_mails(mailbox, p.email, 1))[0]
        part, cal, ev = _ics(msg)
        uid = uid or str(ev["UID"])
        assert str(ev["UID"]) == uid and int(ev["SEQUENCE"]) == 0
        assert ev["DTSTART"].params["TZID"] == "Europe/Brussels"
        assert ev.decoded("DTSTART") == datetime.fromisoformat(best["starts_at"])
        assert str(ev["ORGANIZER"]).lower() == f"mailto:{ocmw.email}"
        raw = msg.as_string()
        for secret in ("Toeleiding", "Werkvergunning", "kamers", js_family, "Mira"):
            assert secret not in raw
    mother_mail = (await _calendar_mails(mailbox, js_email, 1))[0]
    assert js_family not in mother_mail.as_string()
    await asyncio.sleep(0.5)
    assert mailbox.to(caw.email) == []

    # The mother replies through the personal link in her own invitation mail.
    text = next(p for p in mother_mail.walk() if p.get_content_type() == "text/plain").get_content()
    token = re.search(r"/m/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)", text).group(1)
    r = await client.post(f"/api/v1/meeting-links/{token}", json={"rsvp": "accepted"})
    assert r.status_code == 200 and r.json()["rsvp"] == "accepted"

    # 6. At the table: attendance, information per domain, agreements linked to the meeting.
    r = await client.put(f"/api/v1/meetings/{mid}/attendance", headers=h, json={"items": [
        {"invitee_id": ids[k], "attendance": "present"} for k in ("ocmw", "vdab", "gon", "home", "court", "mother")]})
    assert r.status_code == 200 and r.json()["status"] == "held"
    notes = [
        (ocmw, "finances", "Laag inkomen; administratie loopt achter."),
        (ocmw, "housing", "Gezin van 7 personen in 2 kamers."),
        (court, "parenting", "De kinderen moeten naar school, anders dreigt een plaatsing."),
        (vdab, "work_training", "Begeleiding naar werk is nu geen prioriteit voor de moeder."),
    ]
    for p, domain, text in notes:
        r = await client.put(f"/api/v1/meetings/{mid}/notes/{domain}", headers=p.headers, json={"information": text})
        assert r.status_code == 200, (domain, r.text)
    r = await client.put(f"/api/v1/meetings/{mid}/notes/parenting", headers=vdab.headers,
                         json={"information": "x"})
    assert r.status_code == 409  # VDAB has no consent for parenting
    due = date.today() + timedelta(days=30)
    agreements = [
        ("housing", "Samen een betere woning zoeken; afspraak bij de huurdersbond.",
         {"kind": "agency", "agency_id": str(vdab.agency_id)}),
        ("work_training", "De zoon van 18 begeleiden in zijn zoektocht naar werk.",
         {"kind": "user", "user_id": str(vdab.user_id)}),
        ("parenting", "Werken rond het spijbelen van de zoon.", {"kind": "agency", "agency_id": str(home.agency_id)}),
        ("finances", "Administratie in orde brengen en financiële steun geven.",
         {"kind": "agency", "agency_id": str(ocmw.agency_id)}),
    ]
    for domain, text, owner in agreements:
        r = await client.post(f"/api/v1/workspaces/{wid}/agreements", headers=h, json={
            "life_domain": domain, "description": text, "owner": owner, "due_date": str(due), "meeting_id": mid})
        assert r.status_code == 201, r.text
    # Home support may not own a housing agreement (no consent for housing).
    r = await client.post(f"/api/v1/workspaces/{wid}/agreements", headers=h, json={
        "life_domain": "housing", "description": "x", "owner": {"kind": "agency", "agency_id": str(home.agency_id)},
        "meeting_id": mid})
    assert r.status_code == 409

    # Each agency sees only the notes of its consented domains; CAW sees nothing of the meeting.
    async def notes_seen(p):
        r = await client.get(f"/api/v1/meetings/{mid}", headers=p.headers)
        return r.status_code, sorted(n["life_domain"] for n in r.json().get("notes", []))

    assert await notes_seen(ocmw) == (200, ["finances", "housing", "parenting", "work_training"])
    assert await notes_seen(vdab) == (200, ["housing", "work_training"])
    assert await notes_seen(gon) == (200, ["parenting"])
    assert (await notes_seen(caw))[0] == 404
    r = await client.get(f"/api/v1/workspaces/{wid}/meetings", headers=caw.headers)
    assert r.json()["total"] == 0

    # 7. Finalize: the report content is frozen with the agreements per domain and the follow-up date.
    follow = date.today() + timedelta(days=60)
    r = await finalize(client, sessionmaker, mid, h, follow_up_date=str(follow))
    assert r.status_code == 202, r.text
    assert r.json()["status"] == "finalized" and r.json()["report_version"] == 1
    async with sessionmaker() as s:
        row = await s.scalar(select(MeetingReportVersion).where(MeetingReportVersion.meeting_id == uuid.UUID(mid)))
    c = row.content
    assert c["coordinator"]["name"] == "Sara Coördinator" and c["pivot"]["name"] == "Tom Trajectbegeleider"
    assert c["requester"]["name"] == "Tom Trajectbegeleider"
    assert c["jobseeker"]["given_name"] == "Mira"
    assert {i["name"]: i["attendance"] for i in c["invitees"]}["Jan Consulent"] == "present"
    assert all(i["address"] == "Dienststraat 1" for i in c["invitees"] if i["kind"] == "professional")
    by_domain = {d["code"]: d for d in c["domains"]}
    assert by_domain["housing"]["information"] == "Gezin van 7 personen in 2 kamers."
    assert by_domain["housing"]["agreements"][0]["owner_name"] == vdab.agency_name
    assert by_domain["work_training"]["agreements"][0]["owner_name"] == "Tom Trajectbegeleider"
    assert by_domain["parenting"]["agreements"][0]["owner_name"] == home.agency_name
    assert by_domain["finances"]["agreements"][0]["due_date"] == str(due)
    assert by_domain["justice"] == {"code": "justice", "label": "Justitie en rechtsbedeling", "information": None,
                                    "title": None, "improved": None, "agreements": [], "carried": []}
    assert c["urgent_themes"][2] == {"text": "Laag inkomen", "life_domain": "finances"}
    assert c["follow_up_date"] == str(follow)
    assert c["preparation"]["jobseeker_agreement"]["witness"] == "Tom Trajectbegeleider"
    # after finalize nothing at the table changes any more
    r = await client.put(f"/api/v1/meetings/{mid}/notes/finances", headers=h, json={"information": "later"})
    assert r.status_code == 409
    assert re.match(r".+@.+", uid)

"""Finding 10 (part): a member agency's question is case content, tagged with a life domain and filtered by consent."""

from __future__ import annotations

import asyncio
import re
import typing
from datetime import datetime, timedelta

from tests.meetings.support import BXL, finalize, grant, make_case, ready_meeting
from tests.reports.pdfutil import pdf_text

PASSWORD = "vraag-wachtwoord-16"
QUESTION = "Hulp bij leefloon en schulden"


async def _case(client, factory, sessionmaker):
    """OCMW coordinates; CAW joins with a question about money; VDAB may not read finances, JRB may."""
    case = await make_case(client, factory, sessionmaker, members=("vdab", "jrb"))
    caw = await factory.person(roles=("worker",), kind="caw")
    r = await client.post(f"/api/v1/workspaces/{case.wid}/members", headers=case.coord.headers,
                          json={"agency_id": str(caw.agency_id), "question_type": "advies", "question": QUESTION,
                                "life_domain": "finances"})
    assert r.status_code == 201, r.text
    assert r.json()["life_domain"] == "finances" and r.json()["question"] == QUESTION  # the writer's echo
    case.members["caw"] = caw
    await grant(sessionmaker, case.wid, caw.agency_id, "meeting_participation", ["finances"])
    for who, domains in ((case.members["vdab"], ["work_training", "housing"]),
                         (case.members["jrb"], ["finances", "justice"])):
        await grant(sessionmaker, case.wid, who.agency_id, "information_sharing", domains)
        await grant(sessionmaker, case.wid, who.agency_id, "report_distribution", domains)
    return case


async def _sign_in(client, email: str) -> None:
    client.cookies.clear()
    login = await client.get("/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', login.text).group(1)
    r = await client.post("/login", data={"email": email, "password": PASSWORD, "_csrf_token": token},
                          follow_redirects=False)
    assert r.status_code in (302, 303), r.text


def test_the_kernel_knows_the_same_life_domains():
    from w2.consent.domains import LIFE_DOMAINS
    from w2.platform.schemas import LifeDomain

    assert typing.get_args(LifeDomain) == LIFE_DOMAINS


async def test_question_text_only_for_its_agency_and_consented_ones_in_api_and_page(client, factory, sessionmaker):
    from sqlalchemy import select

    from w2.consent.models import AccessLogEntry

    case = await _case(client, factory, sessionmaker)
    vdab, jrb, caw = case.members["vdab"], case.members["jrb"], case.members["caw"]
    base = f"/api/v1/workspaces/{case.wid}"

    def caw_member(body):
        return next(m for m in body["members"] if m["agency_id"] == str(caw.agency_id))

    # No consent for finances: not VDAB, and not the coordinating agency either (no role bypasses consent).
    for who in (vdab, case.coord):
        r = await client.get(base, headers=who.headers)
        assert r.status_code == 200 and QUESTION not in r.text
        m = caw_member(r.json())
        assert m["question"] is None and m["question_withheld"] is True and m["life_domain"] == "finances"
        listed = await client.get("/api/v1/workspaces/", headers=who.headers)
        assert QUESTION not in listed.text
    # The agency the question is addressed to, and an agency holding finances, read it.
    for who in (caw, jrb):
        m = caw_member((await client.get(base, headers=who.headers)).json())
        assert m["question"] == QUESTION and m["question_withheld"] is False
    async with sessionmaker() as s:
        logged = set((await s.execute(select(AccessLogEntry.agency_id, AccessLogEntry.life_domain).where(
            AccessLogEntry.resource_type == "member_question",
            AccessLogEntry.workspace_id == case.ws["id"]))).all())
    assert (jrb.agency_id, "finances") in logged and not any(a == vdab.agency_id for a, _ in logged)

    # The same on the workspace page.
    vdab_worker = await factory.person(agency_id=vdab.agency_id, roles=("worker",), password=PASSWORD)
    jrb_worker = await factory.person(agency_id=jrb.agency_id, roles=("worker",), password=PASSWORD)
    try:
        await _sign_in(client, vdab_worker.email)
        html = (await client.get(f"/workspaces/{case.wid}/diensten")).text
        assert QUESTION not in html and "Je ziet deze vraag niet. Ze gaat over financiën" in html
        await _sign_in(client, jrb_worker.email)
        html = (await client.get(f"/workspaces/{case.wid}/diensten")).text
        assert QUESTION in html
    finally:
        client.cookies.clear()

    # Revocation bites on the next request.
    from w2.consent.models import Consent, ConsentRevocation
    async with sessionmaker() as s, s.begin():
        for c in await s.scalars(select(Consent).where(Consent.agency_id == jrb.agency_id,
                                                       Consent.purpose == "information_sharing")):
            s.add(ConsentRevocation(consent_id=c.id, reason="test"))
    assert caw_member((await client.get(base, headers=jrb.headers)).json())["question"] is None


async def test_add_member_form_asks_the_life_domain(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker, members=())
    me = await factory.person(agency_id=case.coord.agency_id, roles=("coordinator", "worker"), password=PASSWORD)
    other = await factory.person(roles=("worker",), kind="caw")
    try:
        await _sign_in(client, me.email)
        page = (await client.get(f"/workspaces/{case.wid}/diensten")).text
        assert 'name="life_domain"' in page
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)
        form = {"_csrf_token": token, "agency_id": str(other.agency_id), "question_type": "advies",
                "question": QUESTION, "life_domain": "money"}
        r = await client.post(f"/workspaces/{case.wid}/leden", data=form)
        assert r.status_code == 422 and "e-m-domain" in r.text and QUESTION in r.text  # value kept
        r = await client.post(f"/workspaces/{case.wid}/leden", data={**form, "life_domain": "finances"},
                              follow_redirects=False)
        assert r.status_code in (302, 303), r.text
    finally:
        client.cookies.clear()
    r = await client.get(f"/api/v1/workspaces/{case.wid}", headers=other.headers)
    m = next(m for m in r.json()["members"] if m["agency_id"] == str(other.agency_id))
    assert m["life_domain"] == "finances" and m["question"] == QUESTION


async def _download(client, mid: str, headers: dict[str, str], timeout: float = 90):
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        r = await client.get(f"/api/v1/meetings/{mid}/report.pdf", headers=headers)
        if r.status_code != 202 or loop.time() > end:
            return r
        await asyncio.sleep(0.3)


async def test_verslag_copies_hold_the_question_only_for_consented_agencies(client, factory, sessionmaker,
                                                                            celery_worker):
    case = await _case(client, factory, sessionmaker)
    vdab, jrb = case.members["vdab"], case.members["jrb"]
    mid, ids = await ready_meeting(client, case)
    d = datetime.now(BXL).date() + timedelta(days=3)
    r = await client.post(f"/api/v1/meetings/{mid}/schedule", headers=case.coord.headers, json={
        "starts_at": datetime(d.year, d.month, d.day, 10, tzinfo=BXL).isoformat(),
        "ends_at": datetime(d.year, d.month, d.day, 11, tzinfo=BXL).isoformat(), "location": "OCMW"})
    assert r.status_code == 200, r.text
    r = await client.put(f"/api/v1/meetings/{mid}/attendance", headers=case.coord.headers,
                         json={"items": [{"invitee_id": i, "attendance": "present"} for i in ids.values()]})
    assert r.status_code == 200, r.text
    r = await finalize(client, sessionmaker, mid, case.coord.headers,
                       follow_up_date=(d + timedelta(days=40)).isoformat())
    assert r.status_code == 202, r.text
    vdab_copy = await _download(client, mid, vdab.headers)
    jrb_copy = await _download(client, mid, jrb.headers)
    assert vdab_copy.status_code == 200 and jrb_copy.status_code == 200, (vdab_copy.text[:300], jrb_copy.text[:300])
    vdab_text, jrb_text = pdf_text(vdab_copy.content), pdf_text(jrb_copy.content)
    assert QUESTION not in vdab_text and "Sommige vragen worden niet met uw dienst gedeeld" in vdab_text
    assert QUESTION in jrb_text and "Vragen aan de diensten" in jrb_text

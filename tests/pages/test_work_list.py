"""The partner work list (/afspraken): compact rows, filters with counts, note history, inline status, consent."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from tests.consent.helpers import add_agreement, grant, make_case, revoke

PASSWORD = "werklijst-wachtwoord-16"


async def _sign_in(client, person) -> str:
    client.cookies.clear()
    login = await client.get("/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', login.text).group(1)
    r = await client.post("/login", data={"email": person.email, "password": PASSWORD, "_csrf_token": token},
                          follow_redirects=False)
    assert r.status_code in (302, 303), r.text
    return r.headers["location"]


async def _worker(factory, agency_id, roles=("worker",)):
    return await factory.person(agency_id=agency_id, roles=roles, password=PASSWORD)


def _token(html: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)


async def test_partner_lands_on_the_work_list_and_coordinator_does_not(client, factory):
    partner_agency = await factory.agency("other")
    worker = await _worker(factory, partner_agency)
    coord = await _worker(factory, partner_agency, roles=("coordinator", "worker"))
    try:
        assert await _sign_in(client, worker) == "/afspraken"
        assert await _sign_in(client, coord) == "/"
        client.cookies.clear()
        login = await client.get("/login?next=/workspaces")
        r = await client.post("/login", data={"email": worker.email, "password": PASSWORD, "next": "/workspaces",
                                              "_csrf_token": _token(login.text)}, follow_redirects=False)
        assert r.headers["location"] == "/workspaces"  # an explicit target still wins
    finally:
        client.cookies.clear()


async def test_rows_filters_counts_history_and_inline_status(client, factory):
    case = await make_case(client, factory, partners=1, given_name="Lotte", family_name="Peeters")
    p = case.partners[0]
    await grant(client, case, case.coord.agency_id, ["housing", "health", "work_training"])
    await grant(client, case, p.agency_id, ["housing", "health", "work_training"])
    day = date.today()
    late = await add_agreement(client, case, "housing", p.agency_id, description="Huurwaarborg aanvragen",
                               due_date=(day - timedelta(days=3)).isoformat())
    soon = await add_agreement(client, case, "health", p.agency_id, description="Huisarts bellen",
                               due_date=day.isoformat())
    later = await add_agreement(client, case, "work_training", p.agency_id, description="Cursus kiezen",
                                due_date=(day + timedelta(days=30)).isoformat())
    r = await client.patch(f"/api/v1/agreements/{late['id']}", headers=p.headers,
                           json={"status": "in_progress", "note": "Formulier ligt klaar"})
    assert r.status_code == 200, r.text
    worker = await _worker(factory, p.agency_id)
    try:
        await _sign_in(client, worker)
        page = await client.get("/afspraken")
        assert page.status_code == 200, page.text[:300]
        html = page.text
        for a in (late, soon, later):
            assert f'id="a-{a["id"]}"' in html
        assert html.index("Huurwaarborg aanvragen") < html.index("Huisarts bellen")  # overdue first
        assert "Alle (3)" in html and "Te laat (1)" in html and "Deze week (1)" in html
        assert "Lotte Peeters (3)" in html
        assert "Verloop (1)" in html and "Formulier ligt klaar" in html and "werd: Bezig" in html
        overdue = (await client.get("/afspraken?view=overdue")).text
        assert "Huurwaarborg aanvragen" in overdue and "Huisarts bellen" not in overdue and "1 van 3 afspraken" in overdue
        week = (await client.get("/afspraken?view=week")).text
        assert "Huisarts bellen" in week and "Cursus kiezen" not in week
        by_domain = (await client.get("/afspraken?domain=work_training")).text
        assert "Cursus kiezen" in by_domain and "Huisarts bellen" not in by_domain
        by_person = (await client.get(f"/afspraken?person={case.wid}")).text
        assert "3 van 3 afspraken" in by_person
        other = (await client.get(f"/afspraken?person={uuid.uuid4()}")).text
        assert "0 van 3 afspraken" in other
        bad = await client.get("/afspraken?view=morgen&person=x")
        assert bad.status_code == 200 and "Deze filter klopt niet" in bad.text and "Kies een werkzoekende" in bad.text

        r = await client.post(f"/afspraken/{soon['id']}", data={"status": "done", "note": "",
                                                                "_csrf_token": _token(html)}, follow_redirects=False)
        assert r.status_code in (302, 303) and r.headers["location"] == f"/afspraken#a-{soon['id']}"
        api = (await client.get(f"/api/v1/agreements/{soon['id']}", headers=p.headers)).json()
        assert api["status"] == "done"
        after = (await client.get("/afspraken")).text
        assert "Opgeslagen." in after and "Deze week (0)" in after

        nothing = await client.post(f"/afspraken/{later['id']}", data={"status": "open", "note": "",
                                                                        "_csrf_token": _token(after)})
        assert nothing.status_code == 422 and "Kies een nieuwe status of schrijf een notitie." in nothing.text
    finally:
        client.cookies.clear()


async def test_read_only_staff_see_no_forms_and_cannot_post(client, factory):
    case = await make_case(client, factory, partners=1)
    p = case.partners[0]
    await grant(client, case, case.coord.agency_id, ["housing"])
    await grant(client, case, p.agency_id, ["housing"])
    a = await add_agreement(client, case, "housing", p.agency_id, description="Alleen lezen")
    admin = await _worker(factory, p.agency_id, roles=())
    try:
        await _sign_in(client, admin)
        page = await client.get("/afspraken")
        assert "Alleen lezen" in page.text and f'action="/afspraken/{a["id"]}"' not in page.text
        r = await client.post(f"/afspraken/{a['id']}", data={"status": "done", "_csrf_token": _token(page.text)})
        assert r.status_code == 403
        assert "/wijzig" not in page.text
        r = await client.post(f"/afspraken/{a['id']}/wijzig", data={"description": "Anders",
                                                                    "_csrf_token": _token(page.text)})
        assert r.status_code == 403
        api = (await client.get(f"/api/v1/agreements/{a['id']}", headers=p.headers)).json()
        assert api["status"] == "open"
    finally:
        client.cookies.clear()


async def test_agency_without_consent_sees_nothing_of_the_list(client, factory):
    case = await make_case(client, factory, partners=2, given_name="Geheime", family_name="Naam")
    a_agency, b_agency = case.partners[0].agency_id, case.partners[1].agency_id
    await grant(client, case, case.coord.agency_id, ["housing", "justice"])
    await grant(client, case, a_agency, ["housing"])
    b_consent = await grant(client, case, b_agency, ["justice"])
    await add_agreement(client, case, "housing", a_agency, description="Geheim woonplan van A")
    await add_agreement(client, case, "justice", b_agency, description="Advocaat van B bellen")
    await revoke(client, case, b_consent["id"])
    b_worker = await _worker(factory, b_agency)
    try:
        await _sign_in(client, b_worker)
        for path in ("/afspraken", f"/afspraken?person={case.wid}", "/afspraken?domain=housing",
                     "/afspraken?view=overdue"):
            html = (await client.get(path)).text
            assert "Geheim woonplan van A" not in html and "Advocaat van B bellen" not in html, path
            assert "Geheime Naam" not in html, path
            assert "0 van 0 afspraken" in html, path
    finally:
        client.cookies.clear()


async def test_calendar_subscribe_button_and_event_links_to_the_meeting(client, factory, sessionmaker):
    from tests.meetings.support import future, ready_meeting
    from tests.meetings.support import make_case as meeting_case
    from w2.meetings.feed import feed_url

    case = await meeting_case(client, factory, sessionmaker, members=("vdab",))
    mid, _ = await ready_meeting(client, case)
    r = await client.post(f"/api/v1/meetings/{mid}/schedule", headers=case.coord.headers,
                          json={"starts_at": future(10).isoformat(), "ends_at": future(10, 11).isoformat(),
                                "location": "OCMW zaal 2"})
    assert r.status_code == 200, r.text
    vdab = case.members["vdab"]
    async with sessionmaker() as s, s.begin():
        vdab_feed = await feed_url(s, vdab.user_id)
    feed = await client.get("/" + vdab_feed.split("://", 1)[1].split("/", 1)[1])
    unfolded = feed.text.replace("\r\n ", "")
    assert f"URL:http://testserver.local/meetings/{mid}" in unfolded or f"/meetings/{mid}" in unfolded
    assert f"/meetings/{mid}" in unfolded.split("DESCRIPTION:", 1)[1].split("\r\n", 1)[0]
    assert case.ws["id"] not in unfolded  # no workspace, no person: only the meeting link

    worker = await factory.person(agency_id=vdab.agency_id, roles=("worker",), password=PASSWORD)
    try:
        await _sign_in(client, worker)
        html = (await client.get("/afspraken")).text
        webcal = re.search(r'href="(webcal://[^"]+)"', html).group(1)
        async with sessionmaker() as s, s.begin():
            worker_feed = await feed_url(s, worker.user_id)
        assert webcal.endswith(".ics") and webcal.split("://", 1)[1] == worker_feed.split("://", 1)[1]
        assert 'data-copy="feed"' in html and '<script src="/static/copy.js" defer></script>' in html
        assert "<script>" not in html  # no inline script: the CSP allows only /static
        assert (await client.get("/static/copy.js")).status_code == 200
    finally:
        client.cookies.clear()


async def test_text_and_due_date_are_edited_on_the_page(client, factory, sessionmaker):
    from sqlalchemy import select

    from w2.consent.models import AccessLogEntry

    case = await make_case(client, factory, partners=1)
    p = case.partners[0]
    await grant(client, case, case.coord.agency_id, ["housing"])
    await grant(client, case, p.agency_id, ["housing"])
    a = await add_agreement(client, case, "housing", p.agency_id, description="Eerste tekst")
    worker = await _worker(factory, p.agency_id)
    try:
        await _sign_in(client, worker)
        html = (await client.get("/afspraken")).text
        assert f'action="/afspraken/{a["id"]}/wijzig"' in html
        blank = await client.post(f"/afspraken/{a['id']}/wijzig", data={"description": "  ", "due_date": "morgen",
                                                                        "_csrf_token": _token(html)})
        assert blank.status_code == 422 and "Vul dit in." in blank.text and "Vul een datum in" in blank.text
        assert f'id="ed-{a["id"]}" name="description" rows="3" aria-invalid="true"' in blank.text
        unchanged = (await client.get(f"/api/v1/agreements/{a['id']}", headers=p.headers)).json()
        assert unchanged["description"] == "Eerste tekst" and unchanged["due_date"] is None
        due = (date.today() + timedelta(days=9)).isoformat()
        r = await client.post(f"/afspraken/{a['id']}/wijzig", data={"description": "Betere tekst", "due_date": due,
                                                                    "_csrf_token": _token(html)},
                              follow_redirects=False)
        assert r.status_code in (302, 303) and r.headers["location"] == f"/afspraken#a-{a['id']}"
        now = (await client.get(f"/api/v1/agreements/{a['id']}", headers=p.headers)).json()
        assert now["description"] == "Betere tekst" and now["due_date"] == due
        async with sessionmaker() as s:
            logged = (await s.scalars(select(AccessLogEntry).where(
                AccessLogEntry.resource_id == a["id"], AccessLogEntry.action == "update",
                AccessLogEntry.actor_user_id == worker.user_id))).all()
        assert len(logged) == 1
    finally:
        client.cookies.clear()

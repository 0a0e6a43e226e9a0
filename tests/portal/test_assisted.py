"""Assisted sessions (DESIGN rule 11): staff open the job seeker's pages with them at the counter.

Labelled on every page, logged as `assisted` under the professional's name, shown in "wie keek",
consent recorded in it announced like staff-recorded consent, the national number never in full,
and ending it returns the professional to their own session.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from tests.factories import new_workspace
from tests.portal.helpers import PASSWORD, csrf, deliver_pending, fresh_client, link_in, staff_sign_in
from w2.consent.models import AccessLogEntry, Consent
from w2.platform.outbox import OutboxMessage

NATIONAL_NUMBER = "85073003328"
PORTAL_PAGES = ["/portal", "/portal/betrokken", "/portal/toestemming", "/portal/afspraken", "/portal/bekeken",
                "/portal/gegevens"]


async def _case(client, factory):
    coord = await factory.person(kind="ocmw", roles=("coordinator", "worker"), password=PASSWORD)
    partner = await factory.person(kind="vdab", roles=("worker",), password=PASSWORD)
    email = f"ana-{uuid.uuid4().hex[:6]}@example.be"
    ws = await new_workspace(client, coord, given_name="Ana", email=email, national_number=NATIONAL_NUMBER,
                             birth_date="1985-07-30")
    r = await client.post(f"/api/v1/workspaces/{ws['id']}/members", headers=coord.headers,
                          json={"agency_id": str(partner.agency_id), "question_type": "advies"})
    assert r.status_code == 201, r.text
    return coord, partner, uuid.UUID(ws["id"]), email


async def test_assisted_session_is_labelled_logged_announced_and_ends_in_the_staff_session(
        client, factory, sessionmaker, mailbox):
    coord, partner, wid, email = await _case(client, factory)
    async with fresh_client(client) as c:
        await staff_sign_in(c, coord.email)
        page = await c.get(f"/workspaces/{wid}")
        assert "Open de pagina's samen met de werkzoekende" in page.text
        token = csrf(page.text)
        refused = await c.post(f"/workspaces/{wid}/samen", data={"_csrf_token": token})
        assert refused.status_code == 422 and "naast je zit" in refused.text
        r = await c.post(f"/workspaces/{wid}/samen", data={"_csrf_token": token, "present": "1"},
                         follow_redirects=False)
        assert r.status_code in (302, 303) and r.headers["location"] == "/portal"
        banner = f"Samen met {coord.name} van {coord.agency_name}"
        for path in PORTAL_PAGES:
            p = await c.get(path)
            assert p.status_code == 200, path
            assert banner in p.text, path
            assert NATIONAL_NUMBER not in p.text and "073003328" not in p.text, path
        export = await c.get("/portal/gegevens.json")
        assert export.status_code == 200 and export.json()["jobseeker"]["national_number"] == "85.07.30-***.**"
        assert NATIONAL_NUMBER not in export.text
        # The professional's own pages are closed while they sit in the job seeker's pages.
        assert (await c.get(f"/workspaces/{wid}", follow_redirects=False)).status_code != 200
        # A consent switched on together is the professional's recording, announced to the job seeker.
        page = await c.get("/portal/toestemming")
        r = await c.post("/portal/toestemming", data={"_csrf_token": csrf(page.text), "value": "yes",
                                                      "agency_id": str(partner.agency_id),
                                                      "life_domain": "housing"}, follow_redirects=False)
        assert r.status_code in (302, 303), r.text
        stop = await c.post("/portal/samen/stop", data={"_csrf_token": csrf(page.text)}, follow_redirects=False)
        assert stop.status_code in (302, 303) and stop.headers["location"] == f"/workspaces/{wid}"
        back = await c.get(f"/workspaces/{wid}")
        assert back.status_code == 200 and f"Samen met {coord.name}" not in back.text
        assert (await c.get("/portal", follow_redirects=False)).status_code in (302, 303)

    async with sessionmaker() as s:
        consent = (await s.scalars(select(Consent).where(Consent.workspace_id == wid,
                                                         Consent.agency_id == partner.agency_id))).one()
        assert consent.method == "assisted" and consent.recorded_by_user_id == coord.user_id
        assert consent.recorded_by_jobseeker is False
        notice = (await s.scalars(select(OutboxMessage).where(
            OutboxMessage.idempotency_key == f"consent-recorded:{consent.id}"))).one()
        assert notice.to_address == email
        log = list(await s.scalars(select(AccessLogEntry).where(AccessLogEntry.workspace_id == wid)
                                   .order_by(AccessLogEntry.at)))
    assisted = [e for e in log if e.actor_kind == "assisted"]
    assert {e.actor_user_id for e in assisted} == {coord.user_id}
    assert {e.agency_id for e in assisted} == {coord.agency_id}
    assert {e.actor_name for e in assisted} == {coord.name}
    viewed = {e.resource_id for e in assisted if e.resource_type == "portal_page"}
    assert set(PORTAL_PAGES) | {"/portal/gegevens.json"} <= viewed
    assert any(e.action == "grant" and e.resource_type == "consent" for e in assisted)
    assert not [e for e in log if e.actor_kind == "jobseeker"]  # nothing was put in the job seeker's name
    kinds = [(e.actor_kind, e.action) for e in log if e.resource_type == "assisted_session"]
    assert kinds == [("staff", "assist_start"), ("assisted", "assist_end")]

    # The job seeker, signing in with their own link, sees it all in "wie keek" as done with them.
    r = await client.post(f"/api/v1/workspaces/{wid}/portal-invitations", json={"channel": "email"},
                          headers=coord.headers)
    assert r.status_code == 202
    assert "sent" in await deliver_pending(sessionmaker, wid)
    mails = await mailbox.wait_for(1, address=email)
    token = link_in(next(m for m in mails if "/portal/in/" in m.get_body(("plain",)).get_content())
                    .get_body(("plain",)).get_content())
    async with fresh_client(client) as c:
        page = await c.get(f"/portal/in/{token}")
        await c.post(f"/portal/in/{token}", data={"_csrf_token": csrf(page.text)})
        seen = await c.get("/portal/bekeken")
        assert seen.status_code == 200 and f"{coord.name}" in seen.text and "samen met jou" in seen.text
        assert "opende je pagina&#39;s samen met jou" in seen.text or "opende je pagina's samen met jou" in seen.text
        assert "bekeek een van je pagina" in seen.text
        assert "werkte samen met jou op je pagina" in seen.text
        assert "assisted-banner" not in seen.text  # the job seeker alone: no assisted label


async def test_only_staff_of_a_member_agency_may_open_one_and_it_ends_when_they_leave(client, factory,
                                                                                     sessionmaker):
    coord, partner, wid, _ = await _case(client, factory)
    outsider = await factory.person(roles=("coordinator", "worker"), password=PASSWORD)
    admin = await factory.person(agency_id=coord.agency_id, roles=("platform_admin",), password=PASSWORD)
    for person, expected in ((outsider, 404), (admin, 404)):  # the platform admin sees no workspace
        async with fresh_client(client) as c:
            await staff_sign_in(c, person.email)
            page = await c.get("/")
            r = await c.post(f"/workspaces/{wid}/samen", data={"_csrf_token": csrf(page.text), "present": "1"},
                             follow_redirects=False)
            assert r.status_code == expected, (person.email, r.status_code)
            assert (await c.get("/portal", follow_redirects=False)).status_code != 200
    # The partner opens one; once their agency leaves the workspace, the session is over.
    async with fresh_client(client) as c:
        await staff_sign_in(c, partner.email)
        page = await c.get(f"/workspaces/{wid}")
        r = await c.post(f"/workspaces/{wid}/samen", data={"_csrf_token": csrf(page.text), "present": "1"},
                         follow_redirects=False)
        assert r.status_code in (302, 303)
        assert (await c.get("/portal")).status_code == 200
        from w2.platform.models import Membership

        async with sessionmaker() as s, s.begin():
            m = (await s.scalars(select(Membership).where(Membership.workspace_id == wid,
                                                          Membership.agency_id == partner.agency_id))).one()
            await s.delete(m)
        assert (await c.get("/portal", follow_redirects=False)).status_code in (302, 303)

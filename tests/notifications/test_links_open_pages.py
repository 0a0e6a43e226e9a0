"""Every link w2 puts in a message opens a page in the browser: never raw problem JSON (issue 16, bug 1)."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

from sqlalchemy import select

from tests.factories import new_workspace
from tests.notifications.helpers import add_member, agreements, grant
from w2.notifications import reminders
from w2.platform.outbox import OutboxMessage

PASSWORD = "een-goed-wachtwoord-16"


def _csrf(html: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


async def test_links_in_reminders_open_pages(app, client, factory, sessionmaker):
    coord = await factory.person(roles=("coordinator", "worker"), password=PASSWORD)
    ws = await new_workspace(client, coord)
    partner = await factory.person(roles=("worker",), password=PASSWORD)
    await add_member(sessionmaker, ws["id"], partner.agency_id, partner.user_id)
    from datetime import timedelta

    from w2.consent.policy import today

    await grant(sessionmaker, ws["id"], partner.agency_id, ["housing"], valid_until=today() + timedelta(days=5))
    await agreements(sessionmaker, ws["id"], due_in=2, agency_id=partner.agency_id)
    await agreements(sessionmaker, ws["id"], due_in=-1, agency_id=partner.agency_id)
    await reminders.run_all(sessionmaker)
    async with sessionmaker() as s:
        msgs = list(await s.scalars(select(OutboxMessage).where(OutboxMessage.workspace_id == uuid.UUID(ws["id"]))))
    links = {(m.recipient_user_id, m.params.get("link")) for m in msgs if m.params.get("link")}
    kinds = {m.kind for m in msgs}
    assert {"agreement_due", "agreement_overdue", "consent_ending"} <= kinds, kinds
    assert links
    who = {coord.user_id: coord, partner.user_id: partner}
    for user_id, link in links:
        parts = urlsplit(link)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        client.cookies.clear()
        r = await client.get(path, follow_redirects=False)
        # Signed out: a page that leads to sign-in, never a bare 404 problem document.
        assert r.status_code in (200, 302, 303), (link, r.status_code, r.text[:200])
        assert "problem+json" not in r.headers.get("content-type", "")
        person = who.get(user_id)
        if person is None:
            continue
        try:
            login = await client.get("/login")
            r = await client.post("/login", data={"email": person.email, "password": PASSWORD,
                                                  "_csrf_token": _csrf(login.text)}, follow_redirects=False)
            assert r.status_code in (302, 303), r.text
            page = await client.get(path)
            assert page.status_code == 200, (link, page.status_code, page.text[:300])
            assert page.headers["content-type"].startswith("text/html"), link
            if parts.fragment:
                assert f'id="{parts.fragment}"' in page.text, link
        finally:
            client.cookies.clear()

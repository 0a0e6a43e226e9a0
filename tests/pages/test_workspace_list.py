"""'Mijn werkruimtes': search by the job seeker's name among visible workspaces only, and a status per workspace."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.factories import new_workspace, unique
from tests.pages.cases import grant, make_case
from tests.pages.test_workspace_sections import _signed_in


def _rows(html: str) -> dict[str, str]:
    """Name -> status cell text of the list."""
    body = html.split('id="werkruimtes"')[1].split("</table>")[0] if 'id="werkruimtes"' in html else ""
    rows = re.findall(r'<th scope="row"><a href="/workspaces/[^"]+">([^<]+)</a></th>\s*<td>(.*?)</td>', body, re.S)
    return {name: re.sub(r"<[^>]+>", " ", cell) for name, cell in rows}


async def test_search_finds_only_visible_workspaces_by_name(client, factory, sessionmaker):
    case = await make_case(client, factory, sessionmaker, coordinator_password="lijst-wachtwoord-16")
    other_name = unique("Jonas").replace(" ", "")
    await new_workspace(client, case.coordinator, given_name=other_name, family_name="Peeters")
    stranger = await factory.person(kind="other", roles=("coordinator", "worker"))
    hidden = unique("Mira").replace(" ", "")  # shares the first letters with the case's name, but not visible
    await new_workspace(client, stranger, given_name=hidden, family_name="Verborgen")
    try:
        await _signed_in(client, case.coordinator, "lijst-wachtwoord-16")
        everything = _rows((await client.get("/")).text)
        assert any(case.given_name in n for n in everything) and any(other_name in n for n in everything)
        found = _rows((await client.get("/", params={"zoek": case.given_name.lower()})).text)
        assert list(found) and all(case.given_name in n for n in found)
        assert _rows((await client.get("/", params={"zoek": f"{other_name} peet"})).text).keys() == {
            f"{other_name} Peeters"}
        # A name from a workspace of another agency is not found, and the page says so in plain words.
        page = await client.get("/", params={"zoek": hidden})
        assert _rows(page.text) == {} and "Geen werkruimte gevonden" in page.text
        assert "Verborgen" not in page.text
        # LIKE wildcards are text, not patterns.
        assert _rows((await client.get("/", params={"zoek": "%"})).text) == {}
    finally:
        client.cookies.clear()


async def test_status_column_follows_consent_and_is_logged(client, factory, sessionmaker):
    from w2.consent.models import AccessLogEntry
    from w2.meetings.models import Meeting

    case = await make_case(client, factory, sessionmaker, partner_password="status-wachtwoord-16",
                           coordinator_password="status-coord-16")
    caw = await factory.person(kind="caw", roles=("worker",), password="status-caw-16")
    r = await client.post(f"/api/v1/workspaces/{case.workspace_id}/members", headers=case.coordinator.headers,
                          json={"agency_id": str(caw.agency_id), "question_type": "advies"})
    assert r.status_code == 201, r.text
    await grant(sessionmaker, case.workspace_id, caw.agency_id, ["health"])  # nothing overdue in health
    start = datetime.now(UTC) + timedelta(days=5)
    async with sessionmaker() as s, s.begin():
        s.add(Meeting(workspace_id=case.workspace_id, status="scheduled", reason="r", goal="g",
                      requested_by_kind="professional", starts_at=start, ends_at=start + timedelta(hours=1),
                      ics_uid=f"{uuid.uuid4()}@test"))
        s.add(Meeting(workspace_id=case.workspace_id, status="requested", reason="r", goal="g",
                      requested_by_kind="jobseeker", ics_uid=f"{uuid.uuid4()}@test"))
    name = f"{case.given_name}"
    try:
        await _signed_in(client, case.partner, "status-wachtwoord-16")
        [status] = [v for k, v in _rows((await client.get("/")).text).items() if name in k]
        assert "afspraken over tijd" in status
        async with sessionmaker() as s:
            logged = set(await s.scalars(select(AccessLogEntry.life_domain).where(
                AccessLogEntry.workspace_id == case.workspace_id, AccessLogEntry.agency_id == case.partner.agency_id,
                AccessLogEntry.resource_type == "agreement")))
        assert logged == {"finances"}  # the overdue one, and only that domain

        # CAW may read no domain with an overdue agreement: the list does not hint at one.
        await _signed_in(client, caw, "status-caw-16")
        [status] = [v for k, v in _rows((await client.get("/")).text).items() if name in k]
        assert "afspraken over tijd" not in status

        # The coordinating agency sees the request of the job seeker and the planned round table.
        await _signed_in(client, case.coordinator, "status-coord-16")
        [status] = [v for k, v in _rows((await client.get("/")).text).items() if name in k]
        assert "vraag van de werkzoekende" in status and "overleg gepland" in status
        assert "afspraken over tijd" in status and "wacht op toestemming" not in status
        fresh = unique("Noor").replace(" ", "")
        await new_workspace(client, case.coordinator, given_name=fresh)
        [status] = [v for k, v in _rows((await client.get("/", params={"zoek": fresh})).text).items()]
        assert "wacht op toestemming" in status
    finally:
        client.cookies.clear()

"""Helpers for meeting tests: a workspace with member agencies, consents, times in Brussels."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.factories import Person, new_workspace

BXL = ZoneInfo("Europe/Brussels")
ALL_DOMAINS = ["finances", "work_training", "health", "parenting", "household", "social", "participation",
               "housing", "justice", "network", "inner", "other"]


async def grant(sm: Any, workspace_id: Any, agency_id: Any, purpose: str, domains: list[str],
                valid_until: date | None = None) -> uuid.UUID:
    """Record a consent directly (the consent API belongs to another domain)."""
    from w2.consent.models import Consent, ConsentGrant

    async with sm() as s, s.begin():
        c = Consent(workspace_id=uuid.UUID(str(workspace_id)), agency_id=agency_id, purpose=purpose,
                    life_domains=domains, method="signed_form", text_version="test-1", valid_until=valid_until)
        s.add(c)
        await s.flush()
        for d in domains:
            s.add(ConsentGrant(consent_id=c.id, life_domain=d, workspace_id=c.workspace_id, agency_id=agency_id,
                               purpose=purpose, valid_until=valid_until))
        return c.id


async def revoke(sm: Any, consent_id: uuid.UUID) -> None:
    """Withdraw a consent directly."""
    from w2.consent.models import ConsentRevocation

    async with sm() as s, s.begin():
        s.add(ConsentRevocation(consent_id=consent_id, reason="test"))


def future(days: int = 14, hour: int = 10, minutes: int = 0) -> datetime:
    """A Brussels-local moment some days from now."""
    d = (datetime.now(BXL) + timedelta(days=days)).date()
    return datetime(d.year, d.month, d.day, hour, minutes, tzinfo=BXL)


@dataclass
class Case:
    """A workspace coordinated by `coord`, with extra member professionals."""

    ws: dict[str, Any]
    coord: Person
    members: dict[str, Person] = field(default_factory=dict)

    @property
    def wid(self) -> str:
        return self.ws["id"]


async def make_case(client: Any, factory: Any, sm: Any, members: tuple[str, ...] = ("vdab",),
                    consent: tuple[str, ...] | None = None, password: str | None = None, **jobseeker: Any) -> Case:
    """Coordinator + member agencies; `consent` lists which members (and 'coord') get meeting_participation."""
    coord = await factory.person(kind="ocmw", password=password)
    ws = await new_workspace(client, coord, email=f"js-{uuid.uuid4().hex[:8]}@test.w2", **jobseeker)
    case = Case(ws=ws, coord=coord)
    for name in members:
        p = await factory.person(roles=("worker",), kind="other")
        r = await client.post(f"/api/v1/workspaces/{ws['id']}/members",
                              json={"agency_id": str(p.agency_id), "question_type": "afstemming"},
                              headers=coord.headers)
        assert r.status_code == 201, r.text
        case.members[name] = p
    for name in consent if consent is not None else ("coord", *members):
        who = coord if name == "coord" else case.members[name]
        await grant(sm, ws["id"], who.agency_id, "meeting_participation", ALL_DOMAINS)
    return case


async def new_meeting(client: Any, case: Case, **extra: Any) -> dict[str, Any]:
    """Request a meeting as the coordinator."""
    body = {"reason": "Begeleiding zit vast", "goal": "Afspraken maken", "requested_by": {"kind": "professional"},
            **extra}
    r = await client.post(f"/api/v1/workspaces/{case.wid}/meetings", json=body, headers=case.coord.headers)
    assert r.status_code == 201, r.text
    return r.json()


async def invite(client: Any, case: Case, mid: str, **body: Any) -> Any:
    """POST an invitee (returns the response)."""
    return await client.post(f"/api/v1/meetings/{mid}/invitees", json=body, headers=case.coord.headers)


async def agree(client: Any, case: Case, mid: str) -> None:
    """Record the job seeker's agreement on a signed form."""
    r = await client.post(f"/api/v1/meetings/{mid}/jobseeker-agreement", json={"method": "signed_form"},
                          headers=case.coord.headers)
    assert r.status_code == 200, r.text


async def ready_meeting(client: Any, case: Case, invited: tuple[str, ...] | None = None) -> tuple[str, dict[str, str]]:
    """A meeting with the coordinator, members and the job seeker invited and agreed; returns invitee ids."""
    m = await new_meeting(client, case)
    mid = m["id"]
    ids = {}
    people = [("coord", case.coord), *case.members.items()]
    for name, who in [(n, w) for n, w in people if invited is None or n in invited]:
        r = await invite(client, case, mid, kind="professional", user_id=str(who.user_id))
        assert r.status_code == 201, r.text
        ids[name] = r.json()["id"]
    r = await invite(client, case, mid, kind="jobseeker")
    assert r.status_code == 201, r.text
    ids["jobseeker"] = r.json()["id"]
    await agree(client, case, mid)
    return mid, ids


async def portal_vote(client: Any, sm: Any, workspace_id: Any, mid: str, answers: dict[str, str]) -> None:
    """The job seeker signs in on their own portal (one-time link) and answers the poll there."""
    import re

    from tests.pages.cases import portal_link
    from tests.portal.helpers import csrf, fresh_client

    async with fresh_client(client) as c:
        link = await portal_link(sm, uuid.UUID(str(workspace_id)))
        page = await c.get(link)
        r = await c.post(link, data={"_csrf_token": csrf(page.text)}, follow_redirects=False)
        assert r.status_code in (302, 303) and r.headers["location"] == "/portal", r.text[:300]
        for slot_id, answer in answers.items():
            page = await c.get(f"/portal/overleg/{mid}")
            assert page.status_code == 200, page.text[:300]
            assert re.search(rf'name="slot_id" value="{slot_id}"', page.text)
            r = await c.post(f"/portal/overleg/{mid}/stem", follow_redirects=False,
                             data={"_csrf_token": csrf(page.text), "slot_id": slot_id, "answer": answer})
            assert r.status_code in (302, 303), r.text[:300]


async def took_place(sm: Any, mid: Any, hours_ago: float = 2) -> None:
    """Move a scheduled meeting's start into the past, keeping its length (the API only schedules ahead)."""
    from w2.meetings.models import Meeting

    async with sm() as s, s.begin():
        m = await s.get(Meeting, uuid.UUID(str(mid)))
        assert m is not None and m.starts_at is not None and m.ends_at is not None
        length = m.ends_at - m.starts_at
        m.starts_at = datetime.now(BXL) - timedelta(hours=hours_ago)
        m.ends_at = m.starts_at + length


async def finalize(client: Any, sm: Any, mid: Any, headers: dict[str, str], **body: Any) -> Any:
    """POST finalize once the meeting took place (its start moved into the past); returns the response."""
    await took_place(sm, mid)
    return await client.post(f"/api/v1/meetings/{mid}/finalize", json=body, headers=headers)

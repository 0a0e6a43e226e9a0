"""The job seeker sees how others' agreements go only where that service shares in the domain (consent policy)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.meetings.test_checkin import _portal
from tests.pages.cases import make_case
from tests.portal.helpers import fresh_client


async def _progress(sm, workspace_id, owner_agency_id, domain, text, note):
    from w2.meetings.agreements.models import Agreement, AgreementNote

    async with sm() as s, s.begin():
        a = Agreement(workspace_id=workspace_id, life_domain=domain, description=text, owner_kind="agency",
                      owner_agency_id=owner_agency_id, due_date=date.today() + timedelta(days=5), status="in_progress")
        s.add(a)
        await s.flush()
        s.add(AgreementNote(agreement_id=a.id, status="in_progress", note=note))
        return a.id


async def test_progress_of_a_service_without_consent_for_the_domain_is_not_shown(client, factory, sessionmaker):
    from w2.consent.models import Consent, ConsentRevocation

    case = await make_case(client, factory, sessionmaker)  # the partner shares finances, housing, work_training
    wid, partner = case.workspace_id, case.partner
    await _progress(sessionmaker, wid, partner.agency_id, "housing", "Woning zoeken met de huurdersbond",
                    "Afspraak bij de huurdersbond op dinsdag.")
    await _progress(sessionmaker, wid, partner.agency_id, "health", "Gesprek over gezondheid",
                    "Intern: contact met de huisarts gehad.")
    async with fresh_client(client) as c:
        await _portal(c, sessionmaker, wid)
        page = (await c.get("/portal/afspraken")).text
        # Shared: what, who, by when, how it goes and the service's latest news.
        assert "Woning zoeken met de huurdersbond" in page and "Afspraak bij de huurdersbond op dinsdag." in page
        # Not shared (no consent for health): the agreement itself is there, its progress is not.
        assert "Gesprek over gezondheid" in page
        assert "Intern: contact met de huisarts gehad." not in page
        assert f"{partner.agency_name} deelt hier niet hoe het loopt." in page

        # Withdrawing housing from the partner bites on the next request.
        async with sessionmaker() as s, s.begin():
            consent = await s.scalar(select(Consent).where(
                Consent.workspace_id == wid, Consent.agency_id == partner.agency_id,
                Consent.purpose == "information_sharing"))
            s.add(ConsentRevocation(consent_id=consent.id, reason="test"))
        page = (await c.get("/portal/afspraken")).text
        assert "Woning zoeken met de huurdersbond" in page
        assert "Afspraak bij de huurdersbond op dinsdag." not in page

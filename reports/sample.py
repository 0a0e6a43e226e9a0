"""Report content for the worked case (DOMAIN.md) and a large synthetic one: for tests, bench and previews."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from w2.consent.domains import LIFE_DOMAINS
from w2.reports.schemas import (
    AgreementItem,
    DomainSection,
    Invitee,
    PersonRef,
    ReportContent,
    UrgentTheme,
)

ADDRESS = "Kerkstraat 1\n2000 Demostad"


def worked_case(follow_up: date | None = None) -> ReportContent:
    """The mother with complex problems: OCMW organises, VDAB becomes the anchor person."""
    held = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
    due = held.date()
    return ReportContent(
        meeting_id=uuid.uuid4(),
        workspace_id=uuid.uuid4(),
        version=1,
        finalized_at=held + timedelta(hours=3),
        held_at=held,
        location="OCMW Demostad, zaal 2",
        coordinator=PersonRef(name="Sara Coördinator", function="maatschappelijk werker", agency="OCMW Demostad"),
        pivot=PersonRef(name="Tom Trajectbegeleider", function="trajectbegeleider", agency="VDAB Demostad"),
        jobseeker=PersonRef(name="Mira Voorbeeld"),
        partner="Samir Voorbeeld",
        children=["Adam (18)", "Lina (12)", "Yara (9)", "Nour (6)", "Sami (3)"],
        confidants=["Fatima Voorbeeld (zus)"],
        invitees=[
            Invitee(name="Mira Voorbeeld", kind="jobseeker", attendance="present"),
            Invitee(name="Sara Coördinator", function="maatschappelijk werker", agency="OCMW Demostad",
                    address=ADDRESS, email="coordinator@ocmw.demo", attendance="present"),
            Invitee(name="Tom Trajectbegeleider", function="trajectbegeleider", agency="VDAB Demostad",
                    address="Stationsplein 4\n2000 Demostad", email="trajectbegeleider@vdab.demo",
                    attendance="present"),
            Invitee(name="Lotte GON", function="GON-begeleider", agency="GON-begeleiding Demostad",
                    address="Schoolstraat 12\n2000 Demostad", email="begeleider@gon.demo", attendance="present"),
            Invitee(name="Karim Thuisbegeleider", function="thuisbegeleider", agency="Thuisbegeleiding Demostad",
                    address="Molenweg 3\n2000 Demostad", email="thuisbegeleider@thuis.demo", attendance="present"),
            Invitee(name="Jan Consulent", function="consulent", agency="Sociale dienst jeugdrechtbank Demostad",
                    address="Gerechtsplein 1\n2000 Demostad", email="consulent@jeugdrechtbank.demo",
                    attendance="present"),
            Invitee(name="Ines Hulpverlener", function="hulpverlener", agency="CAW Demostad",
                    email="hulpverlener@caw.demo", attendance="excused"),
        ],
        requester="Sara Coördinator (OCMW Demostad)",
        reason="Veel diensten werken met het gezin, maar los van elkaar. De begeleiding zit vast.",
        started_because="Mira kan niet gaan werken zolang thuis, school en geld niet geregeld zijn.",
        goal="Samen kiezen wie wat doet, en één vaste contactpersoon voor Mira afspreken.",
        wishes_jobseeker="Ik wil werken, maar ik moet thuis zijn als de kinderen ziek zijn.",
        wishes_professionals="Afspreken wie Mira's vaste aanspreekpunt wordt.",
        prepared_by="Sara Coördinator",
        participation="full",
        practical_needs=["childcare"],
        urgent_themes=[
            UrgentTheme(text="Arbeidskaart voor haar partner", life_domain="work_training"),
            UrgentTheme(text="Thuis moeten blijven voor kinderen met gezondheids- en leerproblemen",
                        life_domain="parenting"),
            UrgentTheme(text="Te laag inkomen", life_domain="finances"),
            UrgentTheme(text="Met zeven personen in twee kamers wonen", life_domain="housing"),
        ],
        strengths="Mira zorgt goed voor haar kinderen. Ze spreekt goed Nederlands en wil graag werken.",
        domains=[
            DomainSection(domain="finances", information="Het gezin leeft van een leefloon. Er zijn achterstallige rekeningen.",
                          agreements=[AgreementItem(description="Papieren in orde brengen en financiële steun aanvragen.",
                                                    owner="OCMW Demostad", due_date=due + timedelta(days=14))]),
            DomainSection(domain="work_training", information="De oudste zoon (18) heeft geen diploma en zoekt werk.",
                          agreements=[AgreementItem(description="De zoon van 18 begeleiden naar werk.",
                                                    owner="VDAB Demostad", due_date=due + timedelta(days=30))]),
            DomainSection(domain="parenting", information="Twee kinderen spijbelen. De jeugdrechtbank volgt dit op.",
                          agreements=[
                              AgreementItem(description="Werken aan het spijbelen van de zoon.",
                                            owner="Thuisbegeleiding Demostad", due_date=due + timedelta(days=7)),
                              AgreementItem(description="Elke week de schoolagenda samen bekijken.",
                                            owner="Mira Voorbeeld", owner_kind="jobseeker",
                                            due_date=due + timedelta(days=7)),
                          ]),
            DomainSection(domain="housing", information="Zeven personen wonen in twee kamers.",
                          agreements=[AgreementItem(description="Afspraak maken bij de huurdersbond om samen een grotere woning te zoeken.",
                                                    owner="VDAB Demostad", due_date=due + timedelta(days=10),
                                                    informs="VDAB Demostad informeert het OCMW")]),
            DomainSection(domain="justice", information="De kinderen moeten naar school gaan, anders dreigt een plaatsing.",
                          agreements=[AgreementItem(description="Over een maand verslag geven aan de jeugdrechter.",
                                                    owner="Sociale dienst jeugdrechtbank Demostad",
                                                    due_date=due + timedelta(days=31))]),
            DomainSection(domain="other", title="Zelfvertrouwen",
                          information="Mira twijfelt of ze werk en gezin kan combineren."),
        ],
        follow_up_date=follow_up or due + timedelta(days=42),
    )


def large_case(domains: int = 11, agreements: int = 40, invitees: int = 12) -> ReportContent:
    """A big report: every domain with information, many agreements and invitees."""
    base = worked_case()
    codes = LIFE_DOMAINS[:domains]
    sections = []
    for k, code in enumerate(codes):
        items = [
            AgreementItem(description=f"Afspraak {n + 1} over {code}: samen de volgende stap zetten en opvolgen.",
                          owner=f"Dienst {n % invitees + 1}", due_date=date(2026, 4, 1) + timedelta(days=n))
            for n in range(agreements) if n % len(codes) == k
        ]
        sections.append(DomainSection(domain=code, information=("Informatie over dit domein. " * 12).strip(),
                                      agreements=items))
    people = [
        Invitee(name=f"Medewerker {n + 1}", function="consulent", agency=f"Dienst {n + 1}",
                address=f"Straat {n + 1}\n2000 Demostad", email=f"m{n + 1}@dienst.demo", attendance="present")
        for n in range(invitees)
    ]
    import msgspec

    return msgspec.structs.replace(base, domains=sections, invitees=people)


def minimal_html() -> str:
    """A one-page plain document: the yardstick the bench divides by."""
    return ("<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>Minimaal</title></head>"
            "<body><h1>Minimaal document</h1><p>Eén alinea tekst.</p></body></html>")

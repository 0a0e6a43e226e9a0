"""`w2 demo`: migrate, seed the worked case from DOMAIN.md, run web + worker + beat + mail sink."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.models import Consent, ConsentGrant
from w2.meetings.agreements.models import Agreement
from w2.meetings.demo import seed_demo_meetings
from w2.platform import accounts, rrn
from w2.platform.boot.system_session import with_system_session
from w2.platform.db.base import utcnow
from w2.platform.db.migrate import upgrade
from w2.platform.mailsink import start_sink
from w2.platform.models import Agency, Jobseeker, Membership, PivotAssignment, User, Workspace
from w2.platform.portal_auth import create_portal_link, portal_url
from w2.platform.settings import get_settings
from w2.reports.demo import seed_demo_scores

DEMO_PASSWORD = "demo-w2-2026"
AGENCIES = [
    ("OCMW Demostad", "ocmw"),
    ("VDAB Demostad", "vdab"),
    ("CAW Demostad", "caw"),
    ("Sociale dienst jeugdrechtbank Demostad", "jeugdrechtbank"),
    ("GON-begeleiding Demostad", "other"),
    ("Thuisbegeleiding Demostad", "other"),
]
USERS = [
    ("coordinator@ocmw.demo", "Sara Coördinator", "OCMW Demostad", ["coordinator", "worker"], "maatschappelijk werker"),
    ("trajectbegeleider@vdab.demo", "Tom Trajectbegeleider", "VDAB Demostad", ["worker"], "trajectbegeleider"),
    ("hulpverlener@caw.demo", "Ines Hulpverlener", "CAW Demostad", ["worker"], "hulpverlener"),
    ("consulent@jeugdrechtbank.demo", "Jan Consulent", "Sociale dienst jeugdrechtbank Demostad", ["worker"],
     "consulent"),
    ("begeleider@gon.demo", "Lotte GON", "GON-begeleiding Demostad", ["worker"], "GON-begeleider"),
    ("thuisbegeleider@thuis.demo", "Karim Thuisbegeleider", "Thuisbegeleiding Demostad", ["worker"],
     "thuisbegeleider"),
    ("admin@w2.demo", "Pieter Platformbeheer", "OCMW Demostad", ["platform_admin"], "beheerder"),
]


async def seed(session: AsyncSession) -> bool:
    """Create the demo agencies, users and the worked case; False when it was already there."""
    if await session.scalar(select(Agency.id).where(Agency.name == AGENCIES[0][0])):
        return False
    agencies: dict[str, Any] = {}
    for name, kind in AGENCIES:
        agencies[name] = await accounts.create_agency(session, name, kind)
    users: dict[str, User] = {}
    for email, name, agency, roles, function in USERS:
        users[email] = await accounts.create_user(session, agency_id=agencies[agency].id, email=email, name=name,
                                                  roles=roles, password=DEMO_PASSWORD, function=function)
    js = Jobseeker(given_name="Mira", family_name="Voorbeeld", birth_date=date(1988, 4, 12),
                   national_number=rrn.make(date(1988, 4, 12), 214), preferred_language="nl",
                   email="mira@voorbeeld.demo")
    session.add(js)
    await session.flush()
    coord = users["coordinator@ocmw.demo"]
    ws = Workspace(jobseeker_id=js.id, coordinating_agency_id=coord.agency_id, created_by_user_id=coord.id)
    session.add(ws)
    await session.flush()
    questions = {  # the question is case content: its life domain decides who else may read it
        "OCMW Demostad": ("afstemming", "Papieren en financiële steun op orde brengen.", "finances"),
        "VDAB Demostad": ("doorverwijzing", "Werk zoeken voor de oudste zoon en een woning helpen vinden.",
                          "work_training"),
        "Sociale dienst jeugdrechtbank Demostad": ("afstemming", "De kinderen moeten naar school gaan.", "parenting"),
        "GON-begeleiding Demostad": ("advies", "Ondersteuning op school.", "parenting"),
        "Thuisbegeleiding Demostad": ("advies", "Werken aan het spijbelen van de zoon.", "parenting"),
    }
    contacts = {"OCMW Demostad": coord, "VDAB Demostad": users["trajectbegeleider@vdab.demo"],
                "Sociale dienst jeugdrechtbank Demostad": users["consulent@jeugdrechtbank.demo"],
                "GON-begeleiding Demostad": users["begeleider@gon.demo"],
                "Thuisbegeleiding Demostad": users["thuisbegeleider@thuis.demo"]}
    for agency_name, (qtype, question, domain) in questions.items():
        session.add(Membership(workspace_id=ws.id, agency_id=agencies[agency_name].id,
                               contact_user_id=contacts[agency_name].id, question_type=qtype, question=question,
                               life_domain=domain, added_by_user_id=coord.id))
    session.add(PivotAssignment(workspace_id=ws.id, user_id=users["trajectbegeleider@vdab.demo"].id,
                                chosen_by_jobseeker=True, since=utcnow(), assigned_by_user_id=coord.id))
    await session.flush()
    await seed_case_content(session, ws.id, agencies, users)
    return True


async def seed_case_content(session: AsyncSession, workspace_id: Any, agencies: dict[str, Any],
                            users: dict[str, Any]) -> None:
    """Consents and agreements of the worked case (domains grow these as they land)."""
    coord = users["coordinator@ocmw.demo"]
    grants = {
        "OCMW Demostad": ["finances", "housing", "household", "parenting", "work_training"],
        "VDAB Demostad": ["work_training", "housing"],
        "Sociale dienst jeugdrechtbank Demostad": ["parenting", "justice"],
        "GON-begeleiding Demostad": ["parenting"],
        "Thuisbegeleiding Demostad": ["parenting", "household"],
    }
    for agency_name, domains in grants.items():
        for purpose in ("information_sharing", "meeting_participation", "report_distribution"):
            c = Consent(workspace_id=workspace_id, agency_id=agencies[agency_name].id, purpose=purpose,
                        life_domains=domains, method="signed_form", granted_by="jobseeker",
                        recorded_by_user_id=coord.id, text_version="nl-2026-1", witness_user_id=None)
            session.add(c)
            await session.flush()
            for d in domains:
                session.add(ConsentGrant(consent_id=c.id, life_domain=d, workspace_id=workspace_id,
                                         agency_id=c.agency_id, purpose=purpose))
    today = date.today()
    agreements = [
        ("housing", "Afspraak maken bij de huurdersbond om samen een grotere woning te zoeken.", "VDAB Demostad", 10),
        ("work_training", "De zoon van 18 begeleiden naar werk.", "VDAB Demostad", 30),
        ("parenting", "Werken aan het spijbelen van de zoon.", "Thuisbegeleiding Demostad", 2),
        ("finances", "Papieren in orde brengen en financiële steun aanvragen.", "OCMW Demostad", -1),
    ]
    for domain, text, agency_name, days in agreements:
        session.add(Agreement(workspace_id=workspace_id, life_domain=domain, description=text, owner_kind="agency",
                              owner_agency_id=agencies[agency_name].id, due_date=today + timedelta(days=days),
                              created_by_user_id=coord.id))
    await session.flush()

    await seed_demo_meetings(session, workspace_id, users)

    await seed_demo_scores(session, workspace_id, users)


async def _demo_portal_link(session: AsyncSession) -> str | None:
    """A one-time sign-in link for the demo job seeker's own pages."""
    ws_id = await session.scalar(select(Workspace.id).join(Jobseeker, Jobseeker.id == Workspace.jobseeker_id)
                                 .where(Jobseeker.email == "mira@voorbeeld.demo"))
    return portal_url(await create_portal_link(session, ws_id)) if ws_id else None


def _spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "w2.platform.boot.cli", *args], env=env, start_new_session=True)


def run_demo(host: str, port: int, seed_only: bool = False) -> int:
    """Everything in one command; Ctrl-C stops it all."""
    os.environ.setdefault("W2_DEV_PAGES", "1")
    os.environ.setdefault("W2_LOG_FORMAT", "text")
    os.environ.setdefault("W2_BASE_URL", f"http://{host}:{port}")
    get_settings.cache_clear()
    st = get_settings()
    st.storage_dir.mkdir(parents=True, exist_ok=True)
    upgrade(st.migration_database_url)
    created = asyncio.run(with_system_session(seed))
    print("Demogegevens aangemaakt." if created else "Demogegevens waren er al; niets dubbel aangemaakt.")
    if seed_only:
        return 0
    portal = asyncio.run(with_system_session(_demo_portal_link))
    sink = start_sink(st.storage_dir / "mail", port=int(st.smtp_url.rsplit(":", 1)[-1]))
    env = dict(os.environ)
    procs = [
        _spawn(["serve", "--host", host, "--port", str(port)], env),
        _spawn(["worker", "--pool", "solo", "--loglevel", "WARNING"], env),
        _spawn(["beat", "--loglevel", "WARNING"], env),
    ]
    print(f"""
w2 draait.
  Website:        {st.base_url}/
  Testmailbox:    {st.base_url}/dev/mail
  API-beschrijving (OpenAPI): {st.base_url}/api/v1/openapi.json
Aanmelden (wachtwoord voor iedereen: {DEMO_PASSWORD}):
  coördinator (OCMW):        coordinator@ocmw.demo
  trajectbegeleider (VDAB):  trajectbegeleider@vdab.demo
  consulent (jeugdrechtbank): consulent@jeugdrechtbank.demo
  platformbeheerder:         admin@w2.demo  (vraagt bij aanmelden ook een code uit een app: QR-code de eerste keer)
Werkzoekende Mira, eigen pagina's (link werkt één keer; nieuwe link: uv run w2 portal-link --workspace ID):
  {portal or "-"}
Stoppen: Ctrl-C
""", flush=True)
    stopping = False

    def _stop(*_: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stopping:
            if any(p.poll() is not None for p in procs):
                print("Een onderdeel is gestopt; alles wordt afgesloten.", file=sys.stderr)
                break
            time.sleep(0.5)
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        deadline = time.time() + 10
        for p in procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        sink.stop()
        print("w2 is gestopt.")
    return 0

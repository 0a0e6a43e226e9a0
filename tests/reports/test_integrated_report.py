"""Het geïntegreerd werk-welzijnsverslag: nine sections in order, prefilled from the same domain only, rendered
by a real worker per recipient: each copy withholds unconsented sections; bad input is 422 and stores nothing."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

from sqlalchemy import func, select

from tests.factories import Person
from tests.instruments.helpers import logged, setup_case
from tests.instruments.test_competences import PROFILE
from tests.reports.helpers import add_member, grant, revoke
from tests.reports.pdfutil import pdf_text

TITLES = ["1. Inlichtingen", "2. Verwerven van inzichten", "3. Competenties", "4. Netwerk",
          "5. Sleutelfiguren en steunbronnen", "6. De weg naar werk en/of opleiding",
          "7. Welke thema's verdienen in de toekomst nog verdere aandacht?", "8. Sollicitatiegebeuren",
          "9. Nog even terugblikken"]
# Texts of sections in domains the partner may not receive (other, network): never in its copy.
WITHHELD = ["Groeide op in Deurne", "Zus Mira helpt bij de kinderopvang", "Durft meer te vragen",
            "Kracht uit de kinderen"]


def _flat(data: bytes) -> str:
    return " ".join(pdf_text(data).split())


async def download(client: Any, url: str, headers: dict[str, str], timeout: float = 120) -> Any:
    """Ask until the worker made the copy; every 'still rendering' answer is 202 with Retry-After."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        r = await client.get(url, headers=headers)
        if r.status_code != 202 or loop.time() > end:
            return r
        assert r.headers["retry-after"] == "5" and r.json()["status"] == "rendering"
        await asyncio.sleep(0.3)


async def _case(client: Any, factory: Any, sm: Any) -> tuple[Person, Person, Person, dict[str, Any], str]:
    coord, partner, ws = await setup_case(client, factory, sm, ["work_training", "other", "health", "network"],
                                          ["work_training"])
    # A member that may read work_training but not receive reports: no copy at all.
    reader = await factory.person(kind="caw")
    await add_member(client, coord, ws["id"], reader)
    await grant(sm, ws["id"], reader.agency_id, ["work_training"], ("information_sharing",))
    base = f"/api/v1/workspaces/{ws['id']}"
    assert (await client.post(f"{base}/competence-cards", json=PROFILE, headers=coord.headers)).status_code == 201
    vignet = {"sections": [{"key": "welfare_obstacles", "life_domain": "health", "text": "Rugpijn bij lang staan"},
                           {"key": "life_story", "life_domain": "other", "text": "Groeide op in Deurne"}]}
    assert (await client.put(f"{base}/vignet", json=vignet, headers=coord.headers)).status_code == 200
    sheet = {"filled_by": "jobseeker", "items": [{"theme": "job_applications", "start": 2, "now": 6, "future": 8},
                                                 {"theme": "health", "start": 3, "now": 4, "future": 7}]}
    assert (await client.post(f"{base}/scores", json=sheet, headers=coord.headers)).status_code == 201
    body = {"evaluation_month": "2027-03", "sections": {
        "applications": "Twee sollicitaties bij een magazijn.", "network": "Zus Mira helpt bij de kinderopvang",
        "future_attention": "Durft meer te vragen", "looking_back": "Kracht uit de kinderen"}}
    r = await client.post(f"{base}/integrated-reports", json=body, headers=coord.headers)
    assert r.status_code == 202, r.text
    return coord, partner, reader, ws, r.json()["id"]


async def test_workers_render_each_recipients_copy(client, factory, sessionmaker, celery_worker) -> None:
    from w2.reports.models import IntegratedRendition

    coord, partner, reader, ws, rid = await _case(client, factory, sessionmaker)
    url = f"/api/v1/integrated-reports/{rid}/report.pdf"

    r = await download(client, url, coord.headers)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf", r.text[:300]
    assert r.headers["digest"] == f"sha-256={hashlib.sha256(r.content).hexdigest()}"
    text = _flat(r.content)
    positions = [text.find(title) for title in TITLES]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), positions
    assert "Heftruck besturen" in text and "Twee sollicitaties" in text and all(w in text for w in WITHHELD)
    # prefilled from the scoretabel, only into the section of the theme's own domain
    assert "Ervaring met solliciteren: Start 2, Nu 6, Toekomst 8" in text, text
    # a health-tagged vignet text or score is never copied into a section of another domain
    assert "Rugpijn" not in text and "Gezondheid" not in text

    partner_copy = await download(client, url, partner.headers)
    assert partner_copy.status_code == 200
    partner_text = _flat(partner_copy.content)
    assert "Heftruck besturen" in partner_text and "Twee sollicitaties" in partner_text
    assert "Niet gedeeld" in partner_text
    assert not [w for w in WITHHELD if w in partner_text]
    assert "Exemplaar voor de diensten met toestemming" in partner_text  # shared by scope, no agency named
    assert await logged(sessionmaker, ws["id"], partner.agency_id, "integrated_report", action="download") == {
        "work_training"}

    r = await client.get(url, headers=reader.headers)
    assert r.status_code == 403 and "deelt geen enkel" in r.json()["detail"]
    stranger = await factory.person()
    assert (await client.get(url, headers=stranger.headers)).status_code == 404

    async with sessionmaker() as s:
        rows = list(await s.scalars(select(IntegratedRendition).where(IntegratedRendition.report_id == rid)))
    by = {(r.audience, r.kind, r.agency_id): r for r in rows}
    assert by[("agency", "full", reader.agency_id)].status == "nothing_shared"
    assert by[("agency", "full", partner.agency_id)].domains == ["work_training"]
    # the job seeker's two copies are rendered by the worker too, the easy-read one in plain words
    for _ in range(300):
        async with sessionmaker() as s:
            easy = await s.scalar(select(IntegratedRendition).where(
                IntegratedRendition.report_id == rid, IntegratedRendition.kind == "easy_read"))
        if easy is not None and easy.status == "ready":
            break
        await asyncio.sleep(0.3)
    assert easy is not None and easy.status == "ready" and easy.rendered_at is not None
    from w2.reports.service import storage_path

    easy_text = _flat(storage_path(easy.storage_key or "").read_bytes())
    assert "Jouw verslag over werk en welzijn" in easy_text and "Groeide op in Deurne" in easy_text

    # the job seeker's own export says who got which copy, holding which life domains
    from tests.security.test_gdpr_export import _portal

    (export,) = await _portal(client, sessionmaker, ws["id"], ["/portal/gegevens.json"])
    copies = export.json()["integrated_report_copies"]
    assert {"evaluation_month": "2027-03", "audience": "agency", "life_domains": ["work_training"]}.items() <= next(
        c for c in copies if c["agency"] and c["life_domains"] == ["work_training"]).items()
    assert {c["kind"] for c in copies if c["audience"] == "jobseeker"} == {"full", "easy_read"}


async def test_edit_and_consent_change_re_render(client, factory, sessionmaker, celery_worker) -> None:
    coord, partner, _, ws, rid = await _case(client, factory, sessionmaker)
    url = f"/api/v1/integrated-reports/{rid}/report.pdf"
    first = await download(client, url, partner.headers)
    assert first.status_code == 200 and "Twee sollicitaties" in _flat(first.content)

    r = await client.put(f"/api/v1/integrated-reports/{rid}", headers=coord.headers,
                         json={"sections": {"applications": "Drie sollicitaties, een gesprek bij Colruyt."}})
    assert r.status_code == 202 and r.json()["version"] == 2, r.text
    r = await client.get(url, headers=partner.headers)
    assert r.status_code == 202  # never the old version's file
    text = _flat((await download(client, url, partner.headers)).content)
    assert "Drie sollicitaties" in text and "Twee sollicitaties" not in text and "Versie 2" in text
    # an edit that changes nothing is refused; a section the partner cannot write is 409 and stores nothing
    same = {"sections": {"applications": "Drie sollicitaties, een gesprek bij Colruyt."}}
    assert (await client.put(f"/api/v1/integrated-reports/{rid}", json=same, headers=coord.headers)).status_code == 409
    r = await client.put(f"/api/v1/integrated-reports/{rid}", json={"sections": {"insights": "x"}},
                         headers=partner.headers)
    assert r.status_code == 409
    read = (await client.get(f"/api/v1/integrated-reports/{rid}", headers=partner.headers)).json()
    assert read["version"] == 2
    assert {s["key"]: s["withheld"] for s in read["sections"]}["insights"] is True
    assert not [s for s in read["sections"] if s["withheld"] and s["text"]]

    # the job seeker withdraws report distribution for the partner: no copy on the very next request
    from w2.consent.models import Consent

    async with sessionmaker() as s:
        ids = list(await s.scalars(select(Consent.id).where(Consent.workspace_id == ws["id"],
                                                            Consent.agency_id == partner.agency_id,
                                                            Consent.purpose == "report_distribution")))
    await revoke(sessionmaker, ids)
    r = await client.get(url, headers=partner.headers)
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")


async def test_bad_integrated_reports_are_422(client, factory, sessionmaker) -> None:
    coord, partner, ws = await setup_case(client, factory, sessionmaker, ["work_training", "other"], [])
    url = f"/api/v1/workspaces/{ws['id']}/integrated-reports"
    for body, key in (({"evaluation_month": "2027-13"}, "evaluation_month"),
                      ({"evaluation_month": "maart"}, "evaluation_month"),
                      ({"evaluation_month": "2027-03", "sections": {"gossip": "x"}}, "sections.gossip"),
                      ({"evaluation_month": "2027-03", "sections": {"insights": "  "}}, "sections.insights")):
        r = await client.post(url, json=body, headers=coord.headers)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["errors"][0]["key"] == key
    r = await client.post(url, json={"evaluation_month": "2027-03", "sections": {"insights": "x"}},
                          headers=partner.headers)
    assert r.status_code == 409

    from w2.instruments.models import IntegratedReport
    from w2.reports.models import IntegratedRendition

    async with sessionmaker() as s:
        assert await s.scalar(select(func.count()).select_from(IntegratedReport).where(
            IntegratedReport.workspace_id == ws["id"])) == 0
        assert await s.scalar(select(func.count()).select_from(IntegratedRendition).where(
            IntegratedRendition.workspace_id == ws["id"])) == 0

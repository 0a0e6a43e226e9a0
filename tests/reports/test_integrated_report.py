"""Het geïntegreerd werk-welzijnsverslag: nine sections in order, prefilled from the same domain only,
each recipient's PDF withholds unconsented sections; bad input is 422 and stores nothing."""

from __future__ import annotations

from tests.instruments.helpers import setup_case
from tests.instruments.test_competences import PROFILE
from tests.reports.pdfutil import pdf_text

TITLES = ["1. Inlichtingen", "2. Verwerven van inzichten", "3. Competenties", "4. Netwerk",
          "5. Sleutelfiguren en steunbronnen", "6. De weg naar werk en/of opleiding",
          "7. Welke thema's verdienen in de toekomst nog verdere aandacht?", "8. Sollicitatiegebeuren",
          "9. Nog even terugblikken"]


def _flat(data: bytes) -> str:
    return " ".join(pdf_text(data).split())


async def test_integrated_report_per_recipient(client, factory, sessionmaker) -> None:
    coord, partner, ws = await setup_case(client, factory, sessionmaker, ["work_training", "other", "health"],
                                          ["work_training"])
    base = f"/api/v1/workspaces/{ws['id']}"
    assert (await client.post(f"{base}/competence-cards", json=PROFILE, headers=coord.headers)).status_code == 201
    vignet = {"sections": [{"key": "welfare_obstacles", "life_domain": "health", "text": "Rugpijn bij lang staan"},
                           {"key": "life_story", "life_domain": "other", "text": "Groeide op in Deurne"}]}
    assert (await client.put(f"{base}/vignet", json=vignet, headers=coord.headers)).status_code == 200
    body = {"evaluation_month": "2027-03", "sections": {"applications": "Twee sollicitaties bij een magazijn."}}
    r = await client.post(f"{base}/integrated-reports", json=body, headers=coord.headers)
    assert r.status_code == 202, r.text
    url = f"/api/v1/integrated-reports/{r.json()['id']}/report.pdf"

    text = _flat((await client.get(url, headers=coord.headers)).content)
    positions = [text.find(title) for title in TITLES]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), positions
    assert "Heftruck besturen" in text and "Twee sollicitaties" in text and "Groeide op in Deurne" in text
    # a health-tagged vignet text is never copied into a section of another domain
    assert "Rugpijn" not in text

    partner_text = _flat((await client.get(url, headers=partner.headers)).content)
    assert "Heftruck besturen" in partner_text and "Twee sollicitaties" in partner_text
    assert "Groeide op in Deurne" not in partner_text and "Niet gedeeld" in partner_text
    stranger = await factory.person()
    assert (await client.get(url, headers=stranger.headers)).status_code == 404

    easy = _flat((await client.get(url + "?easy_read=true", headers=coord.headers)).content)
    assert "Jouw verslag over werk en welzijn" in easy and "Heftruck besturen" in easy


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
    from sqlalchemy import func, select

    from w2.instruments.models import IntegratedReport

    async with sessionmaker() as s:
        assert await s.scalar(select(func.count()).select_from(IntegratedReport).where(
            IntegratedReport.workspace_id == ws["id"])) == 0

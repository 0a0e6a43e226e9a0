"""The printed trajectovereenkomst: each agency's copy holds only its consented goals; an easy-read copy."""

from __future__ import annotations

from tests.instruments.helpers import setup_case
from tests.instruments.test_trajectory_api import GOALS
from tests.reports.pdfutil import pdf_text


async def test_pdf_per_recipient_and_easy_read(client, factory, sessionmaker) -> None:
    coord, partner, ws = await setup_case(client, factory, sessionmaker, ["housing", "work_training"],
                                          ["work_training"])
    r = await client.post(f"/api/v1/workspaces/{ws['id']}/trajectory-agreements", json=GOALS, headers=coord.headers)
    tid = r.json()["id"]
    # one side signed: printable, and says it is not in force yet
    r = await client.get(f"/api/v1/trajectory-agreements/{tid}/document.pdf", headers=coord.headers)
    assert r.status_code == 200, r.text
    assert "nog niet getekend" in " ".join(pdf_text(r.content).split())
    for body in ({"by": "counsellor", "method": "signed_form"}, {"by": "jobseeker", "method": "signed_form"}):
        assert (await client.post(f"/api/v1/trajectory-agreements/{tid}/signatures", json=body,
                                  headers=coord.headers)).status_code == 201
    url = f"/api/v1/trajectory-agreements/{tid}/document.pdf"
    r = await client.get(url, headers=coord.headers)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text = " ".join(pdf_text(r.content).split())
    assert "Trajectovereenkomst" in text and "versie 1" in text and "geldt (getekend door beide kanten)" in text
    assert "Een grotere woning vinden" in text and "Een opleiding logistiek starten" in text
    assert "Huurdersbond" in text and "Infosessie bijwonen" in text

    # the partner may read work_training only: the housing goal is not in its copy, marked as not shared
    r = await client.get(url, headers=partner.headers)
    text = " ".join(pdf_text(r.content).split())
    assert "Een opleiding logistiek starten" in text
    assert "Een grotere woning vinden" not in text and "Huurdersbond" not in text
    assert "Niet gedeeld" in text and partner.agency_name in text

    # an agency outside the workspace gets nothing
    stranger = await factory.person()
    assert (await client.get(url, headers=stranger.headers)).status_code == 404

    r = await client.get(url + "?easy_read=true", headers=coord.headers)
    text = " ".join(pdf_text(r.content).split())
    assert "Onze afspraken voor jouw traject" in text and "Zo weten we dat het gelukt is" in text
    assert "De afspraken gelden." in text

"""The printable shared drawings: picture and words in a PDF per caller; no consent for its domain, no PDF."""

from __future__ import annotations

import re

from tests.factories import new_workspace
from tests.instruments.helpers import logged
from tests.instruments.test_drawings import BALANCE, ECOGRAM, SCALE
from tests.reports.helpers import add_member, grant, revoke
from tests.reports.pdfutil import pdf_text

PASSWORD = "tekening-pdf-wachtwoord-19"
# User text that looks like markup and a link: printed as text, never fetched or interpreted.
TRICKY = {"label": "<img src='https://example.invalid/x.png'> Huur", "side": "burden", "size": 1}


async def _case(client, factory, sessionmaker):
    coord = await factory.person(kind="vdab", password=PASSWORD)
    ws = await new_workspace(client, coord, given_name="Mira")
    await grant(sessionmaker, ws["id"], coord.agency_id, ["other", "work_training", "network"])
    partner = await factory.person(kind="ocmw", roles=("worker",), password=PASSWORD)
    await add_member(client, coord, ws["id"], partner)
    consent = await grant(sessionmaker, ws["id"], partner.agency_id, ["network"])
    ids = {}
    for body in ({**BALANCE, "items": [*BALANCE["items"], TRICKY]}, SCALE, ECOGRAM):
        r = await client.post(f"/api/v1/workspaces/{ws['id']}/drawings", json=body, headers=coord.headers)
        assert r.status_code == 201, r.text
        ids[body["kind"]] = r.json()["id"]
    return coord, partner, ws, ids, consent


async def test_each_drawing_prints_with_its_words(client, factory, sessionmaker) -> None:
    coord, _, _, ids, _ = await _case(client, factory, sessionmaker)
    expected = {
        "balance": ["Draaglast en draagkracht", "De tekening in woorden", "Wat zwaar weegt: Schulden (3), Zieke zoon (2)",
                    "Wat je draagt en steunt: Mijn zus (2), Doorzetten (1)",
                    "Huur (1)"],
        "scale": ["Afgebakende weegschaal: Opleiding heftruck starten", "Voordelen: Meer kans op werk (3)",
                  "Nadelen: Opvang kinderen (2)"],
        "ecogram": ["Ecogram: de mensen rond jou", "Fatima (zus): helpt", "Ex-partner (ex): weegt", "Buurvrouw: neutraal"],
    }
    for kind, did in ids.items():
        r = await client.get(f"/api/v1/drawings/{did}/document.pdf", headers=coord.headers)
        assert r.status_code == 200 and r.headers["content-type"] == "application/pdf", r.text[:300]
        assert r.content.startswith(b"%PDF")
        text = pdf_text(r.content)
        # Compared without spaces: the meta line holds a random agency name, so where it wraps varies
        # (a break after "en/" comes out as "en/ of").
        flat = "".join(text.split())
        domain = {"balance": "Ander thema", "scale": "Arbeid en/of opleiding", "ecogram": "Steunbronnen en netwerk"}[kind]
        for words in [*expected[kind], "Mira", "Exemplaar voor", f"levensdomein: {domain}"]:
            assert "".join(words.split()) in flat, (kind, words)
        if kind == "balance":  # printed as the text it is (the line may wrap inside the address)
            assert "<imgsrc='https://example.invalid/x.png'>Huur(1)" in flat
    # the picture itself is in the PDF too (its labels are drawn as text), next to the words
    text = pdf_text((await client.get(f"/api/v1/drawings/{ids['ecogram']}/document.pdf", headers=coord.headers)).content)
    assert text.count("Fatima") == 2 and text.count("Buurvrouw") == 2


async def test_no_consent_no_drawing(client, factory, sessionmaker) -> None:
    coord, partner, ws, ids, consent = await _case(client, factory, sessionmaker)
    # the partner may read `network` only: the ecogram, not the balance (`other`) or the scale (`work_training`)
    for kind in ("balance", "scale"):
        r = await client.get(f"/api/v1/drawings/{ids[kind]}/document.pdf", headers=partner.headers)
        assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
        assert "Schulden" not in r.text and "heftruck" not in r.text
    r = await client.get(f"/api/v1/drawings/{ids['ecogram']}/document.pdf", headers=partner.headers)
    assert r.status_code == 200 and "Fatima (zus): helpt" in pdf_text(r.content)
    assert await logged(sessionmaker, ws["id"], partner.agency_id, "drawing", action="read") == {"network"}
    stranger = await factory.person(kind="caw")
    r = await client.get(f"/api/v1/drawings/{ids['ecogram']}/document.pdf", headers=stranger.headers)
    assert r.status_code == 404
    # revocation bites on the very next request
    await revoke(sessionmaker, consent)
    r = await client.get(f"/api/v1/drawings/{ids['ecogram']}/document.pdf", headers=partner.headers)
    assert r.status_code == 404 and "Fatima" not in r.text
    r = await client.get("/api/v1/drawings/00000000-0000-0000-0000-000000000000/document.pdf", headers=coord.headers)
    assert r.status_code == 404


async def test_print_pages_for_staff_and_the_job_seeker(client, factory, sessionmaker) -> None:
    from tests.pages.cases import portal_link
    from tests.portal.helpers import csrf, fresh_client, staff_sign_in

    coord, partner, ws, ids, _ = await _case(client, factory, sessionmaker)
    async with fresh_client(client) as c:
        await staff_sign_in(c, partner.email, PASSWORD)
        page = await c.get(f"/workspaces/{ws['id']}/tekeningen")
        links = re.findall(r'href="(/tekening/[^"]+/afdruk\.pdf)"', page.text)
        assert links == [f"/tekening/{ids['ecogram']}/afdruk.pdf"]
        assert (await c.get(f"/tekening/{ids['balance']}/afdruk.pdf")).status_code == 404
        r = await c.get(links[0])
        assert r.status_code == 200 and "Fatima (zus): helpt" in pdf_text(r.content)
    async with fresh_client(client) as c:
        token = (await portal_link(sessionmaker, ws["id"])).rsplit("/", 1)[1]
        page = await c.get(f"/portal/in/{token}")
        await c.post(f"/portal/in/{token}", data={"_csrf_token": csrf(page.text)})
        page = await c.get("/portal/tekeningen")
        assert len(re.findall(r'href="/tekening/[^"]+/afdruk\.pdf"', page.text)) == 3
        r = await c.get(f"/tekening/{ids['balance']}/afdruk.pdf")
        text = pdf_text(r.content)
        assert r.status_code == 200 and "Schulden (3)" in text and "Exemplaar voor" not in text

"""The verslag follows the handbook's template (ch. 8 §11): every heading and field, in order, read from the PDF."""

from __future__ import annotations

import io
import re

import msgspec
from pypdf import PdfReader

from tests.reports.pdfutil import pdf_text
from w2.reports.render import email_breaks, get_renderer
from w2.reports.sample import worked_case
from w2.reports.schemas import UrgentTheme

# The template's headings and labels, in the handbook's order, with a value from the worked case after each.
TEMPLATE = [
    "Verslag W²-overleg",
    "Naam coördinator:", "Sara Coördinator",
    "Naam vertrouwensfiguur (meest nabije hulpverlener):", "Tom Trajectbegeleider",
    "Naam en voornaam werkzoekende:", "Mira Voorbeeld",
    "Naam partner:", "Samir Voorbeeld",
    "Naam kinderen:", "Adam (18)",
    "Vertrouwenspersonen uit het netwerk:", "Fatima Voorbeeld (zus)",
    "1. Genodigden: naam, functie, dienst, adres en e-mail",
    "Naam, Functie", "Dienst, Adres", "E-mail", "Aanwezigheid",
    "Lotte GON", "GON-begeleider", "GON-begeleiding Demostad", "Schoolstraat 12", "begeleider@gon.demo", "aanwezig",
    "Ines Hulpverlener", "verontschuldigd",
    "2. Aanleiding van het W²-overleg",
    "Aanvrager:", "Sara Coördinator (OCMW Demostad)",
    "Reden aanvraag", "De begeleiding zit vast.",
    "Waarom werd het overleg opgestart?", "zolang thuis, school en geld niet geregeld zijn",
    "Welk is de doelstelling van het overleg?", "één vaste contactpersoon",
    "3. Vragen en wensen van de werkzoekende of trajectbegeleider",
    "Vragen en wensen van de werkzoekende", "thuis zijn als de kinderen ziek zijn",
    "Vragen en wensen van de begeleiders", "vaste aanspreekpunt",
    "Het overleg werd met de werkzoekende voorbereid door:", "Sara Coördinator",
    "De werkzoekende neemt deel:", "aan het hele overleg",
    "Wat zijn voor de werkzoekende de meest dringende thema's?",
    "Arbeidskaart voor haar partner (Arbeid en/of opleiding)",
    "Met zeven personen in twee kamers wonen (Huisvesting)",
    "4. Informatie en afspraken",
    "Krachten / wat goed loopt", "zorgt goed voor haar kinderen",
    "Financiën", "Informatie", "leefloon", "Afspraken", "Papieren in orde brengen", "Wie: OCMW Demostad",
    "Arbeid en/of opleiding", "Gezondheid", "Opvoeding kinderen", "Organisatie huishouden",
    "Sociaal/relationeel", "Maatschappelijke participatie",
    "Huisvesting", "huurdersbond", "Wie informeert wie: VDAB Demostad informeert het OCMW",
    "Justitie en rechtsbedeling",
    "Mogelijkheden tot uitbreiding van steunbronnen/netwerk", "Afspraak:",
    "Ander thema: Zelfvertrouwen", "werk en gezin kan combineren",
    "5. Datum follow-up:", "21 april 2026",
]


def _body(data: bytes) -> str:
    """PDF text without the page margin lines (running line, confidentiality line, page numbers)."""
    text = pdf_text(data)
    return re.sub(r"Verslag W²-overleg · Versie \d+ · Vertrouwelijk\..*?Pagina \d+ van \d+", " ", text)


def test_every_heading_and_field_of_the_template_in_order() -> None:
    text = _body(get_renderer().report(worked_case(), allowed=None, recipient=None))
    at = 0
    for item in TEMPLATE:
        found = text.find(item, at)
        assert found >= 0, f"{item!r} missing or out of order after: {text[max(0, at - 80):at]!r}"
        at = found + len(item)


def test_partner_copy_withholds_tagged_urgent_themes_of_unconsented_domains() -> None:
    content = worked_case()
    text = pdf_text(get_renderer().report(content, allowed={"housing", "work_training"}, recipient=None))
    assert "Met zeven personen in twee kamers wonen" in text and "Arbeidskaart voor haar partner" in text
    assert "Te laag inkomen" not in text and "Thuis moeten blijven voor kinderen" not in text
    assert "Sommige thema's worden niet met uw dienst gedeeld." in text
    # the job seeker's own words (wishes, strengths) count as `other`: not in this copy
    for own in ("thuis zijn als de kinderen ziek zijn", "vaste aanspreekpunt", "zorgt goed voor haar kinderen",
                "Zelfvertrouwen"):
        assert own not in text
    assert "De werkzoekende deelt dit niet met uw dienst." in text
    # the meeting's own case fields follow their tags too: shown as not shared, never as empty
    assert "Samir Voorbeeld" not in text and "Adam (18)" not in text and "De begeleiding zit vast" not in text
    assert "Fatima Voorbeeld" not in text  # confidants are the job seeker's network: `network` only
    assert "Naam partner: De werkzoekende deelt dit niet met uw dienst." in text
    # an untagged theme counts as `other`
    untagged = msgspec.structs.replace(content, urgent_themes=[UrgentTheme(text="Rijbewijs halen")])
    assert "Rijbewijs halen" not in pdf_text(get_renderer().report(untagged, allowed={"housing"}, recipient=None))
    assert "Rijbewijs halen" in pdf_text(get_renderer().report(untagged, allowed={"other"}, recipient=None))


def test_a_shared_copy_names_no_agency() -> None:
    text = pdf_text(get_renderer().report(worked_case(), allowed={"housing"}, recipient=None))
    assert "Exemplaar voor de diensten met toestemming" in text


def test_email_addresses_break_only_at_at_sign_or_dot() -> None:
    assert str(email_breaks("a.b@c<x>.d-e")) == 'a<wbr>.b@<wbr>c&lt;x&gt;<wbr>.<span class="nw">d-e</span>'
    long = "heel.lange.naam.van.een.medewerker@sociale-dienst-jeugdrechtbank.demostad.demo"
    content = worked_case()
    people = [msgspec.structs.replace(i, email=long) if i.name == "Jan Consulent" else i for i in content.invitees]
    data = get_renderer().report(msgspec.structs.replace(content, invitees=people), allowed=None, recipient=None)
    lines = [ln.strip() for p in PdfReader(io.BytesIO(data)).pages for ln in (p.extract_text() or "").splitlines()]
    start = next(n for n, ln in enumerate(lines) if ln and long.startswith(ln))
    pieces, joined = [], ""
    for ln in lines[start:]:
        if joined == long:
            break
        pieces.append(ln)
        joined += ln
    assert joined == long, pieces
    assert len(pieces) > 1  # it did wrap, so the test means something
    at = 0
    for piece in pieces[:-1]:  # every wrap is right after "@" or right before a dot, never inside a word
        at += len(piece)
        assert long[at - 1] == "@" or long[at] == ".", pieces


def test_follow_up_date_sits_with_the_last_section() -> None:
    data = get_renderer().report(worked_case(), allowed=None, recipient=None)
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]
    last = next(n for n, p in enumerate(pages) if "5. Datum follow-up" in p)
    assert "Ander thema" in pages[last]
    for n, page in enumerate(pages, 1):
        assert f"Pagina {n} van {len(pages)}" in page and "valt onder het beroepsgeheim" in page

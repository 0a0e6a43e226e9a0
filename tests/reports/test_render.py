"""Rendering from plain report content: per-recipient filtering, versions, easy-read, tagging."""

from __future__ import annotations

import msgspec

from tests.reports.pdfutil import metadata, pdf_text
from w2.reports.fetcher import AssetsOnlyFetcher
from w2.reports.render import get_renderer, restrict
from w2.reports.sample import worked_case
from w2.reports.schemas import Change

HOUSING = "Afspraak maken bij de huurdersbond"
HOUSING_INFO = "Zeven personen wonen in twee kamers"
FINANCE = "Papieren in orde brengen en financiële steun aanvragen"
FINANCE_INFO = "achterstallige rekeningen"
JUSTICE = "verslag geven aan de jeugdrechter"


def test_restrict_drops_content_of_withheld_domains() -> None:
    c = restrict(worked_case(), {"housing"})
    by = {s.domain: s for s in c.domains}
    assert len(c.domains) == 12
    assert by["housing"].agreements and not by["housing"].withheld
    assert by["finances"].withheld and by["finances"].information is None and by["finances"].agreements == []
    assert [u.life_domain for u in c.urgent_themes] == ["housing"]


def test_recipient_copy_holds_only_consented_domains() -> None:
    r = get_renderer()
    content = worked_case()
    vdab = pdf_text(r.report(content, allowed={"housing", "work_training"}, recipient="VDAB Demostad"))
    ocmw = pdf_text(r.report(content, allowed={"finances", "housing"}, recipient="OCMW Demostad"))
    assert HOUSING in vdab and HOUSING_INFO in vdab
    for secret in (FINANCE, FINANCE_INFO, JUSTICE, "Te laag inkomen"):
        assert secret not in vdab
    assert "NIET GEDEELD" in vdab.upper() and "Exemplaar voor VDAB Demostad" in vdab
    assert FINANCE in ocmw and FINANCE_INFO in ocmw and "Te laag inkomen" in ocmw
    assert "De zoon van 18 begeleiden naar werk" not in ocmw
    # identity and logistics are in every copy
    for common in ("Mira Voorbeeld", "Sara Coördinator", "Jan Consulent", "Datum follow-up"):
        assert common in vdab and common in ocmw


def test_every_page_has_confidentiality_line_and_number() -> None:
    data = get_renderer().report(worked_case(), allowed=None, recipient=None)
    import io

    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) >= 2
    for n, page in enumerate(pages, 1):
        text = " ".join((page.extract_text() or "").split())
        assert "valt onder het beroepsgeheim" in text
        assert f"Pagina {n} van {len(pages)}" in text


def test_pdf_is_tagged_with_language_and_title() -> None:
    data = get_renderer().report(worked_case(), allowed={"housing"}, recipient="VDAB")
    info, root = metadata(data)
    assert info["/Title"].startswith("Verslag W²-overleg – Mira Voorbeeld")
    assert root["/Lang"] == "nl-BE"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


def test_new_version_says_what_changed_only_where_visible() -> None:
    content = msgspec.structs.replace(worked_case(), version=2, changes=[
        Change(text="Datum opvolging gewijzigd."),
        Change(text="Huisvesting: afspraak aangepast.", life_domain="housing"),
        Change(text="Financiën: nieuwe afspraak.", life_domain="finances"),
    ])
    text = pdf_text(get_renderer().report(content, allowed={"housing"}, recipient="VDAB"))
    assert "Versie 2" in text and "Wat is er veranderd sinds versie 1" in text
    assert "Huisvesting: afspraak aangepast." in text and "Datum opvolging gewijzigd." in text
    assert "Financiën: nieuwe afspraak." not in text


def test_easy_read_has_what_who_when_and_pictograms() -> None:
    content = worked_case()
    fetcher = AssetsOnlyFetcher()
    data = get_renderer().easy_read(content, "nl", fetcher=fetcher)
    text = pdf_text(data)
    for expected in ("Wat we afspraken", "Wat?", "Wie doet het?", "Tegen wanneer?", "Wonen", "Geld",
                     "Werken aan het spijbelen van de zoon", "Jij", "We zien elkaar terug op"):
        assert expected in text
    _info, root = metadata(data)
    assert root["/Lang"] == "nl-BE"
    # one pictogram (our own SVG asset) per life domain with agreements
    assert sorted(fetcher.served) == sorted(f"pictos/{s.domain}.svg" for s in content.domains if s.agreements)
    assert fetcher.refused == []


def test_easy_read_in_preferred_language_when_translated() -> None:
    text = pdf_text(get_renderer().easy_read(worked_case(), "fr"))
    assert "Ce que nous avons convenu" in text
    assert "Werken aan het spijbelen van de zoon" in text  # the agreement itself stays as written


def test_user_text_is_escaped() -> None:
    content = worked_case()
    content.domains[0].information = "<b>vet</b> & <script>alert(1)</script>"
    text = pdf_text(get_renderer().report(content, allowed=None, recipient=None))
    assert "<b>vet</b> & <script>alert(1)</script>" in text

"""The job seeker's PDFs in French and English: headings from the catalogue, not the Dutch fallback."""

from __future__ import annotations

from tests.reports.pdfutil import metadata, pdf_text
from w2.reports import sandbox
from w2.reports.render import Renderer, get_renderer
from w2.reports.sample import worked_case

DUTCH_EASY = ("Wat we afspraken", "Wie was er?", "Wie doet het?", "Tegen wanneer?", "Dit verslag is van jou")
DUTCH_FULL = ("Verslag W²-overleg", "Exemplaar voor de werkzoekende", "Informatie en afspraken", "Datum follow-up",
              "Genodigden", "Aanwezigheid")


def test_easy_read_in_french_has_french_headings_and_says_vous() -> None:
    # Its own renderer: the shared one's image cache would hide the pictograms from other tests' fetchers.
    data = Renderer().easy_read(worked_case(), "fr")
    text = pdf_text(data)
    for heading in ("Ce que nous avons convenu", "Qui était là ?", "Quoi ?", "Qui le fait ?", "Pour quand ?",
                    "Argent", "Logement", "Vos enfants", "Ce rapport est à vous", "Page 1 sur"):
        assert heading in text, heading
    assert not [d for d in DUTCH_EASY if d in text]
    assert " tu " not in f" {text} " and "Toi" not in text  # easy-read French speaks to the reader as "vous"
    assert "Werken aan het spijbelen van de zoon" in text  # what was agreed stays as it was written
    assert metadata(data)[1]["/Lang"] == "fr-BE"


def test_job_seekers_full_copy_in_french_through_the_sandbox() -> None:
    text = pdf_text(sandbox.render_report(worked_case(), None, None, language="fr"))
    for heading in ("Rapport du W²-overleg", "Exemplaire pour le demandeur d'emploi", "Informations et accords",
                    "Date du suivi", "Invités", "Présence", "Confidentiel"):
        assert heading in text, heading
    assert not [d for d in DUTCH_FULL if d in text]


def test_full_copy_in_english_and_dutch_by_default() -> None:
    r = get_renderer()
    english = pdf_text(r.report(worked_case(), allowed=None, recipient=None, language="en"))
    for heading in ("Report of the W²-overleg", "Copy for the job seeker", "Information and agreements",
                    "Date of the follow-up", "Attendance"):
        assert heading in english, heading
    assert not [d for d in DUTCH_FULL if d in english]
    dutch = pdf_text(r.report(worked_case(), allowed={"housing"}, recipient="VDAB"))
    assert "Verslag W²-overleg" in dutch and "Exemplaar voor VDAB" in dutch

"""Report, easy-read and voortgang PDFs: Jinja2 (autoescaped) HTML + our CSS through WeasyPrint, PDF/UA-1."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from babel.dates import format_date, format_datetime
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from w2.consent.domains import LIFE_DOMAINS
from w2.instruments.drawing_svg import drawing_svg
from w2.instruments.drawings import text_alternative
from w2.instruments.models import Drawing
from w2.meetings.access import CASE_FIELDS
from w2.platform.i18n import t
from w2.platform.settings import get_settings
from w2.reports import charts
from w2.reports.fetcher import ASSETS_DIR, AssetsOnlyFetcher, asset_url
from w2.reports.schemas import (
    Change,
    CompetenceCardContent,
    DomainSection,
    DrawingContent,
    IntegratedContent,
    ProgressContent,
    ReportContent,
    TrajectoryContent,
    UrgentTheme,
)

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "en": "en_GB", "de": "de_BE"}
EASY_LANGUAGES = ("nl", "fr", "en")
_BETWEEN_TAGS = re.compile(r">[ \t]*\n\s*<")


def restrict(content: ReportContent, allowed: set[str] | None) -> ReportContent:
    """A copy holding only the allowed life domains; others keep their heading and nothing else."""
    if allowed is None:
        return content
    sections = {s.domain: s for s in content.domains}
    domains = []
    for code in LIFE_DOMAINS:
        sec = sections.get(code) or DomainSection(domain=code)
        domains.append(sec if code in allowed else DomainSection(domain=code, withheld=True))
    urgent = [u for u in content.urgent_themes if u.life_domain in allowed]
    questions = [q for q in content.member_questions if q.life_domain in allowed]
    changes = [c for c in content.changes if c.life_domain is None or c.life_domain in allowed]

    def case(field: str) -> bool:  # the meeting's own case-content fields, tagged like on the API
        return CASE_FIELDS[field] in allowed

    return msgspec.structs.replace(
        content, domains=domains, urgent_themes=urgent, changes=changes, member_questions=questions,
        partner=content.partner if case("partner_name") else None,
        children=content.children if case("children_names") else [],
        confidants=content.confidants if "network" in allowed else [],  # the job seeker's own network
        reason=content.reason if case("reason") else None,
        started_because=content.started_because if case("started_because") else None,
        goal=content.goal if case("goal") else None,
        non_participation_reason=content.non_participation_reason if case("non_participation_reason") else None,
        wishes_jobseeker=content.wishes_jobseeker if case("jobseeker_questions") else None,
        wishes_professionals=content.wishes_professionals if case("professional_questions") else None,
        strengths=content.strengths if case("strengths") else None)


HIDABLE = ("partner", "children", "confidants", "reason", "started_because", "goal", "non_participation_reason",
           "wishes_jobseeker", "wishes_professionals", "strengths")


def hidden_fields(content: ReportContent, copy: ReportContent) -> set[str]:
    """Header fields that hold something but are not in this copy (shown as "niet gedeeld", not as empty)."""
    return {f for f in HIDABLE if getattr(content, f) and not getattr(copy, f)}


def all_domains(content: ReportContent) -> ReportContent:
    """The full copy with every life domain in template order (for the job seeker)."""
    sections = {s.domain: s for s in content.domains}
    return msgspec.structs.replace(
        content, domains=[sections.get(c) or DomainSection(domain=c) for c in LIFE_DOMAINS]
    )


def email_breaks(value: str) -> Markup:
    """An e-mail address that may wrap only after "@" or before a dot, never inside a word."""
    def piece(text: str) -> Markup:
        # A hyphen is a line-break opportunity too: keep hyphenated pieces whole.
        return Markup('<span class="nw">%s</span>') % text if "-" in text else escape(text)

    def dots(part: str) -> Markup:
        return Markup("<wbr>.").join(piece(p) for p in part.split("."))

    return Markup("@<wbr>").join(dots(p) for p in value.split("@"))


def minify(html: str) -> str:
    """Drop whitespace between tags: fewer anonymous boxes for WeasyPrint to lay out."""
    return _BETWEEN_TAGS.sub("><", html)


def css_string(value: str) -> Markup:
    """Quote text for a CSS `content:` string inside <style> (no way out of the string or the element)."""
    out = value.replace("\\", "\\5c ").replace('"', "\\22 ").replace("<", "\\3c ").replace(">", "\\3e ")
    return Markup('"' + out.replace("\n", " ").replace("\r", " ") + '"')


class Renderer:
    """Fonts, stylesheets and templates loaded once and reused across renditions (one per thread)."""

    def __init__(self) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self.image_cache: dict[str, Any] = {}
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["css_string"] = css_string
        self.env.filters["email_breaks"] = email_breaks
        self.env.globals["asset"] = asset_url
        fetcher = AssetsOnlyFetcher()
        self.css = {
            name: CSS(filename=str(ASSETS_DIR / f"{name}.css"), font_config=self.font_config, url_fetcher=fetcher)
            for name in ("base", "report", "easy", "progress")
        }

    def html(self, template: str, language: str = "nl", **context: Any) -> str:
        """The HTML of a document (user text is escaped by Jinja's autoescape)."""
        locale = LOCALES.get(language, "nl_BE")

        def tr(key: str, **params: Any) -> str:
            return t(key, language, **params)

        def fdate(value: date | None) -> str:
            return format_date(value, "d MMMM y", locale=locale) if value else ""

        def fdatetime(value: datetime | None) -> str:
            if value is None:
                return ""

            local = value.astimezone(ZoneInfo(get_settings().timezone))
            return format_datetime(local, "d MMMM y 'om' HH:mm" if language == "nl" else "d MMMM y HH:mm",
                                   locale=locale)

        def domain_label(code: str) -> str:
            key = f"report.domain.{code}"
            label = t(key, language)
            return t(f"domain.{code}", language) if label == key else label

        tpl = self.env.get_template(template)
        return minify(tpl.render(t=tr, fdate=fdate, fdatetime=fdatetime, domain_label=domain_label, lang=language,
                                 **context))

    def pdf(self, html: str, styles: tuple[str, ...], fetcher: AssetsOnlyFetcher | None = None) -> bytes:
        """Lay out and write a tagged PDF/UA-1 document."""
        from weasyprint import HTML

        doc = HTML(string=html, base_url="w2-asset:", url_fetcher=fetcher or AssetsOnlyFetcher())
        return doc.write_pdf(
            stylesheets=[self.css[s] for s in ("base", *styles)],
            font_config=self.font_config,
            pdf_variant="pdf/ua-1",
            cache=self.image_cache,
            uncompressed_pdf=False,
        )

    def report(self, content: ReportContent, *, allowed: set[str] | None, recipient: str | None,
               fetcher: AssetsOnlyFetcher | None = None, language: str = "nl") -> bytes:
        """The full report; `allowed` None means every domain (the job seeker's own copy).

        `recipient` None with `allowed` set makes the copy shared by every agency with that scope.
        """
        copy = restrict(content, allowed) if allowed is not None else all_domains(content)
        withheld_urgent = len(copy.urgent_themes) < len(content.urgent_themes)
        withheld_questions = len(copy.member_questions) < len(content.member_questions)
        lang = language if language in EASY_LANGUAGES else "nl"
        running = " · ".join(filter(None, [t("report.title", lang), t("report.version", lang, n=content.version),
                                           recipient]))
        html = self.html("report.html", language=lang, c=copy, recipient=recipient, shared=allowed is not None,
                         urgent_withheld=withheld_urgent, questions_withheld=withheld_questions, hidden=hidden_fields(content, copy), running=running)
        return self.pdf(html, ("report",), fetcher)

    def reports_by_scope(self, content: ReportContent, scopes: dict[str, frozenset[str]]) -> dict[str, bytes]:
        """One shared copy per distinct consent scope; recipients with the same domains get the same bytes."""
        made: dict[frozenset[str], bytes] = {}
        for scope in scopes.values():
            if scope not in made:
                made[scope] = self.report(content, allowed=set(scope), recipient=None)
        return {name: made[scope] for name, scope in scopes.items()}

    def easy_read(self, content: ReportContent, language: str = "nl",
                  fetcher: AssetsOnlyFetcher | None = None) -> bytes:
        """The job seeker's short version: pictogram per domain, what / who / by when, large type."""
        lang = language if language in EASY_LANGUAGES else "nl"
        sections = [s for s in all_domains(content).domains if s.agreements]
        present = [i for i in content.invitees if i.attendance == "present" and i.kind != "jobseeker"]
        html = self.html("easy_read.html", language=lang, c=content, sections=sections, present=present,
                         running=t("easy.title", lang))
        return self.pdf(html, ("easy",), fetcher)

    def progress(self, content: ProgressContent, language: str = "nl") -> bytes:
        """The voortgang PDF with the W²-cirkels and the score table."""
        html = self.html("progress.html", language=language, p=content, figures=progress_figures(content, language),
                         running=t("progress.title", language))
        return self.pdf(html, ("progress",))

    def trajectory(self, content: TrajectoryContent, language: str = "nl", easy: bool = False) -> bytes:
        """The trajectovereenkomst: the full print for the file, or the easy-read copy for the job seeker."""
        lang = language if language in EASY_LANGUAGES else "nl"
        html = self.html("trajectory_easy.html" if easy else "trajectory.html", language=lang, c=content,
                         running=t("trajectory.title", lang))
        return self.pdf(html, ("easy",) if easy else ("report",))

    def integrated(self, content: IntegratedContent, language: str = "nl", easy: bool = False) -> bytes:
        """The integrated work-welfare report: nine sections in order, or the easy-read copy."""
        lang = language if language in EASY_LANGUAGES else "nl"
        html = self.html("integrated_easy.html" if easy else "integrated.html", language=lang, c=content,
                         running=t("integrated.title", lang))
        return self.pdf(html, ("easy",) if easy else ("report",))

    def card(self, content: CompetenceCardContent, language: str = "nl") -> bytes:
        """A competence card on one page."""
        lang = language if language in EASY_LANGUAGES else "nl"
        html = self.html("card.html", language=lang, c=content, running=t("card.title", lang))
        return self.pdf(html, ("report",))

    def drawing(self, content: DrawingContent, language: str = "nl") -> bytes:
        """A shared drawing on one page: the picture and, below it, the same in words."""
        lang = language if language in EASY_LANGUAGES else "nl"
        # Drawn here from the data, by the same code as the page: no markup crosses into the renderer.
        d = Drawing(id=content.id, kind=content.kind, title=content.title, items=content.items,
                    life_domain=content.life_domain)
        html = self.html("drawing.html", language=lang, c=content, picture=drawing_svg(d, lang),
                         words=text_alternative(d, lang), running=t("drawing.title", lang))
        return self.pdf(html, ("report",))


def progress_figures(content: ProgressContent, language: str = "nl") -> list[dict[str, Any]]:
    """Per group: one radar per perspective, side by side (job seeker left, counsellor right)."""
    figures = []
    for group in ("outside", "inside"):
        pair = []
        for sheet in sorted(content.sheets, key=lambda s: s.filled_by != "jobseeker"):
            # Free themes join the inside circle: they are the job seeker's own, and too few to draw alone.
            rows = [r for r in sheet.rows if r.group == group or (group == "inside" and r.group == "free")]
            if not rows:
                continue
            series = [charts.Series(p, t(f"period.{p}", language), [getattr(r, p) for r in rows])
                      for p in ("start", "now", "future")]
            title = f"{t(f'progress.group.{group}', language)} – {t(f'progress.by.{sheet.filled_by}', language)}"
            pair.append({"title": title, "svg": Markup(charts.radar_svg(title, [r.label for r in rows], series)),
                         "sheet": sheet})
        if pair:
            figures.append({"group": group, "charts": pair})
    return figures


_local = threading.local()


def get_renderer() -> Renderer:
    """This thread's renderer (FontConfiguration is not known to be thread-safe)."""
    r = getattr(_local, "renderer", None)
    if r is None:
        r = _local.renderer = Renderer()
    return r


__all__ = ["Change", "Renderer", "UrgentTheme", "all_domains", "get_renderer", "progress_figures", "restrict"]

"""A/B of layout measures on the large verslag, as CPU ms per page over a minimal one-page document.

Run: `uv run python bench/report_layout_ab.py [variant ...]` (ROUNDS=21 for more samples). Prints figures;
asserts nothing. Variants run interleaved, one render each per round, so machine load hits all of them alike;
the median and the minimum over the rounds are both printed (the minimum is the least disturbed sample).
Variants starting with `x-` remove content and only show what a part costs; the others keep what the reader sees.
"""

from __future__ import annotations

import io
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from pypdf import PdfReader
from weasyprint import CSS, HTML

from w2.reports.fetcher import ASSETS_DIR, AssetsOnlyFetcher
from w2.reports.render import get_renderer
from w2.reports.sample import large_case, minimal_html

R = get_renderer()
BASE = (ASSETS_DIR / "base.css").read_text(encoding="utf-8")
REPORT = (ASSETS_DIR / "report.css").read_text(encoding="utf-8")


def large_html() -> str:
    """The HTML our renderer makes for the large report (its own pdf step skipped)."""
    captured: list[str] = []
    real = R.pdf
    R.pdf = lambda html, styles, fetcher=None: captured.append(html) or b""  # type: ignore[method-assign]
    try:
        R.report(large_case(domains=11, agreements=40, invitees=12), allowed=None, recipient="VDAB Demostad")
    finally:
        R.pdf = real  # type: ignore[method-assign]
    return captured[0]


SOURCE = large_html()
VARIANTS: dict[str, dict[str, Any]] = {
    "baseline": {},
    "no-break-inside": {"report": REPORT.replace(".f, .b, li, tr { break-inside: avoid; }", "")
                        .replace("p, li { orphans: 3; widows: 3; }", ""),
                        "base": BASE.replace("tr { break-inside: avoid; }", "")},
    "no-overflow-wrap": {"base": BASE.replace("td, li, dd, p { overflow-wrap: break-word; }", "")},
    "one-font": {"base": BASE.replace('"DejaVu Sans", "Liberation Sans", sans-serif', '"DejaVu Sans"')},
    "no-nth-child": {"report": re.sub(r"table\.inv th:nth-child\(\d\) \{[^}]*\}\n", "", REPORT)},
    "separate-borders": {"base": BASE.replace("border-collapse: collapse;",
                                              "border-collapse: separate; border-spacing: 0;")},
    "auto-table": {"report": REPORT.replace("table-layout: fixed;", "")},
    "uncompressed": {"opts": {"uncompressed_pdf": True}},
    "full-fonts": {"opts": {"full_fonts": True}},
    "x-no-table": {"html": re.sub(r'<table class="inv">.*?</table>', "<p>x</p>", SOURCE, flags=re.S)},
    "x-no-margin-boxes": {"html": re.sub(r"<style>.*?</style>", "", SOURCE, flags=re.S),
                          "base": BASE.replace("@bottom-right", "@bottom-center")},
}


def variant(base: str = BASE, report: str = REPORT, html: str = SOURCE,
            opts: dict[str, Any] | None = None) -> Callable[[], bytes]:
    """A render of the large report with these stylesheets, HTML and options (fonts and CSS parsed once)."""
    fc = R.font_config
    sheets = [CSS(string=s, font_config=fc, url_fetcher=AssetsOnlyFetcher()) for s in (base, report)]

    def go() -> bytes:
        doc = HTML(string=html, base_url="w2-asset:", url_fetcher=AssetsOnlyFetcher())
        return doc.write_pdf(stylesheets=sheets, font_config=fc, pdf_variant="pdf/ua-1", cache=R.image_cache,
                             **(opts or {}))
    return go


def main() -> None:
    """Measure and print."""
    which = sys.argv[1:] or list(VARIANTS)
    rounds = int(os.environ.get("ROUNDS", "11"))
    fns: dict[str, Callable[[], bytes]] = {n: variant(**VARIANTS[n]) for n in which}
    pages = {n: len(PdfReader(io.BytesIO(f())).pages) for n, f in fns.items()}
    fns["minimal"] = lambda: HTML(string=minimal_html()).write_pdf(pdf_variant="pdf/ua-1")
    fns["minimal"]()
    times: dict[str, list[float]] = {n: [] for n in fns}
    for _ in range(rounds):
        for n, f in fns.items():
            t0 = time.process_time()
            f()
            times[n].append((time.process_time() - t0) * 1000)
    m, m_lo = statistics.median(times["minimal"]), min(times["minimal"])
    print(f"minimal one-page document: median {m:.1f} ms, min {m_lo:.1f} ms ({rounds} rounds)")
    b = statistics.median(times["baseline"]) if "baseline" in times else None
    for n in which:
        ms, lo = statistics.median(times[n]), min(times[n])
        rel = f" = {ms / b:4.2f} of baseline" if b else ""
        print(f"{n:18s} {ms:7.1f} ms, {pages[n]} pages = {ms / pages[n] / m:4.2f}x minimal per page{rel}"
              f" | min {lo:6.1f} ms = {lo / pages[n] / m_lo:4.2f}x per page")


if __name__ == "__main__":
    main()

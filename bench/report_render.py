"""Report rendering cost, as ratios to a minimal one-page WeasyPrint document measured in the same run.

Run: `uv run python bench/report_render.py`. Prints figures; asserts nothing.
Targets (issue 17): the large report per page <= 2x the minimal one-page document; 8 recipients with
3 distinct consent scopes <= 3.5x one rendition (one shared copy per scope).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from w2.consent.domains import LIFE_DOMAINS
from w2.reports.render import Renderer, get_renderer
from w2.reports.sample import large_case, minimal_html, worked_case

RUNS = 7


def median_ms(fn: Callable[[], object], runs: int = RUNS) -> float:
    """Median CPU time of `fn` in milliseconds after one warm-up call (CPU time: robust to other load)."""
    fn()
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        times.append((time.process_time() - t0) * 1000)
    return statistics.median(times)


def pages(data: bytes) -> int:
    """Page count of a PDF."""
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def main() -> None:
    """Measure and print."""
    from weasyprint import HTML

    r = get_renderer()
    worked, large = worked_case(), large_case(domains=11, agreements=40, invitees=12)
    minimal = median_ms(lambda: HTML(string=minimal_html()).write_pdf(pdf_variant="pdf/ua-1"))
    minimal_cached = median_ms(lambda: r.pdf(minimal_html(), ()))
    worked_ms = median_ms(lambda: r.report(worked, allowed=None, recipient="VDAB Demostad"))
    large_ms = median_ms(lambda: r.report(large, allowed=None, recipient="VDAB Demostad"))
    easy_ms = median_ms(lambda: r.easy_read(worked))

    # Eight recipients, each with a different set of domains (the worst case: nothing to share)
    sets = [set(LIFE_DOMAINS[k:k + 3]) for k in range(8)]
    scopes = {f"Dienst {k}": frozenset(LIFE_DOMAINS[(k % 3) * 3:(k % 3) * 3 + 4]) for k in range(8)}
    # "One rendition": the mean of one rendition per distinct scope (the three differ a little in length)
    distinct = sorted(set(scopes.values()), key=sorted)
    one = statistics.mean(median_ms(lambda s=s: r.report(large, allowed=set(s), recipient=None), runs=3)
                          for s in distinct)
    eight = median_ms(lambda: [r.report(large, allowed=s, recipient=None) for s in sets], runs=3)
    # Eight recipients holding 3 distinct scopes: one shared copy per scope, as the service stores them
    shared = median_ms(lambda: r.reports_by_scope(large, scopes), runs=3)
    # The same eight with nothing cached: a fresh renderer (font config, parsed CSS) per rendition
    fresh = median_ms(lambda: [Renderer().report(large, allowed=s, recipient=None) for s in sets], runs=2)

    large_pages = pages(r.report(large, allowed=None, recipient="VDAB Demostad"))
    per_page = large_ms / large_pages
    print("CPU time per document (median), this process only")
    print(f"minimal one-page document (plain WeasyPrint): {minimal:8.1f} ms")
    print(f"minimal one-page document (our renderer):     {minimal_cached:8.1f} ms")
    print(f"worked-case report:                           {worked_ms:8.1f} ms  = {worked_ms / minimal:5.2f}x minimal")
    print(f"large report (11 domains, 40 agr., 12 inv.):  {large_ms:8.1f} ms  = {large_ms / minimal:5.2f}x minimal;"
          f" {large_pages} pages = {per_page:.1f} ms/page = {per_page / minimal:.2f}x minimal per page"
          f" (target <= 2x)")
    print(f"easy-read version (worked case):              {easy_ms:8.1f} ms  = {easy_ms / minimal:5.2f}x minimal")
    print(f"one rendition of the large report:            {one:8.1f} ms")
    print(f"8 recipients, 3 distinct scopes (shared):     {shared:8.1f} ms  = {shared / one:5.2f}x one (target <= 3.5x)")
    print(f"8 recipients, 8 distinct scopes, cached:      {eight:8.1f} ms  = {eight / one:5.2f}x one")
    print(f"8 distinct scopes, nothing cached:            {fresh:8.1f} ms  = {fresh / one:5.2f}x one")
    parallel(large, sets)


def parallel(large: object, sets: list[set[str]]) -> None:
    """Wall time of 8 renditions spread over one sandbox per CPU, as Celery workers would render them."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    from w2.reports.sandbox import Job, Sandbox

    n = os.cpu_count() or 1
    boxes = [Sandbox() for _ in range(n)]
    try:
        jobs = [Job(op="report", report=large, allowed=sorted(s), recipient=None)  # type: ignore[arg-type]
                for s in sets]
        with ThreadPoolExecutor(n) as pool:
            list(pool.map(lambda b: b.run(jobs[0], 120), boxes))  # warm every child
            t0 = time.perf_counter()
            boxes[0].run(jobs[0], 120)
            one = (time.perf_counter() - t0) * 1000
            t0 = time.perf_counter()
            list(pool.map(lambda k: boxes[k % n].run(jobs[k], 120), range(len(jobs))))
            eight = (time.perf_counter() - t0) * 1000
        print(f"wall time, {n} sandboxes in parallel: one {one:.0f} ms, 8 renditions {eight:.0f} ms "
              f"= {eight / one:.2f}x one (machine load affects wall time)")
    finally:
        for b in boxes:
            b.kill()


if __name__ == "__main__":
    main()

"""Rendering limits: a job past its time is killed, a job past its memory fails, the next job works."""

from __future__ import annotations

import pytest

from tests.reports.pdfutil import pdf_text
from w2.reports.sample import large_case, worked_case
from w2.reports.sandbox import Job, RenderError, RenderTimeout, Sandbox, render_report


def test_report_renders_in_the_sandbox() -> None:
    text = pdf_text(render_report(worked_case(), {"housing"}, "VDAB Demostad"))
    assert "Afspraak maken bij de huurdersbond" in text and "achterstallige rekeningen" not in text


def test_time_limit_kills_the_job_and_the_next_job_works() -> None:
    box = Sandbox()
    try:
        with pytest.raises(RenderTimeout):
            box.run(Job(op="report", report=large_case(agreements=600), recipient="x"), timeout=0.5)
        assert box.proc is None  # the child was killed

        pdf = box.run(Job(op="report", report=worked_case(), recipient="x"), timeout=120)
        assert pdf.startswith(b"%PDF")
    finally:
        box.kill()


def test_memory_limit_fails_the_job() -> None:
    box = Sandbox(memory_mb=420)
    try:
        huge = worked_case()
        huge.domains[0].information = "woord " * 3_000_000
        with pytest.raises(RenderError) as err:
            box.run(Job(op="report", report=huge, recipient="x"), timeout=240)
        assert "memory" in str(err.value) or "stopped" in str(err.value)
    finally:
        box.kill()

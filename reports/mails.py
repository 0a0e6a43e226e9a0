"""Mail renderers for report notices: a sign-in link only, never the PDF, never case content."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

from w2.platform import mail


@mail.renderer("report_ready")
def _ready(params: dict[str, Any], language: str) -> EmailMessage:
    return mail.simple("report_ready", params, language)


@mail.renderer("report_nothing_shared")
def _nothing(params: dict[str, Any], language: str) -> EmailMessage:
    return mail.simple("report_nothing_shared", params, language)


@mail.renderer("report_ready_jobseeker")
def _ready_for_jobseeker(params: dict[str, Any], language: str) -> EmailMessage:
    return mail.simple("report_ready_jobseeker", params, language)

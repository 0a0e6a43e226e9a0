"""Helpers to read back rendered PDFs in tests."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    """All text of a PDF, whitespace collapsed (so wrapped lines still match)."""
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def image_count(data: bytes) -> int:
    """Raster images embedded in a PDF."""
    reader = PdfReader(io.BytesIO(data))
    return sum(len(page.images) for page in reader.pages)


def metadata(data: bytes) -> tuple[dict, dict]:
    """Document info and catalog of a PDF."""
    reader = PdfReader(io.BytesIO(data))
    return dict(reader.metadata or {}), dict(reader.trailer["/Root"])

"""WeasyPrint URL fetcher that serves our packaged assets and refuses every other URL."""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path

from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
SCHEME = "w2-asset:"
log = logging.getLogger("w2.reports.fetcher")


class RefusedURL(ValueError):
    """A URL outside our assets; WeasyPrint skips the resource and goes on."""


class AssetsOnlyFetcher(URLFetcher):
    """Only `w2-asset:<relative path>` inside the assets folder; no network, no file system, no data URLs."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=())
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Serve one packaged asset or raise RefusedURL."""
        if url.startswith(SCHEME):
            rel = url[len(SCHEME):].split("?", 1)[0].split("#", 1)[0].lstrip("/")
            path = (ASSETS_DIR / rel).resolve()
            if path.is_relative_to(ASSETS_DIR) and path.is_file():
                self.served.append(rel)
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})
        self.refused.append(url[:200])
        log.warning("refused URL in report rendering: %.200s", url)
        raise RefusedURL(f"refused URL: {url[:200]}")


def asset_url(relative: str) -> str:
    """The URL a template uses for a packaged asset."""
    return SCHEME + relative

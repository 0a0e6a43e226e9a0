"""The URL fetcher: our packaged assets only; no request leaves the renderer, nothing foreign is embedded."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.reports.pdfutil import image_count, pdf_text
from w2.reports.fetcher import AssetsOnlyFetcher, RefusedURL
from w2.reports.render import get_renderer
from w2.reports.sample import worked_case
from w2.reports.schemas import AgreementItem

# A 1x1 PNG: what the server would hand out if anyone asked.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class CountingServer:
    """A real HTTP server on loopback that counts every request it gets."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(PNG)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def server() -> Iterator[CountingServer]:
    s = CountingServer()
    s.thread.start()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


def test_server_counts_requests(server: CountingServer) -> None:
    """The yardstick works: a plain fetch is counted."""
    import urllib.request

    urllib.request.urlopen(server.url("/probe"), timeout=5).read()
    assert server.hits == ["/probe"]


def test_urls_in_agreement_text_fetch_nothing(server: CountingServer, tmp_path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    hostile = (f'<img src="{server.url("/x")}"> <img src="file://{secret}"> '
               f'<link rel="stylesheet" href="{server.url("/s.css")}">')
    content = worked_case()
    content.domains[0].agreements.append(AgreementItem(description=hostile, owner="OCMW Demostad"))
    content.domains[0].information = f'<img src="{server.url("/info")}">'
    fetcher = AssetsOnlyFetcher()
    data = get_renderer().report(content, allowed=None, recipient=None, fetcher=fetcher)
    assert server.hits == []
    assert image_count(data) == 0
    text = pdf_text(data)
    assert f'<img src="{server.url("/x")}">' in text  # shown as text, never loaded


def test_fetcher_refuses_even_unescaped_markup(server: CountingServer, tmp_path) -> None:
    """Second line of defence: raw HTML with remote and local URLs still loads nothing."""
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    html = (
        "<!doctype html><html lang='nl'><head><title>t</title>"
        f"<link rel='stylesheet' href='{server.url('/style.css')}'>"
        f"<style>@import url('{server.url('/import.css')}'); body {{ background: url('file://{secret}') }}</style>"
        f"</head><body><p>tekst</p><img src='{server.url('/x')}' alt='x'><img src='file://{secret}' alt='y'>"
        f"<img src='data:image/png;base64,iVBORw0KGgo=' alt='z'><img src='w2-asset:../../fetcher.py' alt='w'>"
        "</body></html>"
    )
    fetcher = AssetsOnlyFetcher()
    data = get_renderer().pdf(html, (), fetcher)
    assert server.hits == []
    assert image_count(data) == 0
    assert len(fetcher.refused) >= 6
    assert fetcher.served == []


def test_fetcher_serves_only_packaged_assets() -> None:
    f = AssetsOnlyFetcher()
    assert f.fetch("w2-asset:pictos/housing.svg").read().startswith(b"<svg")
    for url in ("w2-asset:../render.py", "w2-asset:/etc/passwd", "file:///etc/passwd", "http://127.0.0.1:1/x",
                "data:text/plain,hi", "w2-asset:pictos/none.svg"):
        with pytest.raises(RefusedURL):
            f.fetch(url)

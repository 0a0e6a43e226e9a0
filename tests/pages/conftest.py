"""Browser test harness: a real uvicorn server, Debian's Chromium via Playwright, axe-core on every page."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import free_port
from tests.pages.browser import AXE_JS, CHROMIUM, BrowserSession, W2Page

REPO = Path(__file__).resolve().parents[2]


def _missing(reason: str) -> None:
    # CI must never pass by skipping the browser flows: a missing browser is a broken setup there.
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: browser tests may not be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def live_server(settings_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by a real uvicorn process on a free port, on the test database."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, **settings_env, "W2_BASE_URL": base, "W2_DEV_PAGES": "1"}
    log = tmp_path_factory.mktemp("server") / "uvicorn.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "w2.platform.boot.app:app_from_env", "--factory",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        last = ""
        while True:
            try:
                with urllib.request.urlopen(f"{base}/login", timeout=5):
                    break
            except urllib.error.HTTPError:
                break  # it answers: the server is up
            except Exception as exc:  # noqa: BLE001 - keep polling until the deadline
                last = f"{type(exc).__name__}: {exc}"
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"uvicorn did not start ({last}):\n"
                                       + log.read_text(errors="replace")) from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        text = log.read_text(errors="replace") if log.exists() else ""
        if "Traceback" in text:
            sys.stderr.write("--- uvicorn log ---\n" + text[-5000:])


@pytest.fixture(scope="session")
async def chromium() -> AsyncIterator[Any]:
    """One headless Chromium for the whole run."""
    if not Path(CHROMIUM).exists():
        _missing(f"Chromium ontbreekt op {CHROMIUM} (apt-get install chromium)")
    if not AXE_JS.exists():
        _missing("axe-core ontbreekt (npm ci in de projectmap)")
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        await browser.close()


@pytest.fixture
async def browser_session(chromium: Any, live_server: str, request: pytest.FixtureRequest) -> AsyncIterator[BrowserSession]:
    """Fresh browser contexts for one test; every page visited must have passed axe by the end."""
    shots = os.environ.get("W2_SCREENSHOTS")  # `make screenshots` sets it to docs/screenshots
    session = BrowserSession(chromium, live_server, Path(shots) if shots else None)
    yield session
    await session.close()


@pytest.fixture
async def page(browser_session: BrowserSession) -> W2Page:
    """A desktop-sized page."""
    return await browser_session.new_page()


@pytest.fixture
async def phone(browser_session: BrowserSession) -> W2Page:
    """A 360x640 phone-sized page."""
    return await browser_session.new_page(width=360, height=640)

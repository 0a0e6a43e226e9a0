"""Browser test harness: a real uvicorn server, Debian's Chromium via Playwright, axe-core on every page."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.pages.browser import AXE_JS, CHROMIUM, BrowserSession, W2Page
from tests.server import uvicorn_server


def _missing(reason: str) -> None:
    # CI must never pass by skipping the browser flows: a missing browser is a broken setup there.
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: browser tests may not be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def live_server(settings_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by a real uvicorn process on a free port, on the test database."""
    log = tmp_path_factory.mktemp("server") / "uvicorn.log"
    with uvicorn_server(settings_env, log, W2_DEV_PAGES="1") as base:
        yield base


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

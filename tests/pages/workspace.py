"""Browser helpers for the workspace pages: move through the sub-navigation like a person would."""

from __future__ import annotations

from tests.pages.browser import W2Page

SUBNAV = "Delen van de werkruimte"


async def open_section(page: W2Page, name: str) -> None:
    """Follow a sub-navigation link; the page that opens marks it as the current one."""
    nav = page.page.get_by_role("navigation", name=SUBNAV)
    await page.submit(nav.get_by_role("link", name=name, exact=True))
    assert await nav.get_by_role("link", name=name, exact=True).get_attribute("aria-current") == "page"

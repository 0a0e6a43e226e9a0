"""Page helpers for browser tests: every page load is checked with axe-core before the test goes on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_AXE_RUN = (
    "async (tags) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});"
    " return r.violations.map(v => ({id: v.id, help: v.help, impact: v.impact,"
    " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)})); }"
)


class BrowserSession:
    """The contexts one test opens; closing checks that no page escaped axe."""

    def __init__(self, browser: Any, base_url: str, screenshot_dir: Path | None) -> None:
        self.browser = browser
        self.base_url = base_url
        self.screenshot_dir = screenshot_dir
        self.pages: list[W2Page] = []

    async def new_page(self, width: int = 1280, height: int = 900, locale: str = "nl-BE") -> W2Page:
        """A page in its own context (own cookies), CSP bypassed only so axe can be injected."""
        ctx = await self.browser.new_context(
            bypass_csp=True, viewport={"width": width, "height": height}, locale=locale,
            base_url=self.base_url, accept_downloads=True,
        )
        ctx.set_default_timeout(30_000)
        p = W2Page(await ctx.new_page(), self)
        self.pages.append(p)
        return p

    async def close(self) -> None:
        """Close every context; fail if a loaded document was never checked."""
        unchecked = [p.page.url for p in self.pages if p.loads != p.checked_loads]
        for p in self.pages:
            await p.page.context.close()
        assert not unchecked, f"pages loaded without an axe check: {unchecked}"


class W2Page:
    """A Playwright page whose navigations are followed by an axe-core run."""

    def __init__(self, page: Any, session: BrowserSession) -> None:
        self.page = page
        self.session = session
        self.loads = 0
        self.checked_loads = 0
        self.axe_runs = 0
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame: Any) -> None:
        if frame == self.page.main_frame:
            self.loads += 1

    async def goto(self, path: str) -> Any:
        """Open a path (or full URL) and check it."""
        resp = await self.page.goto(path)
        await self.check()
        return resp

    async def submit(self, locator: Any) -> None:
        """Click a submit button or link that loads a new page, then check that page."""
        async with self.page.expect_navigation():
            await locator.click()
        await self.check()

    async def press_enter(self, locator: Any) -> None:
        """Activate with the keyboard (Enter) and check the page that follows."""
        async with self.page.expect_navigation():
            await locator.press("Enter")
        await self.check()

    async def tab_to(self, selector: str, limit: int = 40) -> None:
        """Move the focus with Tab only until `selector` has it (keyboard-only use)."""
        for _ in range(limit):
            await self.page.keyboard.press("Tab")
            if await self.page.evaluate("(s) => document.activeElement.matches(s)", selector):
                visible = await self.page.evaluate(
                    "() => { const c = getComputedStyle(document.activeElement);"
                    " return c.outlineStyle !== 'none' && parseFloat(c.outlineWidth) >= 2; }")
                assert visible, f"{selector} has no visible focus indicator"
                return
        raise AssertionError(f"{selector} cannot be reached with Tab on {self.page.url}")

    async def check(self) -> None:
        """Run axe-core on the current document; zero violations allowed."""
        await self.page.wait_for_load_state("load")
        if not await self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            await self.page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
        violations = await self.page.evaluate(_AXE_RUN, AXE_TAGS)
        if violations:
            text = (await self.page.inner_text("body"))[:800]
            raise AssertionError(f"axe violations on {self.page.url}:\n{json.dumps(violations, indent=1)}\n{text}")
        self.axe_runs += 1
        self.checked_loads = self.loads

    async def assert_fits(self, width: int = 320, target: int = 24) -> None:
        """No horizontal scrolling at `width` CSS px, and touch targets of at least `target` px (24: WCAG 2.2 AA)."""
        size = self.page.viewport_size
        await self.page.set_viewport_size({"width": width, "height": size["height"]})
        try:
            overflow = await self.page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                wide = await self.page.evaluate(
                    "(w) => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w"
                    " && !(e.parentElement && e.parentElement.closest('.table-wrap')))"
                    ".slice(0, 5).map(e => e.outerHTML.slice(0, 100))", width)
                wide += await self.page.evaluate(
                    "() => [...document.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1"
                    " && getComputedStyle(e).overflowX === 'visible').slice(0, 8)"
                    ".map(e => e.tagName + '.' + e.className + ' ' + e.scrollWidth + '/' + e.clientWidth)")
                raise AssertionError(f"{self.page.url} scrolls sideways by {overflow}px at {width}px: {wide}")
            small = await self.page.evaluate(
                "(t) => [...document.querySelectorAll('button, input:not([type=hidden]), select, summary,"
                " textarea, a.button, a.back, a.row-link')].filter(e => e.offsetParent !== null).map(e => {"
                " const r = e.getBoundingClientRect(); return [e.outerHTML.slice(0, 80), r.width, r.height]; })"
                ".filter(([, w, h]) => w < t || h < t)", target)
            assert small == [], f"touch targets under {target}px on {self.page.url}: {small}"
        finally:
            await self.page.set_viewport_size(size)

    async def screenshot(self, name: str) -> None:
        """Write docs/screenshots/<name>.png when screenshots were asked for."""
        folder = self.session.screenshot_dir
        if folder is None:
            return
        folder.mkdir(parents=True, exist_ok=True)
        await self.page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

"""A real Chromium (Debian's, headless) driven by Playwright, against a real `circles serve` process.

Without /usr/bin/chromium these tests skip and say why; with CIRCLES_REQUIRE_BROWSER=1
(set by .ci/run) they fail instead, so CI never passes without having run them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import axe
from tests.live.conftest import Server, http, live_template, server, start_server  # noqa: F401 (fixtures)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ACTION_TIMEOUT_MS = 15_000  # no wait in these tests is unbounded
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"  # git-ignored


def _unavailable(reason: str) -> None:
    if os.environ.get("CIRCLES_REQUIRE_BROWSER") == "1":
        pytest.fail(f"CIRCLES_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        # Playwright gives the browser a fresh temporary profile (user-data-dir) and removes it on close.
        # Package scope: the browser and Playwright's own event loop are gone before other suites run.
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """Where a test saves its screenshots: test-artifacts/browser/<test name>/."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass(eq=False)
class CirclePage:
    """One person's circle page in its own browser context (its own sessionStorage, its own network),
    and every WebSocket frame it sent and received, as the browser saw them."""

    name: str
    context: Any
    page: Any
    sent: list[dict[str, Any]] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    scheme: str = "light"  # the colour scheme the person's browser asks for
    audited: list[str] = field(default_factory=list)  # the states axe-core was run over

    def record(self) -> None:
        """Frames as the browser saw them; script errors and console errors (CSP refusals among them)."""
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        self.record_frames()

    def record_frames(self) -> None:
        def on_socket(socket: Any) -> None:
            socket.on("framesent", lambda payload: self.sent.append(json.loads(payload)))
            socket.on("framereceived", lambda payload: self.received.append(json.loads(payload)))

        self.page.on("websocket", on_socket)

    def event_seqs(self) -> list[int]:
        return [frame["seq"] for frame in self.received if frame["type"] == "event"]

    def snapshot_seqs(self) -> list[int]:
        return [frame["seq"] for frame in self.received if frame["type"] == "snapshot"]

    def auths(self) -> list[dict[str, Any]]:
        return [frame for frame in self.sent if frame.get("type") == "auth"]

    def holder_seat(self) -> Any:
        return self.page.locator(".seat[data-holder]")

    def seq(self) -> int:
        return int(self.page.locator("#page").get_attribute("data-seq") or 0)

    def audit(self, state: str) -> None:
        """axe-core over the page as it is now, in light and in dark: fails on any serious or critical
        violation, naming the rule and the node. The page is left in its own colour scheme."""
        failures = []
        for scheme in ("light", "dark"):
            self.page.emulate_media(color_scheme=scheme)
            found = axe.violations(self.page)
            if found:
                failures.append(axe.describe(f"{self.name}: {state}", scheme, found))
        self.page.emulate_media(color_scheme=self.scheme)
        self.audited.append(state)
        assert not failures, "\n".join(failures)


@dataclass(eq=False)
class Browsers:
    """Opens circle pages; closes every context at the end of the test."""

    browser: Any
    base_url: str
    pages: list[CirclePage] = field(default_factory=list)

    def open(
        self,
        name: str,
        circle_id: str,
        token: str,
        *,
        width: int = 420,
        height: int = 860,
        clock_skew: timedelta | None = None,
        before_opening: Callable[[Any], None] | None = None,
        **context: Any,
    ) -> CirclePage:
        """The page as a person opens it from their app's link: /circle/{id}#token=… (no fragment with an
        empty token); with `clock_skew`, the page's own clock (Date, timers) runs that far from the real one;
        `before_opening(page)` runs just before (to route its socket, say). Every page carries axe-core."""
        browser_context = self.browser.new_context(viewport={"width": width, "height": height}, **context)
        browser_context.set_default_timeout(ACTION_TIMEOUT_MS)
        axe.install(browser_context)
        circle_page = CirclePage(name, browser_context, browser_context.new_page())
        circle_page.scheme = context.get("color_scheme") or "light"
        circle_page.record()
        if clock_skew is not None:
            circle_page.page.clock.install(time=datetime.now(UTC) + clock_skew)
        if before_opening is not None:
            before_opening(circle_page.page)
        self.pages.append(circle_page)
        fragment = f"#token={token}" if token else ""
        circle_page.page.goto(f"{self.base_url}/circle/{circle_id}{fragment}")
        return circle_page

    def close(self) -> None:
        for circle_page in self.pages:
            circle_page.context.close()


@pytest.fixture
def browsers(browser: Any, server: Server) -> Iterator[Browsers]:  # noqa: F811 (the imported fixture)
    opened = Browsers(browser, server.base_url)
    try:
        yield opened
    finally:
        opened.close()

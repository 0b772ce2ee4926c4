"""examples/web-app in Chromium, as a new user runs it: press Start on the app's page, then open each
person's link in a browser of their own, and each is live in the circle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.examples.web_app_process import web_app
from tests.live.conftest import Server


def test_start_a_circle_on_the_example_page_and_open_everyones_circle_page(
    browser: Any, server: Server, tmp_path: Path
) -> None:
    contexts = []
    try:
        with web_app(server.base_url, server.app_key, tmp_path / "web-app.log") as app_url:
            organizer = browser.new_context()
            organizer.set_default_timeout(ACTION_TIMEOUT_MS)
            contexts.append(organizer)
            page = organizer.new_page()
            page.goto(f"{app_url}/")
            page.get_by_role("button", name="Start").click()
            links = page.locator("#people a")
            expect(links).to_have_count(3)
            expect(links).to_have_text(["Open Kim's circle page", "Open Ana's circle page", "Open Bo's circle page"])

            old = links.nth(2).get_attribute("href")
            page.locator("#people li").nth(2).get_by_role("button", name="New link").click()
            expect(links.nth(2)).not_to_have_attribute("href", old or "")

            for href in [links.nth(i).get_attribute("href") for i in range(3)]:
                person = browser.new_context()  # each on their own device
                person.set_default_timeout(ACTION_TIMEOUT_MS)
                contexts.append(person)
                circle_page = person.new_page()
                circle_page.goto(href)
                expect(circle_page.locator("#connection")).to_have_text("Live")
            expect(circle_page.locator(".seat[data-online]")).to_have_count(3)
    finally:
        for context in contexts:
            context.close()

"""A support date between two pages in a real browser: the circle page in its two-person layout, a meeting
begun from one page, the swap, and the date ended from the other."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import Browsers, CirclePage
from tests.factories import auth, ok, state
from tests.live.conftest import Server

PIECE_MOVES_WITHIN_MS = 1000  # as the circle page's own tests ask


def _arrange(http: httpx.Client, key: str) -> dict[str, Any]:
    body = {
        "people": [
            {"external_id": "app-ana", "display_name": "Ana"},
            {"external_id": "app-ben", "display_name": "Ben"},
        ],
        "kind": "reciprocal",
        "seconds_each": 120,
        "schedule": {"rrule": "FREQ=WEEKLY;BYDAY=TU", "start": "2030-01-08T19:00:00", "time_zone": "Europe/Berlin"},
    }
    return ok(http.post("/v1/support-dates", json=body, headers=auth(key)), 201)


def _speaking(pages: list[CirclePage], participant_id: str) -> None:
    for circle_page in pages:
        holder = circle_page.page.locator(".date-person[data-holder]")
        expect(holder).to_have_attribute("data-participant-id", participant_id, timeout=PIECE_MOVES_WITHIN_MS)


def test_a_support_date_between_two_pages(
    server: Server, http: httpx.Client, browsers: Browsers, artifacts: Path
) -> None:
    date = _arrange(http, server.app_key)
    ana_id, ben_id = (person["participant_id"] for person in date["people"])
    ana = browsers.open("Ana", date["circle_id"], date["tokens"]["app-ana"])
    ben = browsers.open("Ben", date["circle_id"], date["tokens"]["app-ben"])
    pages = [ana, ben]
    for circle_page, partner in ((ana, "Ben"), (ben, "Ana")):
        page = circle_page.page
        expect(page.locator("#connection")).to_have_text("Live")
        expect(page.locator("#page")).to_have_attribute("data-kind", "support_date")
        expect(page.locator("#date-title")).to_have_text(f"Support date with {partner}")
        expect(page.locator(".date-person .date-name")).to_have_count(2)
        expect(page.locator("#seats")).to_be_hidden()  # two cards instead of a ring of seats
        expect(page.locator("#keeper-actions")).to_be_hidden()
        expect(page.locator("#date-status")).to_have_text("Ana begins the next meeting.")
        expect(page.locator("#date-next")).to_contain_text("Next meeting:")
        expect(page.locator("#date-begin")).to_be_visible()
    expect(ana.page.locator(".date-person[data-self] .date-name")).to_have_text("Ana (you)")
    expect(ana.page.locator(".date-person[data-online]")).to_have_count(2)

    # Ben begins the meeting from his page; Ana speaks first, with two minutes on the clock.
    ben.page.click("#date-begin")
    _speaking(pages, ana_id)
    expect(ana.page.locator("#date-status")).to_have_text("Your time to speak. Your partner listens.")
    expect(ben.page.locator("#date-status")).to_have_text("Ana is speaking. You listen.")
    expect(ana.page.locator("#holder-actions")).to_be_visible()
    expect(ana.page.locator("#pass")).to_be_hidden()
    expect(ben.page.locator("#holder-actions")).to_be_hidden()
    for circle_page in pages:
        expect(circle_page.page.locator("#countdown")).to_have_text(re.compile(r"^(2:00|1:5\d)$"))
    ana.page.screenshot(path=artifacts / "support-date-ana-speaks.png", full_page=True)

    # Ben pauses and resumes from his page; then Ana is done: the piece passes, and Ben speaks.
    ben.page.click("#date-pause")
    for circle_page in pages:
        expect(circle_page.page.locator("#date-status")).to_have_text("Paused. The clock is stopped.")
    ben.page.click("#date-resume")
    expect(ana.page.locator("#date-status")).to_have_text("Your time to speak. Your partner listens.")
    ana.page.click("#done")
    _speaking(pages, ben_id)
    expect(ben.page.locator("#date-status")).to_have_text("Your time to speak. Your partner listens.")
    ben.page.click("#done")
    for circle_page in pages:  # the meeting is over; Ben begins the next one
        expect(circle_page.page.locator("#date-status")).to_have_text("Ben begins the next meeting.")
        expect(circle_page.page.locator("#date-begin")).to_be_visible()
        expect(circle_page.page.locator("#date-airtime")).to_be_visible()
    assert state(http, server.app_key, date["circle_id"])["round"] is None

    # Ana ends the arrangement from her page: both pages say so, and the date is over.
    ana.page.click(".date-end summary")
    ana.page.click("#date-end")
    for circle_page in pages:
        expect(circle_page.page.locator("#date-status")).to_have_text("This support date has ended.")
        expect(circle_page.page.locator("#date-begin")).to_be_hidden()
    read = ok(http.get(f"/v1/support-dates/{date['id']}", headers=auth(server.app_key)))
    assert read["status"] == "ended"
    ben.page.screenshot(path=artifacts / "support-date-ended.png", full_page=True)
    assert [error for p in pages for error in p.errors] == []

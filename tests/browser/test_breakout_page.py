"""A breakout on the circle page in a real browser: six people on six pages pair up, each page shows the right
partner, whose turn it is and the clock, the piece passes inside each pair, and every page is back in the
circle at the end. The keeper breaks the circle into pairs from their own page and sees every pair.

The server runs on a clock the test moves (see `Server.advance`), so a speaker's time runs out when the test
says; the pages count down from the server's deadline on their own clocks."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Browsers, CirclePage
from tests.factories import auth, create_circle, ok, seat
from tests.live.client import assert_gapless, full_log
from tests.live.conftest import Server

NAMES = ["Ana", "Ben", "Cy", "Dee", "Eli", "Fay"]
# A turn of 120 s, as a page counts it down from the server's deadline (the server's clock stands still
# until the test moves it, while the page's runs on: so a little under two minutes, never more).
TWO_MINUTES = re.compile(r"^(2:00|1:[0-5]\d) left$")


def _no_errors(pages: list[CirclePage]) -> None:
    assert [error for p in pages for error in p.errors] == []


def _holder_of(breakout: dict[str, Any], member_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The group `member_id` is in, and its open turn."""
    group = next(g for g in breakout["groups"] if member_id in g["members"])
    return group, next(t for t in group["turns"] if t["started_at"] and not t["ended_at"])


@pytest.mark.clocked
def test_six_people_pair_up_on_six_pages_and_come_back_to_the_circle(
    server: Server, http: httpx.Client, browsers: Browsers, artifacts: Path
) -> None:
    key = server.app_key
    circle_id = create_circle(http, key, name="Pairs tonight")["id"]
    people = {"Kim": seat(http, key, circle_id, "Kim", role="keeper")}
    people |= {name: seat(http, key, circle_id, name) for name in NAMES}
    by_id = {p["id"]: name for name, p in people.items()}
    keeper = browsers.open("Kim", circle_id, people["Kim"]["token"])
    pages = {name: browsers.open(name, circle_id, people[name]["token"]) for name in NAMES}
    everyone = [keeper, *pages.values()]
    for circle_page in everyone:
        expect(circle_page.page.locator("#page")).to_have_attribute("aria-busy", "false")

    # Kim breaks the circle into pairs from her page: two minutes each, and she stays out.
    form = keeper.page.locator("#breakout-form")
    expect(form).to_be_visible()
    keeper.page.select_option("#breakout-time", "120")
    keeper.page.click("#breakout-start")
    for circle_page in everyone:
        expect(circle_page.page.locator("#breakout-box")).to_have_attribute("data-phase", "grouped")
    breakout = ok(http.get(f"/v1/circles/{circle_id}/state", headers=auth(key)))["breakout"]
    assert breakout is not None and len(breakout["groups"]) == 3
    assert people["Kim"]["id"] not in {m for g in breakout["groups"] for m in g["members"]}

    # Each page shows its own partner, whose turn it is in the pair, and a fresh two-minute clock.
    for name, circle_page in pages.items():
        group, turn = _holder_of(breakout, people[name]["id"])
        partner = next(by_id[m] for m in group["members"] if m != people[name]["id"])
        page = circle_page.page
        expect(page.locator("#breakout-partner")).to_have_text(f"You are with {partner}")
        speaker = by_id[turn["participant_id"]]
        expected = "You are speaking" if speaker == name else f"{speaker} is speaking"
        expect(page.locator("#breakout-holder")).to_have_text(expected)
        expect(page.locator("#breakout-countdown")).to_have_text(TWO_MINUTES)
        if speaker == name:
            expect(page.locator("#breakout-actions")).to_be_visible()
        else:
            expect(page.locator("#breakout-actions")).to_be_hidden()
        expect(page.locator(".ring-wrap")).to_be_hidden()  # the circle steps aside while in pairs
    # The keeper sees every pair at a glance, and who is speaking in each.
    rows = keeper.page.locator("#breakout-groups li")
    expect(rows).to_have_count(3)
    for index, group in enumerate(breakout["groups"]):
        names = [by_id[m] for m in group["members"]]
        expect(rows.nth(index).locator(".names")).to_have_text(f"{names[0]} and {names[1]}")
        expect(rows.nth(index).locator(".status")).to_have_text(f"{names[0]} speaking")

    keeper.page.screenshot(path=str(artifacts / "keeper-sees-every-pair.png"), full_page=True)
    pages[NAMES[0]].page.screenshot(path=str(artifacts / "member-in-a-pair.png"), full_page=True)

    # The first speaker of the first pair is done early: the piece passes to their partner at once.
    first_group = breakout["groups"][0]
    first, second = (by_id[m] for m in first_group["members"])
    pages[first].page.click("#breakout-done")
    expect(pages[second].page.locator("#breakout-holder")).to_have_text("You are speaking")
    expect(pages[second].page.locator("#breakout-countdown")).to_have_text(TWO_MINUTES)
    expect(pages[first].page.locator("#breakout-holder")).to_have_text(f"{second} is speaking")
    expect(rows.nth(0).locator(".status")).to_have_text(f"{second} speaking")

    # Time runs out for the other first speakers; then for everyone: all back in the circle.
    open_deadline = _holder_of(breakout, first_group["members"][0])[1]["deadline"]
    server.advance_to(open_deadline)
    for group in breakout["groups"][1:]:
        listener = by_id[group["members"][1]]
        expect(pages[listener].page.locator("#breakout-holder")).to_have_text("You are speaking")
    now = ok(http.get(f"/v1/circles/{circle_id}/state", headers=auth(key)))["breakout"]
    last = max(
        datetime.fromisoformat(t["deadline"])
        for g in now["groups"]
        for t in g["turns"]
        if t["deadline"] and not t["ended_at"]
    )
    server.advance_to(last)
    for circle_page in everyone:
        box = circle_page.page.locator("#breakout-box")
        expect(box).to_have_attribute("data-phase", "back")
        expect(circle_page.page.locator("#breakout-title")).to_have_text("Back in the circle")
        expect(circle_page.page.locator("#breakout-back")).to_have_text("Everyone is together again.")
        expect(circle_page.page.locator(".ring-wrap")).to_be_visible()
    pages[NAMES[0]].page.screenshot(path=str(artifacts / "back-in-the-circle.png"), full_page=True)
    expect(form).to_be_visible()  # the keeper may break out again, or start a round

    log = full_log(http, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    assert log[-1]["name"] == "breakout.ended" and log[-1]["data"]["breakout"]["end_reason"] == "completed"
    for circle_page in everyone:  # every page saw every seq, once, in order
        seqs = circle_page.event_seqs()
        assert seqs == sorted(set(seqs)) and seqs[-1] == log[-1]["seq"]
    _no_errors(everyone)


def test_a_partner_left_alone_sees_their_new_group_on_their_page(
    server: Server, http: httpx.Client, browsers: Browsers
) -> None:
    key = server.app_key
    circle_id = create_circle(http, key, name="Pairs, one leaves")["id"]
    people = {"Kim": seat(http, key, circle_id, "Kim", role="keeper")}
    people |= {name: seat(http, key, circle_id, name) for name in NAMES[:4]}
    groups = [[people["Ana"]["id"], people["Ben"]["id"]], [people["Cy"]["id"], people["Dee"]["id"]]]
    body = {"seconds_each": 120, "grouping": "explicit", "groups": groups, "keepers_float": True}
    ok(http.post(f"/v1/circles/{circle_id}/breakouts", json=body, headers=auth(key)), 201)
    ben = browsers.open("Ben", circle_id, people["Ben"]["token"])
    page = ben.page
    expect(page.locator("#breakout-partner")).to_have_text("You are with Ana")
    expect(page.locator("#breakout-holder")).to_have_text("Ana is speaking")

    # Ana leaves the circle: Ben would be alone, so he joins Cy and Dee and speaks after them.
    leave = f"/v1/circles/{circle_id}/participants/{people['Ana']['id']}"
    assert http.delete(leave, headers=auth(people["Ana"]["token"])).status_code == 204
    expect(page.locator("#breakout-partner")).to_have_text("You are with Cy and Dee")
    expect(page.locator("#breakout-holder")).to_have_text("Cy is speaking")
    expect(page.locator("#breakout-box")).to_have_attribute("data-group-index", "1")
    expect(page.locator("#breakout-countdown")).to_have_text(TWO_MINUTES)
    _no_errors([ben])

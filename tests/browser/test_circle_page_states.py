"""Every state of the circle page, for everyone in it, and axe-core over each one (light and dark): who has
spoken or passed this round, the piece coming back to someone who passed, the legend, a keeper's list of
who has not accepted the agreements, and the page connecting, waiting, live, paused, reconnecting, closed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import Browsers, CirclePage
from tests.factories import auth, create_circle, ok, seat, state
from tests.live.conftest import Server

AGREEMENTS = ["What is shared here stays here", "Speak from the heart, listen from the heart"]
# Every state the page can be in; the test below runs axe-core over each of them.
STATES = [
    "no token: the paste form",
    "a refused token",
    "connecting",
    "disconnected before the circle showed",
    "keeper, waiting: the agreements prompt and who has not accepted",
    "member, waiting: the agreements prompt",
    "witness: listening",
    "keeper, waiting: everyone has accepted",
    "keeper: a request for support",
    "keeper holds the piece",
    "member: a round with a holder",
    "spoke and passed, marked on the seats",
    "the piece back with someone who passed, on their page",
    "the piece back with someone who passed, on a keeper's page",
    "paused",
    "a reloaded page: the marks read again",
    "an open round with raised hands",
    "an offered piece",
    "reconnecting",
    "disconnected, with Try again",
    "closed",
]


class CuttableSocket:
    """Routes a page's live socket to the server until `cut(code)`: then it closes the page's socket with
    that code (1012: as a restarting server would) and every new one the same way until `mend()`."""

    def __init__(self, refusing: int | None = None) -> None:
        self.routes: list[Any] = []
        self.refusing = refusing

    def route(self, ws: Any) -> None:
        if self.refusing is not None:
            ws.close(code=self.refusing, reason="refused")
            return
        ws.connect_to_server()
        self.routes.append(ws)

    def cut(self, code: int = 1012) -> None:
        self.refusing = code
        for ws in self.routes:
            ws.close(code=code, reason="refused")
        self.routes.clear()

    def mend(self) -> None:
        self.refusing = None


def _pending(keeper: CirclePage) -> Any:
    return keeper.page.locator("#agreement-status-list > li")


def _seat(circle_page: CirclePage, participant_id: str) -> Any:
    return circle_page.page.locator(f'.seat[data-participant-id="{participant_id}"]')


def test_every_state_of_the_page_is_clear_and_passes_axe(
    server: Server, http: httpx.Client, browsers: Browsers, artifacts: Path
) -> None:
    circle = create_circle(http, server.app_key, name="Thursday circle", turn_seconds=120, agreements=AGREEMENTS)
    circle_id = circle["id"]
    roles = (("Kim", "keeper"), ("Ana", "member"), ("Ben", "member"), ("Wren", "witness"))
    people = {name: seat(http, server.app_key, circle_id, name, role=role) for name, role in roles}
    kim_id, ana_id, ben_id, wren_id = (people[name]["id"] for name in ("Kim", "Ana", "Ben", "Wren"))

    stranger = browsers.open("Stranger", circle_id, "")
    expect(stranger.page.locator("#token-form")).to_be_visible()
    stranger.audit("no token: the paste form")
    stranger.page.fill("#token-input", "cpt_not-a-real-token")
    stranger.page.click("#token-form button")
    expect(stranger.page.locator("#token-reason")).to_have_text(re.compile("not valid"))
    stranger.audit("a refused token")

    # A page whose socket is answered by no one stays "Connecting…".
    waiting = browsers.open(
        "Ana, connecting",
        circle_id,
        people["Ana"]["token"],
        before_opening=lambda p: p.route_web_socket("**/live", lambda ws: None),
    )
    expect(waiting.page.locator("#connection")).to_have_text("Connecting…")
    waiting.audit("connecting")
    # A page the server refuses at once (too many open screens) says why, though the circle never showed.
    refused = CuttableSocket(refusing=1008)
    too_many = browsers.open(
        "Ana, refused",
        circle_id,
        people["Ana"]["token"],
        before_opening=lambda p: p.route_web_socket("**/live", refused.route),
    )
    expect(too_many.page.locator("#connection")).to_have_text("Disconnected")
    expect(too_many.page.locator("#stopped-reason")).to_have_text(re.compile("too many open screens"))
    expect(too_many.page.locator("#retry")).to_be_visible()
    too_many.audit("disconnected before the circle showed")

    kim = browsers.open("Kim", circle_id, people["Kim"]["token"])
    expect(kim.page.locator("#connection")).to_have_text("Live")
    expect(kim.page.locator("#agreement-ask")).to_be_visible()
    # A keeper sees who has not accepted the current agreements: the witness too, who is not on the ring.
    expect(_pending(kim)).to_have_text(["Kim (you)", "Ana", "Ben", "Wren (witness)"])
    expect(kim.page.locator("#agreement-status-summary")).to_have_text("4 not yet accepted the current agreements:")
    expect(kim.page.locator("#legend li")).to_have_count(7)
    kim.page.locator("main").screenshot(path=artifacts / "keeper-who-has-not-accepted.png")
    kim.audit("keeper, waiting: the agreements prompt and who has not accepted")

    ana = browsers.open("Ana", circle_id, people["Ana"]["token"], reduced_motion="reduce")
    expect(ana.page.locator("#agreement-ask")).to_be_visible()
    expect(ana.page.locator("#agreement-status")).to_be_hidden()  # only keepers see who has not accepted
    ana.audit("member, waiting: the agreements prompt")
    wren = browsers.open("Wren", circle_id, people["Wren"]["token"], color_scheme="dark")
    expect(wren.page.locator("#me")).to_have_text("You are listening, as a witness.")
    wren.audit("witness: listening")

    # Each accepts (Kim and Ana on their pages, Wren's app for her): the keeper's list follows.
    for circle_page in (kim, ana):
        circle_page.page.click("#accept-agreements")
        expect(circle_page.page.locator("#agreement-ask")).to_be_hidden()
    version = state(http, server.app_key, circle_id)["circle"]["agreements_version"]
    agreement = f"/v1/circles/{circle_id}/participants/{wren_id}/agreement"
    ok(http.post(agreement, json={"agreements_version": version}, headers=auth(people["Wren"]["token"])))
    expect(_pending(kim)).to_have_text(["Ben"])
    agreement = f"/v1/circles/{circle_id}/participants/{ben_id}/agreement"
    ok(http.post(agreement, json={"agreements_version": version}, headers=auth(people["Ben"]["token"])))
    expect(_pending(kim)).to_have_count(0)
    expect(kim.page.locator("#agreement-status-summary")).to_have_text("Everyone has accepted the current agreements.")
    kim.audit("keeper, waiting: everyone has accepted")

    ok(http.post(f"/v1/circles/{circle_id}/support", headers=auth(people["Ana"]["token"])), 201)
    expect(kim.page.locator("#support-list > li")).to_have_count(1)
    kim.audit("keeper: a request for support")
    kim.page.click("button.acknowledge")
    expect(kim.page.locator("#support-box")).to_be_hidden()

    # Ben's socket can be cut later, as a restarting server would.
    socket = CuttableSocket()
    ben = browsers.open(
        "Ben",
        circle_id,
        people["Ben"]["token"],
        reduced_motion="reduce",  # still, for the screenshot docs/circle-page.md shows
        before_opening=lambda p: p.route_web_socket("**/live", socket.route),
    )
    expect(ben.page.locator("#connection")).to_have_text("Live")
    pages = [kim, ana, ben]

    # A round around the circle, with pass-back: Kim speaks, Ana passes, Ben speaks, the piece goes back to Ana.
    kim.page.fill("#start-prompt", "What are you bringing tonight?")
    kim.page.check("#start-pass-back")
    kim.page.click("#start")
    expect(kim.page.locator("#holder")).to_have_text("You hold the piece")
    expect(kim.page.locator("#round-progress")).to_have_text("0 spoke · 0 passed · 2 still to come")
    kim.audit("keeper holds the piece")
    expect(ana.page.locator("#holder")).to_have_text("Kim holds the piece")
    ana.audit("member: a round with a holder")
    kim.page.click("#done")
    expect(ana.page.locator("#holder")).to_have_text("You hold the piece")
    ana.page.click("#pass")
    for circle_page in pages:
        expect(circle_page.holder_seat()).to_have_attribute("data-participant-id", ben_id)
        expect(_seat(circle_page, kim_id)).to_have_attribute("data-turn", "spoke")
        expect(_seat(circle_page, kim_id).locator(".seat-turn")).to_have_text("spoke")
        expect(_seat(circle_page, ana_id)).to_have_attribute("data-turn", "passed")
        expect(_seat(circle_page, ana_id)).to_have_attribute("aria-label", re.compile(r"passed this round"))
        expect(circle_page.page.locator("#round-progress")).to_have_text("1 spoke · 1 passed · 0 still to come")
    ben.page.locator("main").screenshot(path=artifacts / "spoke-and-passed.png")  # docs/images/round-marks.png
    ben.audit("spoke and passed, marked on the seats")

    ben.page.click("#done")
    expect(ana.page.locator("#holder")).to_have_text("The piece is back with you. You passed earlier.")
    expect(ana.page.locator("#announce")).to_have_text(
        "The piece has come back to you. You passed earlier: speak now, or pass again."
    )
    for circle_page in pages:  # never like a first turn: a hollow piece, a dashed seat, words under the name
        expect(circle_page.holder_seat()).to_have_attribute("data-participant-id", ana_id)
        expect(circle_page.holder_seat()).to_have_attribute("data-returned", "")
        expect(circle_page.page.locator("#piece")).to_have_attribute("data-returned", "")
        expect(circle_page.holder_seat().locator(".seat-turn")).to_have_text("back again")
    expect(kim.page.locator("#holder")).to_have_text("The piece is back with Ana, who passed earlier")
    ana.page.locator("main").screenshot(path=artifacts / "piece-back-after-a-pass.png")
    ana.audit("the piece back with someone who passed, on their page")
    kim.audit("the piece back with someone who passed, on a keeper's page")

    kim.page.click("#pause")
    expect(ana.page.locator("#round-status")).to_have_text("Paused. The clock is stopped.")
    ana.audit("paused")
    kim.page.click("#resume")
    expect(ana.page.locator("#round-status")).to_be_hidden()

    # A page that loads mid-round learns the marks from the round's turns (the snapshot has only the open one).
    ben.page.reload()
    expect(ben.page.locator("#connection")).to_have_text("Live")
    expect(_seat(ben, kim_id)).to_have_attribute("data-turn", "spoke")
    expect(_seat(ben, ben_id)).to_have_attribute("data-turn", "spoke")
    expect(ben.holder_seat()).to_have_attribute("data-returned", "")
    ben.audit("a reloaded page: the marks read again")
    ana.page.click("#done")  # everyone has spoken: the round is complete
    for circle_page in pages:
        expect(circle_page.page.locator("#holder")).to_have_text("Waiting for a round")
        expect(circle_page.page.locator(".seat[data-turn]")).to_have_count(0)
        expect(circle_page.page.locator("#round-progress")).to_be_hidden()

    # An open round: Ana's hand takes the free piece, Ben's waits in line.
    kim.page.select_option("#start-kind", "open")
    kim.page.click("#start")
    expect(ana.page.locator("#raise-hand")).to_be_visible()
    ana.page.click("#raise-hand")
    expect(kim.holder_seat()).to_have_attribute("data-participant-id", ana_id)
    ben.page.click("#raise-hand")
    expect(kim.page.locator("#hands > li")).to_have_count(1)
    expect(kim.page.locator("#round-progress")).to_have_text("0 spoke · 0 passed")
    kim.audit("an open round with raised hands")
    kim.page.click("#end")
    expect(kim.page.locator("#start-form")).to_be_visible()

    kim.page.select_option("#start-kind", "sequential")
    kim.page.check("#start-offer")
    kim.page.click("#start")
    expect(kim.page.locator("#holder")).to_have_text("The piece is offered to you")
    kim.audit("an offered piece")

    # Ben's socket drops and stays down: the page says so, and dims what may be out of date.
    socket.cut()
    expect(ben.page.locator("#connection")).to_contain_text("Reconnecting")
    ben.audit("reconnecting")
    socket.mend()
    expect(ben.page.locator("#connection")).to_have_text("Live", timeout=30_000)
    socket.cut(1008)  # refused for good: the page stops, says why, and offers to try again
    expect(ben.page.locator("#connection")).to_have_text("Disconnected")
    expect(ben.page.locator("#notice")).to_have_text(re.compile("too many open screens"))
    expect(ben.page.locator("#stopped-reason")).to_be_hidden()  # the notice under the ring says it
    ben.audit("disconnected, with Try again")
    socket.mend()
    ben.page.click("#retry")
    expect(ben.page.locator("#connection")).to_have_text("Live")

    ok(http.post(f"/v1/circles/{circle_id}/close", headers=auth(server.app_key)))
    for circle_page in pages:
        expect(circle_page.page.locator("#notice")).to_have_text("This circle has closed.")
        expect(circle_page.page.locator("#holder")).to_have_text("This circle has closed.")
        expect(circle_page.page.locator("#retry")).to_be_hidden()
    expect(kim.page.locator("#keeper-actions")).to_be_hidden()
    kim.audit("closed")
    ana.audit("closed")

    audited = [state for circle_page in browsers.pages for state in circle_page.audited]
    assert set(audited) == set(STATES), set(STATES) - set(audited)
    errors = [e for p in pages for e in p.errors if "WebSocket connection" not in e]
    assert errors == []

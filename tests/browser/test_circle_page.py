"""The circle page in a real browser: a keeper and members follow a round; a cut page catches up."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import Browsers, CirclePage
from tests.factories import auth, create_circle, finish, ok, seat, state
from tests.live.client import assert_gapless
from tests.live.conftest import Server

PIECE_MOVES_WITHIN_MS = 1000  # what the issue asks of every page; a bounded wait, not a benchmark
CATCH_UP_WITHIN_MS = 15_000  # a reconnect waits out a jittered backoff first


def _circle(http: httpx.Client, key: str, *names: tuple[str, str]) -> tuple[str, dict[str, dict[str, Any]]]:
    circle = create_circle(
        http,
        key,
        name="Tuesday check-in",
        intention="To arrive, and to be heard",
        turn_seconds=120,
        agreements=["What is shared here stays here", "Speak from the heart, listen from the heart"],
    )
    people = {name: seat(http, key, circle["id"], name, role=role) for name, role in names}
    return circle["id"], people


def _all_show_holder(pages: list[CirclePage], holder_id: str, since: float, within_ms: int) -> None:
    """Every page shows `holder_id` holding the piece, within `within_ms` of `since` (a monotonic time)."""
    for circle_page in pages:
        left = max(within_ms - (time.monotonic() - since) * 1000, 50)
        expect(circle_page.holder_seat()).to_have_attribute("data-participant-id", holder_id, timeout=left)


def _accept_agreements(pages: list[CirclePage]) -> None:
    """Each person reads the circle's agreements on their page and accepts them there."""
    for circle_page in pages:
        ask = circle_page.page.locator("#agreement-ask")
        expect(ask).to_be_visible()
        expect(ask.locator("li")).to_have_text(
            ["What is shared here stays here", "Speak from the heart, listen from the heart"]
        )
        circle_page.page.click("#accept-agreements")
        expect(ask).to_be_hidden()
        expect(circle_page.page.locator("#agreements-accepted")).to_be_attached()
        expect(circle_page.page.locator("#agreements-accepted")).not_to_have_attribute("hidden", "")


_SOCKET_FAILED = re.compile(r"^console: WebSocket connection to 'ws://[^']+' failed")


def _no_errors(pages: list[CirclePage], *, while_the_server_was_down: bool = False) -> None:
    """No script error and no CSP refusal; the browser's own log of a refused socket only while the server
    was down (a page cannot keep the browser from logging that)."""
    errors = [error for p in pages for error in p.errors]
    if while_the_server_was_down:
        errors = [error for error in errors if not _SOCKET_FAILED.match(error)]
    assert errors == []


def test_a_keeper_and_members_follow_a_round_and_a_cut_page_catches_up(
    server: Server, http: httpx.Client, browsers: Browsers, artifacts: Path
) -> None:
    circle_id, people = _circle(
        http,
        server.app_key,
        ("Kim", "keeper"),
        ("Ana", "member"),
        ("Ben", "member"),
        ("Cy", "member"),
        ("Dee", "witness"),  # listens; never holds the piece
    )
    kim, ana, ben, cy, dee = (people[name] for name in ("Kim", "Ana", "Ben", "Cy", "Dee"))
    keeper = browsers.open("Kim", circle_id, kim["token"])
    # Ana's page is still (reduced motion) and sharp (2x), for the screenshot the README shows.
    member_a = browsers.open("Ana", circle_id, ana["token"], reduced_motion="reduce", device_scale_factor=2)
    # Ben's clock is an hour fast: his countdown must still be the server's.
    member_b = browsers.open("Ben", circle_id, ben["token"], clock_skew=timedelta(hours=1))
    pages = [keeper, member_a, member_b]

    for circle_page in pages:
        expect(circle_page.page.locator("#connection")).to_have_text("Live")
        expect(circle_page.page.locator("#holder")).to_have_text("Waiting for a round")
        # The token left the address bar at once, and lives in this tab's sessionStorage only.
        assert "#" not in circle_page.page.url and "cpt_" not in circle_page.page.url
        stored = circle_page.page.evaluate(f"sessionStorage.getItem('circles.token.{circle_id}')")
        assert stored == people[circle_page.name]["token"]
    expect(member_a.page.locator(".seat[data-online]")).to_have_count(3)  # Cy has no page open
    # Dee, a witness, has no seat on the ring: the page counts the audience instead, and hers still works.
    expect(member_a.page.locator(".seat")).to_have_count(4)
    witness = browsers.open("Dee", circle_id, dee["token"])
    expect(witness.page.locator("#connection")).to_have_text("Live")
    expect(witness.page.locator("#holder")).to_have_text("Waiting for a round")
    expect(witness.page.locator("#me")).to_have_text("You are listening, as a witness.")
    for circle_page in (*pages, witness):
        expect(circle_page.page.locator("#audience")).to_have_text("1 listening")
    expect(witness.page.locator("#keeper-actions")).to_be_hidden()
    _no_errors([witness])
    # Nobody has accepted the agreements yet: each page asks, and each person accepts there.
    _accept_agreements(pages)
    agreements_version = state(http, server.app_key, circle_id)["circle"]["agreements_version"]
    cy_accepts = f"/v1/circles/{circle_id}/participants/{cy['id']}/agreement"  # Cy's app accepts for Cy
    ok(http.post(cy_accepts, json={"agreements_version": agreements_version}, headers=auth(cy["token"])))
    expect(member_a.page.locator("#keeper-actions")).to_be_hidden()
    expect(keeper.page.locator("#start-form")).to_be_visible()

    # The keeper starts the round from the page.
    keeper.page.fill("#start-prompt", "How are you arriving?")
    keeper.page.select_option("#start-time", "120")
    keeper.page.check("#start-pass-back")
    since = time.monotonic()
    keeper.page.click("#start")
    _all_show_holder(pages, kim["id"], since, PIECE_MOVES_WITHIN_MS)
    for circle_page in pages:
        expect(circle_page.page.locator("#prompt")).to_have_text("How are you arriving?")
    expect(keeper.page.locator("#holder-actions")).to_be_visible()
    expect(member_a.page.locator("#holder-actions")).to_be_hidden()

    # The holder presses "I'm done": the piece moves to Ana on every page.
    since = time.monotonic()
    keeper.page.click("#done")
    _all_show_holder(pages, ana["id"], since, PIECE_MOVES_WITHIN_MS)
    expect(member_a.page.locator("#holder")).to_have_text("You hold the piece")
    expect(member_b.page.locator("#holder")).to_have_text("Ana holds the piece")
    expect(member_a.page.locator("#announce")).to_have_text("It is your turn. You hold the piece.")
    expect(member_a.page.locator("#holder-actions")).to_be_visible()
    expect(member_b.page.locator("#holder-actions")).to_be_hidden()
    for circle_page in pages:  # 2:00 from the server's deadline, whatever the page's own clock says
        expect(circle_page.page.locator("#countdown")).to_have_text(re.compile(r"^(2:00|1:5\d)$"))
    member_a.page.locator("main").screenshot(path=artifacts / "circle-page.png")  # docs/images/circle-page.png
    keeper.page.screenshot(path=artifacts / "keeper-view.png", full_page=True)

    since = time.monotonic()
    member_a.page.click("#done")
    _all_show_holder(pages, ben["id"], since, PIECE_MOVES_WITHIN_MS)

    # Ana's page loses its network, and the server restarts: every socket is cut for real.
    cut_at = state(http, server.app_key, circle_id)["seq"]
    member_a.context.set_offline(True)
    server.restart()
    expect(member_a.page.locator("#connection")).to_contain_text("Reconnecting")
    for circle_page in (keeper, member_b):
        expect(circle_page.page.locator("#connection")).to_have_text("Live", timeout=CATCH_UP_WITHIN_MS)
    # While Ana is away, the round goes on: Ben passes from his page, Cy speaks (over REST).
    member_b.page.click("#pass")
    _all_show_holder([keeper, member_b], cy["id"], time.monotonic(), CATCH_UP_WITHIN_MS)
    turn = state(http, cy["token"], circle_id)["turn"]
    ok(finish(http, cy["token"], circle_id, turn["id"]))
    _all_show_holder([keeper, member_b], ben["id"], time.monotonic(), CATCH_UP_WITHIN_MS)  # pass-back
    expect(member_a.page.locator("#connection")).to_contain_text("Reconnecting")
    assert member_a.seq() == cut_at  # it has seen nothing since the cut

    member_a.context.set_offline(False)
    expect(member_a.page.locator("#connection")).to_have_text("Live", timeout=CATCH_UP_WITHIN_MS)
    final_seq = state(http, server.app_key, circle_id)["seq"]
    _all_show_holder(pages, ben["id"], time.monotonic(), CATCH_UP_WITHIN_MS)
    for circle_page in pages:
        expect(circle_page.page.locator("#page")).to_have_attribute("data-seq", str(final_seq))
    # Ana resumed with `after` and saw every event exactly once, in order: no gap, no repeat.
    auths = member_a.auths()
    assert len(auths) >= 2 and "after" not in auths[0]
    assert auths[-1]["after"] == cut_at and all(a["after"] >= 1 for a in auths[1:]), auths
    assert member_a.snapshot_seqs() == [member_a.snapshot_seqs()[0]]  # one snapshot, then events only
    seen = [member_a.snapshot_seqs()[0], *member_a.event_seqs()]
    assert_gapless(seen, first=seen[0])
    assert seen[-1] == final_seq > cut_at
    member_b.page.screenshot(path=artifacts / "ben-holds-after-pass-back.png")
    _no_errors(pages, while_the_server_was_down=True)


def test_the_page_is_readable_on_a_narrow_sidebar_without_sideways_scrolling(
    server: Server, http: httpx.Client, browsers: Browsers, artifacts: Path
) -> None:
    ten = [("Kim", "keeper"), ("Alexandrina Montgomery-Fairweather", "member")]
    ten += [(name, "member") for name in ("Ben", "Chidi", "Dana", "Eun-ji", "Farah", "Gus", "Hiroshi")]
    ten.append(("Ines", "witness"))
    fourteen = [*ten, *((name, "member") for name in ("Jo", "Kwame", "Lena", "Mateus"))]
    for names in (ten, fourteen):
        circle_id, people = _circle(http, server.app_key, *names)
        prompt = "What is one thing you are carrying today, and what would help you set it down?"
        for name, width, scheme in (("Kim", 360, "light"), ("Ben", 320, "dark")):
            circle_page = browsers.open(
                name, circle_id, people[name]["token"], width=width, height=800, color_scheme=scheme
            )
            expect(circle_page.page.locator("#connection")).to_have_text("Live")
            if name == "Kim":  # the keeper accepts the agreements on the page, then the app starts the round
                _accept_agreements([circle_page])
                rounds = f"/v1/circles/{circle_id}/rounds"
                ok(http.post(rounds, json={"prompt": prompt}, headers=auth(server.app_key)), 201)
            else:  # Ben has not accepted yet: the ask is part of what must fit
                expect(circle_page.page.locator("#agreement-ask")).to_be_visible()
            expect(circle_page.holder_seat()).to_have_attribute("data-participant-id", people["Kim"]["id"])
            seated = [name for name, role in names if role != "witness"]  # witnesses are counted, not seated
            expect(circle_page.page.locator(".seat")).to_have_count(len(seated))
            expect(circle_page.page.locator("#audience")).to_have_text("0 listening")
            crowded = circle_page.page.locator("#ring").get_attribute("data-crowded")
            assert (crowded is not None) == (len(seated) > 12)
            overflow = circle_page.page.evaluate(
                """() => {
                    const width = document.documentElement.clientWidth;
                    const outside = [...document.querySelectorAll("body *")]
                        .filter((e) => e.getClientRects().length)
                        .map((e) => [e.id || e.className, e.getBoundingClientRect()])
                        .filter(([, r]) => r.left < -0.5 || r.right > width + 0.5)
                        .map(([name, r]) => `${name}: ${r.left}..${r.right}`);
                    return {scroll: document.documentElement.scrollWidth, width, outside};
                }"""
            )
            assert overflow["scroll"] <= overflow["width"] and overflow["outside"] == [], overflow
            shot = f"{len(names)}-seats-{name.lower()}-{width}px-{scheme}.png"
            circle_page.page.screenshot(path=artifacts / shot, full_page=True)
            circle_page.audit(f"{len(seated)} seats at {width} px")
            _no_errors([circle_page])


def test_a_refused_token_is_forgotten_and_the_page_asks_for_one(
    server: Server, http: httpx.Client, browsers: Browsers
) -> None:
    circle_id, people = _circle(http, server.app_key, ("Kim", "keeper"), ("Ana", "member"))
    circle_page = browsers.open("Stranger", circle_id, "cpt_not-a-real-token")
    expect(circle_page.page.locator("#token-form")).to_be_visible()
    expect(circle_page.page.locator("#token-reason")).to_have_text(re.compile("not valid"))
    assert circle_page.page.evaluate(f"sessionStorage.getItem('circles.token.{circle_id}')") is None
    assert [a["token"] for a in circle_page.auths()] == ["cpt_not-a-real-token"]  # 4401: never retried

    circle_page.page.fill("#token-input", server.app_key)  # an app key has no place in a browser
    circle_page.page.click("#token-form button")
    expect(circle_page.page.locator("#token-reason")).to_have_text(re.compile("app key"))
    assert len(circle_page.auths()) == 1

    circle_page.page.fill("#token-input", people["Ana"]["token"])
    circle_page.page.click("#token-form button")
    expect(circle_page.page.locator("#connection")).to_have_text("Live")
    expect(circle_page.page.locator(".seat[data-me]")).to_have_attribute("data-participant-id", people["Ana"]["id"])
    assert "cpt_" not in circle_page.page.url
    _no_errors([circle_page])


def test_a_keeper_pauses_resumes_skips_and_ends_from_the_page(
    server: Server, http: httpx.Client, browsers: Browsers
) -> None:
    circle_id, people = _circle(http, server.app_key, ("Kim", "keeper"), ("Ana", "member"), ("Ben", "member"))
    keeper = browsers.open("Kim", circle_id, people["Kim"]["token"])
    member = browsers.open("Ana", circle_id, people["Ana"]["token"])
    pages = [keeper, member]
    _accept_agreements(pages)
    expect(keeper.page.locator("#start-form")).to_be_visible()
    keeper.page.select_option("#start-time", "60")
    keeper.page.click("#start")  # no prompt: the page says so
    _all_show_holder(pages, people["Kim"]["id"], time.monotonic(), PIECE_MOVES_WITHIN_MS)
    expect(member.page.locator("#prompt")).to_have_text("A round without a prompt.")

    keeper.page.click("#pause")
    for circle_page in pages:
        expect(circle_page.page.locator("#round-status")).to_have_text("Paused. The clock is stopped.")
    expect(keeper.page.locator("#done")).to_be_disabled()
    frozen = member.page.locator("#countdown").inner_text()
    member.page.wait_for_timeout(1200)  # a paused clock stands still
    assert member.page.locator("#countdown").inner_text() == frozen

    keeper.page.click("#resume")
    expect(member.page.locator("#round-status")).to_be_hidden()
    keeper.page.click("#skip")
    _all_show_holder(pages, people["Ana"]["id"], time.monotonic(), PIECE_MOVES_WITHIN_MS)

    keeper.page.click("#end")
    for circle_page in pages:
        expect(circle_page.page.locator("#holder")).to_have_text("Waiting for a round")
        expect(circle_page.holder_seat()).to_have_count(0)
    expect(keeper.page.locator("#start-form")).to_be_visible()
    expect(member.page.locator("#holder-actions")).to_be_hidden()

    # The agreements change: every page asks again, with the new text, until its person accepts it.
    changed = ["What is shared here stays here", "Phones away"]
    ok(http.patch(f"/v1/circles/{circle_id}", json={"agreements": changed}, headers=auth(server.app_key)))
    for circle_page in pages:
        expect(circle_page.page.locator("#agreement-ask-title")).to_have_text("The agreements have changed")
        expect(circle_page.page.locator("#agreement-ask li")).to_have_text(changed)
    member.page.click("#accept-agreements")
    expect(member.page.locator("#agreement-ask")).to_be_hidden()
    expect(member.page.locator("#agreements li")).to_have_text(changed)
    expect(keeper.page.locator("#agreement-ask")).to_be_visible()  # Kim has not accepted the new ones yet
    _no_errors(pages)


def _hand_line(circle_page: CirclePage) -> Any:
    return circle_page.page.locator("#hands > li")


def test_an_open_round_follows_the_raised_hands_and_a_keeper_calls_on_one(
    server: Server, http: httpx.Client, browsers: Browsers, artifacts: Path
) -> None:
    circle_id, people = _circle(http, server.app_key, ("Kim", "keeper"), ("Ana", "member"), ("Ben", "member"))
    kim, ana, ben = (people[name] for name in ("Kim", "Ana", "Ben"))
    keeper = browsers.open("Kim", circle_id, kim["token"])
    member_a = browsers.open("Ana", circle_id, ana["token"])
    member_b = browsers.open("Ben", circle_id, ben["token"])
    pages = [keeper, member_a, member_b]
    _accept_agreements(pages)

    keeper.page.fill("#start-prompt", "What is alive in you?")
    keeper.page.select_option("#start-kind", "open")
    expect(keeper.page.locator("#start-pass-back")).to_be_hidden()  # pass-back belongs to sequential rounds
    keeper.page.click("#start")
    for circle_page in pages:  # an open round waits for the first hand
        expect(circle_page.page.locator("#holder")).to_have_text("Waiting for a raised hand")
        expect(circle_page.page.locator("#hands-empty")).to_be_visible()
        expect(circle_page.page.locator("#raise-hand")).to_be_visible()
        expect(circle_page.holder_seat()).to_have_count(0)

    # The first hand up takes the free piece at once, and its hand comes down.
    since = time.monotonic()
    member_a.page.click("#raise-hand")
    _all_show_holder(pages, ana["id"], since, PIECE_MOVES_WITHIN_MS)
    expect(member_a.page.locator("#raise-hand")).to_be_hidden()  # the holder raises no hand
    expect(member_a.page.locator("#holder-actions")).to_be_visible()

    # Kim, then Ben: every page shows the same line, in the server's order.
    keeper.page.click("#raise-hand")
    expect(keeper.page.locator("#lower-hand")).to_be_visible()
    member_b.page.click("#raise-hand")
    for circle_page in pages:
        expect(_hand_line(circle_page)).to_have_count(2)
        expect(_hand_line(circle_page).nth(0)).to_have_attribute("data-participant-id", kim["id"])
        expect(_hand_line(circle_page).nth(1)).to_have_attribute("data-participant-id", ben["id"])
        expect(circle_page.page.locator(".seat[data-hand]")).to_have_count(2)
    assert state(http, server.app_key, circle_id)["hands"] == [kim["id"], ben["id"]]
    expect(member_a.page.locator("#hands button.call-on")).to_have_count(0)  # only keepers call on a hand
    keeper.page.locator("main").screenshot(path=artifacts / "open-round-keeper.png")  # docs/images/open-round.png

    # The keeper calls on Ben out of order: Ben is first in line everywhere; Ana keeps the piece.
    keeper.page.locator(f'#hands li[data-participant-id="{ben["id"]}"] button.call-on').click()
    for circle_page in pages:
        expect(_hand_line(circle_page).nth(0)).to_have_attribute("data-participant-id", ben["id"])
        expect(_hand_line(circle_page).nth(1)).to_have_attribute("data-participant-id", kim["id"])
        expect(circle_page.holder_seat()).to_have_attribute("data-participant-id", ana["id"])

    # Ana is done: the piece goes to the first hand in line, Ben; Kim's hand is still up.
    since = time.monotonic()
    member_a.page.click("#done")
    _all_show_holder(pages, ben["id"], since, PIECE_MOVES_WITHIN_MS)
    for circle_page in pages:
        expect(_hand_line(circle_page)).to_have_count(1)
        expect(_hand_line(circle_page).nth(0)).to_have_attribute("data-participant-id", kim["id"])
    expect(member_b.page.locator("#holder")).to_have_text("You hold the piece")

    # Kim lowers her hand; Ben is done; the piece waits for a hand again, and the round stays open.
    keeper.page.click("#lower-hand")
    for circle_page in pages:
        expect(_hand_line(circle_page)).to_have_count(0)
    member_b.page.click("#done")
    for circle_page in pages:
        expect(circle_page.page.locator("#holder")).to_have_text("Waiting for a raised hand")
    member_a.page.click("#raise-hand")  # someone who spoke may raise a hand again
    _all_show_holder(pages, ana["id"], time.monotonic(), PIECE_MOVES_WITHIN_MS)
    keeper.page.click("#end")
    for circle_page in pages:
        expect(circle_page.page.locator("#hands-box")).to_be_hidden()
    _no_errors(pages)


def test_an_offered_piece_is_taken_from_the_page_after_the_moment_of_silence(
    server: Server, http: httpx.Client, browsers: Browsers
) -> None:
    circle_id, people = _circle(http, server.app_key, ("Kim", "keeper"), ("Ana", "member"))
    keeper = browsers.open("Kim", circle_id, people["Kim"]["token"])
    member = browsers.open("Ana", circle_id, people["Ana"]["token"])
    pages = [keeper, member]
    _accept_agreements(pages)
    keeper.page.check("#start-offer")
    keeper.page.click("#start")
    expect(keeper.page.locator("#holder")).to_have_text("The piece is offered to you")
    expect(member.page.locator("#holder")).to_have_text("The piece is offered to Kim")
    expect(keeper.page.locator("#done")).to_be_hidden()
    for circle_page in pages:  # the countdown is the offer's: it lapses within the offer's minute
        expect(circle_page.page.locator("#countdown")).to_have_text(re.compile(r"^(1:00|0:[0-5]\d)$"))
    keeper.page.click("#take")
    for circle_page in pages:
        expect(circle_page.page.locator("#holder")).to_have_text(re.compile(r"^(You hold|Kim holds) the piece$"))
        expect(circle_page.page.locator("#countdown")).to_have_text(re.compile(r"^(2:00|1:5\d)$"))
    _no_errors(pages)

    # A round the app starts with a moment of silence between speakers: Ana's offer waits it out.
    keeper.page.click("#end")
    body = {"offer_seconds": 60, "pause_seconds": 8}  # long enough to be seen on a busy machine
    ok(http.post(f"/v1/circles/{circle_id}/rounds", json=body, headers=auth(server.app_key)), 201)
    turn = state(http, server.app_key, circle_id)["turn"]
    ok(http.post(f"/v1/circles/{circle_id}/turns/{turn['id']}/accept", headers=auth(server.app_key)))
    keeper.page.click("#done")
    expect(member.page.locator("#offer-note")).to_contain_text("A moment of silence")
    expect(member.page.locator("#take")).to_be_disabled()
    expect(member.page.locator("#offer-note")).to_have_text("Take it when you are ready.", timeout=CATCH_UP_WITHIN_MS)
    member.page.click("#take")
    expect(keeper.page.locator("#holder")).to_have_text("Ana holds the piece")
    _no_errors(pages)


def test_a_keeper_sees_requests_for_support_until_one_is_acknowledged_and_a_member_never_does(
    server: Server, http: httpx.Client, browsers: Browsers, artifacts: Path
) -> None:
    circle_id, people = _circle(
        http, server.app_key, ("Kim", "keeper"), ("Kai", "keeper"), ("Ana", "member"), ("Wren", "witness")
    )
    ask = f"/v1/circles/{circle_id}/support"
    # Ana and Wren ask before any keeper has the page open.
    anas = ok(http.post(ask, headers=auth(people["Ana"]["token"])), 201)
    wrens = ok(http.post(ask, headers=auth(people["Wren"]["token"])), 201)

    kim = browsers.open("Kim", circle_id, people["Kim"]["token"])
    kai = browsers.open("Kai", circle_id, people["Kai"]["token"])
    ana = browsers.open("Ana", circle_id, people["Ana"]["token"])
    for keeper in (kim, kai):
        requests = keeper.page.locator("#support-list > li")
        expect(requests).to_have_count(2)
        expect(requests.nth(0)).to_have_attribute("data-signal-id", anas["id"])
        expect(requests.nth(0).locator("span")).to_have_text(re.compile(r"^Ana asked for support at "))
        expect(requests.nth(1)).to_have_attribute("data-signal-id", wrens["id"])
        expect(requests.nth(1).locator("span")).to_have_text(re.compile(r"^Wren asked for support at "))  # a witness
    expect(ana.page.locator("#connection")).to_have_text("Live")
    expect(ana.page.locator("#support-box")).to_be_hidden()
    kim.page.screenshot(path=artifacts / "keeper-support.png", full_page=True)

    # Kim acknowledges Ana's: it goes from her page and from Kai's.
    kim.page.locator(f'button.acknowledge[data-signal-id="{anas["id"]}"]').click()
    for keeper in (kim, kai):
        expect(keeper.page.locator("#support-list > li")).to_have_count(1)
        expect(keeper.page.locator("#support-list > li")).to_have_attribute("data-signal-id", wrens["id"])
    assert [
        s["id"] for s in ok(http.get(ask, params={"status": "pending"}, headers=auth(server.app_key)))["items"]
    ] == [wrens["id"]]

    # Kai's page is reloaded: what is still pending comes back, and only that.
    kai.page.reload()
    expect(kai.page.locator("#connection")).to_have_text("Live")
    expect(kai.page.locator("#support-list > li")).to_have_count(1)
    expect(kai.page.locator("#support-list > li")).to_have_attribute("data-signal-id", wrens["id"])

    # A new request shows at once on both; Kai acknowledges both, and the box goes from both pages.
    again = ok(http.post(ask, headers=auth(people["Ana"]["token"])), 201)
    for keeper in (kim, kai):
        expect(keeper.page.locator("#support-list > li")).to_have_count(2)
    for signal in (wrens, again):
        kai.page.locator(f'button.acknowledge[data-signal-id="{signal["id"]}"]').click()
    for keeper in (kim, kai):
        expect(keeper.page.locator("#support-box")).to_be_hidden()
    expect(ana.page.locator("#support-box")).to_be_hidden()
    assert [f for f in ana.received if f["type"].startswith("support")] == []  # never sent to a member
    _no_errors([kim, kai, ana])

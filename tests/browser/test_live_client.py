"""circles-live.js on its own, in the browser, against a scripted socket: the reducer, the order and gap
rules, the close codes and the backoff. (The page's tests run it against the real server.)"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any

import pytest

from tests.browser.conftest import ACTION_TIMEOUT_MS

# A stand-in for the browser's WebSocket that the test drives: it records what the client sends and closes.
FAKE_SOCKET = """
window.sockets = [];
window.WebSocket = class {
  constructor(url) {
    this.url = url; this.sent = []; this.closedWith = null; this.listeners = {};
    window.sockets.push(this);
  }
  addEventListener(type, fn) { (this.listeners[type] ||= []).push(fn); }
  emit(type, event) { for (const fn of this.listeners[type] || []) fn(event); }
  send(text) { this.sent.push(JSON.parse(text)); }
  close(code, reason) { this.closedWith = code; this.emit("close", { code, reason }); }
  open() { this.emit("open", {}); }
  frame(object) { this.emit("message", { data: JSON.stringify(object) }); }
  drop(code) { this.emit("close", { code, reason: "" }); }
};
"""

STATE = {
    "seq": 5,
    "server_time": "2026-11-24T10:00:00.123456Z",
    "circle": {"id": "c", "name": "Circle", "agreements": [], "status": "open", "turn_seconds": 60},
    "participants": [
        {"id": "kim", "display_name": "Kim", "role": "keeper", "seat": 0, "online": True},
        {"id": "ana", "display_name": "Ana", "role": "member", "seat": 2, "online": True},
    ],
    "round": None,
    "turn": None,
    "hands": [],
}


ORIGIN = "http://circles.test"  # served by the test itself: these tests need no server process


def _serve(body: str, content_type: str) -> Callable[[Any], None]:
    return lambda route: route.fulfill(body=body, content_type=content_type)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A blank page with the shipped circles-live.js and circle-commands.js loaded, and the scripted socket."""
    static = resources.files("circles.web").joinpath("static")
    context = browser.new_context()
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    blank = "<!doctype html><title>circles-live.js</title>"
    context.route(f"{ORIGIN}/", _serve(blank, "text/html"))
    for name in ("circles-live.js", "circle-commands.js"):
        context.route(f"{ORIGIN}/{name}", _serve(static.joinpath(name).read_text(), "text/javascript"))
    page = context.new_page()
    page.add_init_script(FAKE_SOCKET)
    page.goto(f"{ORIGIN}/")
    page.evaluate(
        """async () => {
            window.live = await import("/circles-live.js");
            window.commands = await import("/circle-commands.js");
        }"""
    )
    yield page
    context.close()


def _run(page: Any, script: str, arg: Any = None) -> Any:
    return page.evaluate(f"async (arg) => {{ const {{ CirclesLive, applyEvent }} = window.live; {script} }}", arg)


def test_the_reducer_keeps_seat_order_and_presence_and_ignores_what_it_does_not_know(page: Any) -> None:
    result = _run(
        page,
        """
        let s = arg;
        const event = (seq, name, data) => ({ type: "event", seq, name, at: "", data });
        const person = (id, display_name, seat) => ({ participant: { id, display_name, seat } });
        s = applyEvent(s, event(6, "participant.joined", person("ben", "Ben", 1)));
        s = applyEvent(s, event(7, "participant.updated", person("ana", "Ann", 2)));
        const round = { id: "r", status: "active", paused_at: null };
        s = applyEvent(s, event(8, "round.started", { round }));
        s = applyEvent(s, event(9, "turn.started", { turn: { id: "t1", participant_id: "kim", deadline: null } }));
        const afterOtherTurnEnded = applyEvent(s, event(10, "turn.ended", { turn: { id: "t0" } })).turn;
        s = applyEvent(s, event(10, "round.paused", { round: { ...round, status: "paused" } }));
        s = applyEvent(s, event(11, "participant.left", { participant_id: "kim" }));
        s = applyEvent(s, event(12, "round.resumed", { round, turn: null }));
        s = applyEvent(s, event(13, "something.new", { whatever: 1 }));
        return { s, afterOtherTurnEnded, original: arg.participants.length };
        """,
        STATE,
    )
    state = result["s"]
    assert [(p["id"], p["display_name"], p["online"]) for p in state["participants"]] == [
        ("ben", "Ben", False),  # joined: seated by seat number, not online until a presence frame says so
        ("ana", "Ann", True),  # updated: keeps the presence it had
    ]
    assert result["afterOtherTurnEnded"]["id"] == "t1"  # the end of another turn leaves the open one
    assert state["round"]["status"] == "active" and state["turn"] is None  # resumed with no open turn
    assert state["seq"] == 13 and result["original"] == 2  # an unknown name moves seq only; input untouched


def test_the_client_authenticates_first_resumes_with_after_and_closes_on_a_gap(page: Any) -> None:
    result = _run(
        page,
        """
        const live = new CirclesLive({ circleId: "c1", token: "cpt_x", initialDelayMs: 50, maxDelayMs: 50 });
        const seen = [];
        live.addEventListener("event", (e) => seen.push(e.detail.seq));
        live.start();
        const first = window.sockets[0];
        first.open();
        const serverTime = new Date(Date.now() + 3600e3).toISOString();  // the server's clock: an hour ahead
        first.frame({ type: "welcome", participant_id: "ana", role: "member", server_time: serverTime });
        first.frame({ type: "snapshot", seq: 5, state: arg });
        first.frame({ type: "event", seq: 6, name: "x", at: "", data: {} });
        first.frame({ type: "event", seq: 6, name: "x", at: "", data: {} });  // a repeat: dropped
        first.frame({ type: "event", seq: 8, name: "x", at: "", data: {} });  // a gap: resume from 6
        await new Promise((resolve) => setTimeout(resolve, 20));
        const second = window.sockets[1];
        second.open();
        const offsetHours = live.clockOffsetMs / 3600e3;
        live.stop();
        return { url: first.url, auths: [first.sent, second.sent], gapClose: first.closedWith, seen, offsetHours };
        """,
        STATE,
    )
    assert result["url"].endswith("/v1/circles/c1/live") and "cpt_" not in result["url"]
    assert result["auths"] == [[{"type": "auth", "token": "cpt_x"}], [{"type": "auth", "token": "cpt_x", "after": 6}]]
    assert result["gapClose"] == 4000 and result["seen"] == [6]
    assert abs(result["offsetHours"] - 1) < 0.01  # the server's clock is an hour ahead of this one


@pytest.mark.parametrize(
    ("code", "retries"),
    [
        (1001, True),
        (1006, True),
        (1012, True),
        (1013, True),
        (4401, False),
        (4403, False),
        (4404, False),
        (4408, False),
        (4410, False),
        (1008, False),
        (1009, False),
    ],
)
def test_close_codes_either_reconnect_or_stop_with_a_reason(page: Any, code: int, retries: bool) -> None:
    result = _run(
        page,
        """
        const live = new CirclesLive({ circleId: "c1", token: "cpt_x", initialDelayMs: 20, maxDelayMs: 20 });
        const phases = [];
        live.addEventListener("status", (e) => phases.push(e.detail.phase));
        live.start();
        window.sockets[0].drop(arg);
        await new Promise((resolve) => setTimeout(resolve, 100));
        const status = live.status;
        live.stop();
        return { sockets: window.sockets.length, phases, reason: status.reason };
        """,
        code,
    )
    if retries:
        assert result["sockets"] >= 2 and "reconnecting" in result["phases"], result
    else:
        assert result["sockets"] == 1 and result["phases"][-1] == "stopped" and result["reason"], result


def test_backoff_doubles_to_a_cap_with_jitter_in_the_upper_half(page: Any) -> None:
    delays = _run(
        page,
        """
        const live = new CirclesLive({ circleId: "c1", token: "t", initialDelayMs: 500, maxDelayMs: 30000 });
        return Array.from({ length: 10 }, (_, i) => Array.from({ length: 50 }, () => live._backoff(i + 1)));
        """,
    )
    for attempt, samples in enumerate(delays, start=1):
        ceiling = min(30_000, 500 * 2 ** (attempt - 1))
        assert all(ceiling / 2 <= d <= ceiling for d in samples), (attempt, samples)
        assert len(set(samples)) > 1  # jittered: screens that lost the same server spread out


def test_the_service_may_live_under_a_path_prefix(page: Any) -> None:
    urls = _run(
        page,
        """
        const { CircleCommands } = window.commands;
        const at = (baseUrl) => new CirclesLive({ circleId: "c1", token: "t", baseUrl }).url;
        return [at(undefined), at("https://circles.example"), at("https://example.org/circles"),
                at("https://example.org/circles/"), new CircleCommands({ circleId: "c1", token: "t" }).base.href];
        """,
    )
    assert urls == [
        "ws://circles.test/v1/circles/c1/live",
        "wss://circles.example/v1/circles/c1/live",
        "wss://example.org/circles/v1/circles/c1/live",
        "wss://example.org/circles/v1/circles/c1/live",
        "http://circles.test/v1/circles/c1/",
    ]

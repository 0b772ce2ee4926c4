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
    "audience": {"witnesses": 0, "online": 0},
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


def test_the_reducer_follows_a_breakout_group_by_group_and_brings_everyone_back(page: Any) -> None:
    result = _run(
        page,
        """
        const event = (seq, name, data) => ({ type: "event", seq, name, at: "", data });
        const group = (id, holder) => ({ id, index: 0, members: ["ana", "ben"], holder, turns: [] });
        const breakout = { id: "b", groups: [group("g1", "ana"), group("g2", "kim")] };
        const steps = {};
        let s = applyEvent(arg, event(6, "breakout.started", { breakout }));
        s = applyEvent(s, event(7, "breakout.turn_started", { breakout_id: "b", group: group("g1", "ben") }));
        steps.holders = s.breakout.groups.map((g) => g.holder);
        steps.other = applyEvent(s, event(8, "breakout.turn_ended", { breakout_id: "x", group: group("g1", null) }))
          .breakout.groups[0].holder;
        s = applyEvent(s, event(8, "breakout.ended", { breakout }));
        steps.after = s.breakout;
        steps.untouched = breakout.groups[0].holder;
        return steps;
        """,
        STATE,
    )
    assert result["holders"] == ["ben", "kim"]  # the event's group replaces its own; the other stays
    assert result["other"] == "ben"  # an event of another breakout changes nothing here
    assert result["after"] is None and result["untouched"] == "ana"  # back in the circle; input untouched


def test_witnesses_are_counted_from_audience_frames_and_never_listed(page: Any) -> None:
    result = _run(
        page,
        """
        const event = (seq, name, data) => ({ type: "event", seq, name, at: "", data });
        const person = (id, role, seat) => ({ participant: { id, display_name: id, role, seat } });
        const steps = {};
        let s = applyEvent(arg, event(6, "participant.joined", person("wes", "witness", 5)));
        steps.witnessJoined = s.participants.map((p) => p.id);
        s = applyEvent(s, event(7, "participant.updated", person("wes", "member", 5)));
        steps.madeMember = s.participants.map((p) => p.id);
        s = applyEvent(s, event(8, "participant.updated", person("ana", "witness", 2)));
        steps.madeWitness = s.participants.map((p) => p.id);

        const live = new CirclesLive({ circleId: "c", token: "cpt_x" });
        const causes = [];
        live.addEventListener("state", (e) => causes.push(e.detail.cause));
        live.start();
        const socket = window.sockets.at(-1);
        socket.open();
        socket.frame({ type: "welcome", participant_id: "wes", role: "witness", server_time: arg.server_time });
        socket.frame({ type: "snapshot", seq: 5, state: arg });
        socket.frame({ type: "audience", witnesses: 3, online: 2 });
        steps.audience = live.state.audience;
        steps.participantsAfterAudience = live.state.participants.length;
        steps.causes = causes;
        live.stop();
        return steps;
        """,
        STATE,
    )
    assert result["witnessJoined"] == ["kim", "ana"]  # a witness is counted by the server, not listed
    assert result["madeMember"] == ["kim", "ana", "wes"]
    assert result["madeWitness"] == ["kim", "wes"]
    assert result["audience"] == {"witnesses": 3, "online": 2}
    assert result["participantsAfterAudience"] == 2
    assert result["causes"] == ["snapshot", "audience"]


def test_the_reducer_keeps_agreements_hands_offers_and_gatherings(page: Any) -> None:
    result = _run(
        page,
        """
        let s = { ...arg, gathering: null };
        const event = (seq, name, data) => ({ type: "event", seq, name, at: "", data });
        const steps = {};
        s = applyEvent(s, event(6, "participant.agreed", { participant_id: "ana", agreements_version: 2,
                                                           agreed_at: "2026-11-24T10:01:00Z" }));
        steps.agreed = s.participants.map((p) => [p.id, p.agreed_version ?? null, p.online]);
        s = applyEvent(s, event(7, "round.started", { round: { id: "r", kind: "open", status: "active" } }));
        s = applyEvent(s, event(8, "hand.raised", { round_id: "r", participant_id: "ana", hands: ["ana"] }));
        s = applyEvent(s, event(9, "hand.raised", { round_id: "r", participant_id: "kim", hands: ["ana", "kim"] }));
        steps.raised = s.hands;
        s = applyEvent(s, event(10, "hand.called", { round_id: "r", participant_id: "kim", hands: ["kim", "ana"] }));
        steps.called = s.hands;
        const offer = { id: "t1", participant_id: "kim", deadline: "2026-11-24T10:02:00Z", accepted_at: null,
                        silent_until: "2026-11-24T10:01:05Z" };
        s = applyEvent(s, event(11, "hand.lowered", { round_id: "r", participant_id: "kim", reason: "given_piece",
                                                       hands: ["ana"] }));
        s = applyEvent(s, event(12, "turn.started", { turn: offer }));
        steps.lowered = s.hands;
        const taken = { ...offer, accepted_at: "2026-11-24T10:01:10Z", deadline: "2026-11-24T10:03:10Z" };
        steps.otherAccepted = applyEvent(s, event(13, "turn.accepted", { turn: { ...taken, id: "t0" } })).turn;
        s = applyEvent(s, event(13, "turn.accepted", { turn: taken }));
        steps.accepted = s.turn;
        const gathering = { id: "g", next_position: 1, rounds: [] };
        s = applyEvent(s, event(14, "gathering.planned", { gathering }));
        steps.planned = s.gathering;
        s = applyEvent(s, event(15, "gathering.advanced", { gathering: { ...gathering, next_position: 2 } }));
        steps.advanced = s.gathering.next_position;
        const before = JSON.stringify({ ...s, seq: 0 });
        s = applyEvent(s, event(16, "participant.absent_or_anything_new", { participant_id: "ana" }));
        steps.unknownKeptAll = JSON.stringify({ ...s, seq: 0 }) === before;
        s = applyEvent(s, event(17, "round.ended", { round: { id: "r", status: "ended" } }));
        return { steps, end: { seq: s.seq, hands: s.hands, round: s.round, turn: s.turn }, input: arg.hands };
        """,
        STATE,
    )
    steps = result["steps"]
    assert steps["agreed"] == [["kim", None, True], ["ana", 2, True]]  # the version accepted; presence kept
    assert steps["raised"] == ["ana", "kim"] and steps["called"] == ["kim", "ana"]  # the server's line, as sent
    assert steps["lowered"] == ["ana"]
    assert steps["otherAccepted"]["accepted_at"] is None  # another turn's acceptance leaves the open offer
    assert steps["accepted"]["accepted_at"] == "2026-11-24T10:01:10Z"
    assert steps["accepted"]["deadline"] == "2026-11-24T10:03:10Z"  # the clock runs from the acceptance
    assert steps["planned"] == {"id": "g", "next_position": 1, "rounds": []} and steps["advanced"] == 2
    assert steps["unknownKeptAll"] is True
    assert result["end"] == {"seq": 17, "hands": [], "round": None, "turn": None}  # the line ends with the round
    assert result["input"] == []


def test_the_countdown_follows_the_offer_deadline_until_taken_and_stands_still_when_paused(page: Any) -> None:
    remaining = _run(
        page,
        """
        const { turnRemainingMs, parseServerTime } = window.live;
        const now = parseServerTime("2026-11-24T10:01:00Z");
        const offer = { id: "t", deadline: "2026-11-24T10:01:45Z", accepted_at: null };
        const round = { id: "r", status: "active", offer_seconds: 60, paused_at: null };
        const paused = { ...round, status: "paused", paused_at: "2026-11-24T10:00:50Z" };
        const taken = { ...offer, accepted_at: "2026-11-24T10:01:00Z", deadline: "2026-11-24T10:03:00Z" };
        return [turnRemainingMs({ round, turn: offer }, now), turnRemainingMs({ round, turn: taken }, now),
                turnRemainingMs({ round: paused, turn: offer }, now), turnRemainingMs({ round, turn: null }, now)];
        """,
    )
    assert remaining == [45_000, 120_000, 55_000, None]


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


def test_a_keepers_pending_requests_are_what_the_server_last_sent_and_a_reconnect_starts_them_afresh(
    page: Any,
) -> None:
    result = _run(
        page,
        """
        const live = new CirclesLive({ circleId: "c1", token: "cpt_x", initialDelayMs: 10, maxDelayMs: 10 });
        const told = [];
        live.addEventListener("support", (e) => told.push(e.detail.pending.map((f) => f.signal_id)));
        live.start();
        const welcome = { type: "welcome", participant_id: "kim", role: "keeper", server_time: arg.server_time };
        const asked = (id) => ({ type: "support", signal_id: id, participant_id: "ana", at: arg.server_time });
        const first = window.sockets[0];
        first.open();
        first.frame(welcome);
        first.frame({ type: "snapshot", seq: 5, state: arg });
        first.frame(asked("s1"));
        first.frame(asked("s2"));
        first.frame({ type: "support_acknowledged", signal_id: "s1", acknowledged_by: "kai", acknowledged_at: "" });
        first.frame({ type: "support_acknowledged", signal_id: "s9", acknowledged_by: null, acknowledged_at: "" });
        first.drop(1006);  // s2 is acknowledged while this screen is away: it is not told, and not sent it again
        await new Promise((resolve) => setTimeout(resolve, 50));
        const second = window.sockets[1];
        second.open();
        second.frame(welcome);
        second.frame(asked("s3"));
        live.forgetSupport("s3");  // this screen acknowledged it itself
        live.stop();
        return told;
        """,
        STATE,
    )
    assert result == [["s1"], ["s1", "s2"], ["s2"], [], ["s3"], []]

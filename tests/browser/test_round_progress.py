"""circle-round-progress.js on its own, in the browser: how each outcome marks a seat, the round's turns
read once and merged with `turn.ended` events by id, the piece back with someone who passed, and the line
under the prompt. (test_circle_page_states.py shows the same on real pages against a real server.)"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any

import pytest

from tests.browser.conftest import ACTION_TIMEOUT_MS

ORIGIN = "http://circles.test"  # served by the test itself: no server process


def _script(body: str) -> Callable[[Any], None]:
    return lambda route: route.fulfill(body=body, content_type="text/javascript")


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    static = resources.files("circles.web").joinpath("static")
    context = browser.new_context()
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.route(
        f"{ORIGIN}/", lambda route: route.fulfill(body="<!doctype html><title>t</title>", content_type="text/html")
    )
    for name in ("circles-live.js", "circle-round-progress.js"):
        context.route(f"{ORIGIN}/{name}", _script(static.joinpath(name).read_text()))
    page = context.new_page()
    page.goto(f"{ORIGIN}/")
    page.evaluate('async () => { window.progress = await import("/circle-round-progress.js"); }')
    yield page
    context.close()


# Builds turns and a state for the scripts below.
HELPERS = """
const { RoundProgress, progressLine } = window.progress;
let minute = 0;
const turn = (id, who, outcome, how = "in_turn") => ({
  id, round_id: "r", participant_id: who, outcome, how,
  ended_at: outcome ? `2026-12-05T10:${String(minute++).padStart(2, "0")}:00Z` : null,
});
const people = ["kim", "ana", "ben", "cy"].map((id) => ({ id, role: "member" }));
const round = { id: "r", kind: "sequential" };
const stateWith = (open) => ({ round, turn: open, participants: people });
const ended = (t) => ({ type: "event", name: "turn.ended", data: { turn: t } });
"""


def _run(page: Any, script: str) -> Any:
    return page.evaluate(f"async () => {{ {HELPERS} {script} }}")


def test_each_outcome_marks_the_seat_and_a_keeper_out_of_turn_marks_nothing(page: Any) -> None:
    result = _run(
        page,
        """
        const progress = new RoundProgress(() => Promise.reject(new Error("never read")), () => {});
        progress.follow(stateWith(null), { type: "event", name: "round.started", data: { round } });
        for (const t of [turn("1", "kim", "timed_out"), turn("2", "ana", "passed"), turn("3", "ben", "not_agreed"),
                         turn("4", "kim", "spoke", "out_of_turn"), turn("5", "cy", "skipped")]) {
          progress.follow(stateWith(null), ended(t));
        }
        const open = turn("6", "ana", null);
        return {
          marks: Object.fromEntries(progress.marks()),
          returned: progress.returned(stateWith(open)),
          notReturned: progress.returned(stateWith(turn("7", "kim", null))),
          line: progressLine(stateWith(open), progress.marks()),
        };
        """,
    )
    assert result["marks"] == {"kim": "spoke", "ana": "passed", "ben": "passed-over", "cy": "passed-over"}
    assert result["returned"] is True and result["notReturned"] is False
    assert result["line"] == "1 spoke · 1 passed · 2 passed over · 0 still to come"


def test_a_page_that_joins_mid_round_reads_the_turns_and_merges_the_events_by_id(page: Any) -> None:
    result = _run(
        page,
        """
        let answer;
        const reads = [];
        const read = (id) => { reads.push(id); return new Promise((resolve) => { answer = resolve; }); };
        let redrawn = 0;
        const progress = new RoundProgress(read, () => { redrawn += 1; });
        progress.follow(stateWith(turn("3", "ben", null)), "snapshot");
        const before = Object.fromEntries(progress.marks());
        // While the read is on its way, Ben's turn ends; the read then answers with it too.
        const bens = turn("3", "ben", "spoke");
        progress.follow(stateWith(null), ended(bens));
        progress.follow(stateWith(null), "presence"); // one read at a time
        answer({ turns: [turn("1", "kim", "spoke"), turn("2", "ana", "passed"), bens] });
        await new Promise((resolve) => setTimeout(resolve, 0));
        const after = Object.fromEntries(progress.marks());
        progress.follow(stateWith(null), "presence"); // complete: nothing more to read
        const readsBeforeSnapshot = reads.length;
        progress.follow(stateWith(null), "snapshot"); // a snapshot may hide missed events: read again
        const line = progressLine(stateWith(null), progress.marks());
        return { before, after, reads: readsBeforeSnapshot, again: reads.length, redrawn, line };
        """,
    )
    assert result["before"] == {}
    assert result["after"] == {"kim": "spoke", "ana": "passed", "ben": "spoke"}
    assert result["reads"] == 1 and result["again"] == 2 and result["redrawn"] == 1
    assert result["line"] == "2 spoke · 1 passed · 1 still to come"


def test_a_new_round_starts_with_no_marks_and_an_open_round_has_no_count_to_come(page: Any) -> None:
    result = _run(
        page,
        """
        const progress = new RoundProgress(() => Promise.reject(new Error("never read")), () => {});
        progress.follow(stateWith(null), { type: "event", name: "round.started", data: { round } });
        progress.follow(stateWith(null), ended(turn("1", "kim", "spoke")));
        const open = { ...round, id: "r2", kind: "open" };
        const state = { round: open, turn: null, participants: people };
        progress.follow(state, { type: "event", name: "round.started", data: { round: open } });
        const stale = { ...turn("9", "ana", "spoke"), round_id: "r" }; // an event of the old round changes nothing
        progress.follow(state, ended(stale));
        return { marks: progress.marks().size, line: progressLine(state, progress.marks()) };
        """,
    )
    assert result == {"marks": 0, "line": "0 spoke · 0 passed"}

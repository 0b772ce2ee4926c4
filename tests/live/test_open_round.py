"""An open round through a real server: hands go up on different screens, every screen sees one line.

Three members raise hands in turn; a keeper raises a hand too and calls on the last hand out of order;
a snapshot taken mid-round shows the same line the events carry; a hard time-out passes the piece on to
the next hand; when the line is empty the piece waits and the keeper ends the round.
"""

from __future__ import annotations

import httpx
import pytest

from tests.factories import auth, create_circle, finish, ok, open_turn, start_round, state
from tests.live.client import Frame, LiveClient, assert_gapless, assert_saw_log, full_log, seat_people
from tests.live.conftest import Connect, Server

TURN_SECONDS = 5  # the shortest turn the API allows


def _raise(http: httpx.Client, token: str, circle_id: str, round_id: str) -> dict:
    return ok(http.post(f"/v1/circles/{circle_id}/rounds/{round_id}/hands", headers=auth(token)))


def _line_of(frame: Frame) -> list[str]:
    return frame["data"]["hands"]


@pytest.mark.clocked
def test_an_open_round_with_a_line_of_hands_a_call_out_of_order_and_a_time_out(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id = create_circle(http, key, name="Open floor")["id"]
    people = seat_people(
        http, key, circle_id, ("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member"), ("Cai", "member")
    )
    screens: dict[str, LiveClient] = {name: live(circle_id, p["token"], name=name) for name, p in people.items()}
    watch = screens["Cai"]
    keeper = people["Keeper"]["token"]
    ids = {name: p["id"] for name, p in people.items()}

    round_ = start_round(
        http, keeper, circle_id, kind="open", prompt="Who wants to begin?", turn_seconds=TURN_SECONDS, time_limit="hard"
    )
    assert open_turn(round_) is None, "the piece waits for the first hand"
    round_id = round_["id"]

    # Ana's hand goes up first and takes the free piece at once; Ben, the keeper and Cai line up behind her.
    _raise(http, people["Ana"]["token"], circle_id, round_id)
    ana_turn = watch.wait_for_event("turn.started")["data"]["turn"]
    assert ana_turn["participant_id"] == ids["Ana"]
    for name in ("Ben", "Keeper", "Cai"):
        _raise(http, people[name]["token"], circle_id, round_id)
    raised = watch.wait_for_event("hand.raised", where=lambda f: f["data"]["participant_id"] == ids["Cai"])
    assert _line_of(raised) == [ids["Ben"], ids["Keeper"], ids["Cai"]]
    assert state(http, people["Ben"]["token"], circle_id)["hands"] == _line_of(raised)

    # The keeper calls on Cai out of order: Cai is next, and Ana keeps the piece until she is done.
    ok(http.post(f"/v1/circles/{circle_id}/rounds/{round_id}/hands/{ids['Cai']}/call", headers=auth(keeper)))
    called = watch.wait_for_event("hand.called")
    assert _line_of(called) == [ids["Cai"], ids["Ben"], ids["Keeper"]]
    ok(finish(http, people["Ana"]["token"], circle_id, ana_turn["id"]))
    given = watch.wait_for_event("hand.lowered")
    assert (given["data"]["participant_id"], given["data"]["reason"]) == (ids["Cai"], "given_piece")
    cai_turn = watch.wait_for_event("turn.started")["data"]["turn"]
    assert cai_turn["participant_id"] == ids["Cai"]

    # A screen that opens now gets a snapshot with the same line.
    late = live(circle_id, people["Ben"]["token"], name="Ben's second screen")
    assert late.snapshot is not None and late.snapshot["state"]["hands"] == [ids["Ben"], ids["Keeper"]]

    # Nobody ends Cai's turn: the hard limit ends it and the piece goes to the next hand, Ben.
    server.advance_to(cai_turn["deadline"])  # the server's clock is moved to the deadline
    timed_out = watch.wait_for_event("turn.ended")["data"]["turn"]
    assert (timed_out["id"], timed_out["outcome"]) == (cai_turn["id"], "timed_out")
    ben_turn = watch.wait_for_event("turn.started")["data"]["turn"]
    assert ben_turn["participant_id"] == ids["Ben"]
    ok(finish(http, people["Ben"]["token"], circle_id, ben_turn["id"], "passed"))
    keeper_turn = watch.wait_for_event("turn.started")["data"]["turn"]
    ok(finish(http, keeper, circle_id, keeper_turn["id"]))

    # The line is empty: the piece waits, until the keeper ends the round.
    watch.wait_for_event("turn.ended", where=lambda f: f["data"]["turn"]["id"] == keeper_turn["id"])
    now = state(http, key, circle_id)
    assert now["turn"] is None and now["hands"] == [] and now["round"]["status"] == "active"
    ok(http.post(f"/v1/circles/{circle_id}/rounds/{round_id}/end", headers=auth(keeper)))
    for screen in screens.values():
        assert screen.wait_for_event("round.ended")["data"]["round"]["end_reason"] == "ended"

    log = full_log(http, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    for screen in screens.values():
        assert_saw_log(screen, log)
    final = ok(http.get(f"/v1/circles/{circle_id}/rounds/{round_id}", headers=auth(key)))
    name_of = {v: k for k, v in ids.items()}
    assert [(name_of[t["participant_id"]], t["outcome"]) for t in final["turns"]] == [
        ("Ana", "spoke"),
        ("Cai", "timed_out"),
        ("Ben", "passed"),
        ("Keeper", "spoke"),
    ]

"""Deadlines are the server's and live in the database: they survive a restart and fire exactly once.

The server runs on a clock the test moves (see `Server.advance`): a deadline is reached by moving it on, and
time that passes while the server is down is where its clock starts again. The sweep's cadence is the wall
clock's, so a test that gives it chances to misfire still waits for those."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import httpx
import pytest

from tests.factories import auth, create_circle, ok, open_turn, start_round, state
from tests.live.client import assert_gapless, full_log, open_live, seat_people, turn_events, wait_until
from tests.live.conftest import SWEEP_SECONDS, Connect, Server

TURN_SECONDS = 5


def _let_sweeps_pass() -> None:
    """Give the deadline sweep two chances to do something it must not do (a second firing): it runs every
    SWEEP_SECONDS of wall-clock time, so this is a wait in wall-clock time."""
    time.sleep(2 * SWEEP_SECONDS + 0.3)


@pytest.mark.clocked
def test_a_hard_deadline_that_passed_while_the_server_was_down_fires_once_after_restart(
    server: Server, http: httpx.Client
) -> None:
    key = server.app_key
    circle_id = create_circle(http, key)["id"]
    people = seat_people(http, key, circle_id, ("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member"))
    round_ = start_round(http, key, circle_id, turn_seconds=TURN_SECONDS, time_limit="hard")
    turn = open_turn(round_)
    seq_before = state(http, key, circle_id)["seq"]
    server.kill()  # at once: no chance to do anything about the deadline

    deadline = datetime.fromisoformat(turn["deadline"])
    assert deadline == datetime.fromisoformat(turn["started_at"]) + timedelta(seconds=TURN_SECONDS)
    server.start_clock_at(turn["deadline"], past_by=0.3)  # the deadline passed while the server was down
    server.start()

    def first_turn() -> dict[str, object] | None:
        now = ok(http.get(f"/v1/circles/{circle_id}/rounds/{round_['id']}", headers=auth(key)))
        return now if now["turns"][0]["ended_at"] else None

    after = wait_until(first_turn, timeout=10, what="the overdue turn to end")
    ended = after["turns"][0]
    assert ended["id"] == turn["id"] and ended["outcome"] == "timed_out"
    assert datetime.fromisoformat(ended["ended_at"]) >= datetime.fromisoformat(turn["deadline"])
    successor = open_turn(after)
    assert successor["participant_id"] == people["Ana"]["id"]
    assert datetime.fromisoformat(successor["deadline"]) == (
        datetime.fromisoformat(successor["started_at"]) + timedelta(seconds=TURN_SECONDS)
    )

    _let_sweeps_pass()
    log = full_log(http, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    assert [e["name"] for e in log[seq_before:]] == ["turn.ended", "turn.started"]
    assert len(turn_events(log, "turn.ended", turn["id"])) == 1
    assert len(turn_events(log, "turn.started", successor["id"])) == 1
    assert state(http, key, circle_id)["turn"]["id"] == successor["id"]


@pytest.mark.clocked
def test_a_soft_deadline_sends_turn_overtime_once_even_across_a_restart(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id = create_circle(http, key)["id"]
    people = seat_people(http, key, circle_id, ("Keeper", "keeper"), ("Ana", "member"))
    keeper = live(circle_id, people["Keeper"]["token"], name="keeper")
    round_ = start_round(http, key, circle_id, turn_seconds=TURN_SECONDS, time_limit="soft")
    turn = open_turn(round_)

    server.advance_to(turn["deadline"])
    overtime = keeper.wait_for_event("turn.overtime")["data"]["turn"]
    assert overtime["id"] == turn["id"] and overtime["ended_at"] is None
    assert datetime.fromisoformat(overtime["overtime_at"]) >= datetime.fromisoformat(turn["deadline"])
    _let_sweeps_pass()
    assert len(turn_events(full_log(http, key, circle_id), "turn.overtime", turn["id"])) == 1

    # A restart closes the sockets with "reconnect", and does not announce the overtime again.
    seq = keeper.seen()[-1][0]
    server.restart()
    assert keeper.wait_closed() in (1001, 1012)
    with open_live(server.ws_url(circle_id), people["Keeper"]["token"], after=seq, name="keeper again") as back:
        assert back.replay == []
        _let_sweeps_pass()
        log = full_log(http, key, circle_id)
        assert log[-1]["seq"] == seq
        assert len(turn_events(log, "turn.overtime", turn["id"])) == 1
        assert [f for f in back.drain(0.2) if f["type"] == "event"] == []
    now = state(http, key, circle_id)
    assert now["turn"]["id"] == turn["id"] and now["turn"]["overtime_at"] == overtime["overtime_at"]

"""Hard deadlines fire exactly once whichever instance fires them: when the instance that armed the deadline
(the one that served the round's start) is dead, and when every instance restarts after it fell due."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.factories import auth, create_circle, ok, open_turn, start_round, state
from tests.live.client import assert_gapless, assert_saw_log, full_log, seat_people, turn_events, wait_until
from tests.scale.conftest import SWEEP_SECONDS, Cluster, MakeCluster, seconds_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

TURN_SECONDS = 5  # the shortest turn the API allows


def _setup(group: Cluster) -> tuple[httpx.Client, str, dict[str, dict[str, Any]]]:
    http = group[0].http()
    circle_id = create_circle(http, group.app_key, name="Timed")["id"]
    people = seat_people(http, group.app_key, circle_id, ("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member"))
    return http, circle_id, people


def _round(http: httpx.Client, key: str, circle_id: str, round_id: str) -> dict[str, Any]:
    return ok(http.get(f"/v1/circles/{circle_id}/rounds/{round_id}", headers=auth(key)))


def _let_sweeps_pass() -> None:
    """Give every instance's deadline sweep a few chances to do what it must not (fire a second time)."""
    time.sleep(3 * SWEEP_SECONDS + 0.5)


def _assert_fired_once(
    http: httpx.Client, key: str, circle_id: str, round_: dict[str, Any], turn: dict[str, Any], seq_before: int
) -> dict[str, Any]:
    """The first turn ended timed_out at or after its deadline, exactly once, and the next one started once;
    the successor turn."""
    after = _round(http, key, circle_id, round_["id"])
    ended = after["turns"][0]
    assert ended["id"] == turn["id"] and ended["outcome"] == "timed_out", ended
    assert datetime.fromisoformat(ended["ended_at"]) >= datetime.fromisoformat(turn["deadline"])
    successor = after["turns"][1]
    assert successor["participant_id"] != turn["participant_id"]
    assert datetime.fromisoformat(successor["deadline"]) == (
        datetime.fromisoformat(successor["started_at"]) + timedelta(seconds=TURN_SECONDS)
    )
    log = full_log(http, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    assert len(turn_events(log, "turn.ended", turn["id"])) == 1
    assert len(turn_events(log, "turn.started", successor["id"])) == 1
    assert [e["name"] for e in log if e["seq"] > seq_before][:2] == ["turn.ended", "turn.started"]
    return successor


def test_a_hard_deadline_fires_once_when_the_instance_that_armed_it_is_dead(cluster: MakeCluster) -> None:
    group = cluster(3)
    a, b, c = group
    key = group.app_key
    http_a, circle_id, people = _setup(group)
    http_b = b.http()
    watcher = group.live(b, circle_id, key, name="app")
    round_ = start_round(http_a, key, circle_id, turn_seconds=TURN_SECONDS, time_limit="hard")
    a.kill()  # A served the start (and armed the deadline): it dies at once
    turn = open_turn(round_)
    seq_before = round_start_seq = state(http_b, key, circle_id)["seq"]
    assert 0 < seconds_until(turn["deadline"]) <= TURN_SECONDS

    # B and C are left; the turn ends at its deadline all the same, seen live on B.
    ended = watcher.wait_for_event(
        "turn.ended", TURN_SECONDS + 5, where=lambda f: f["data"]["turn"]["id"] == turn["id"]
    )["data"]["turn"]
    late_by = datetime.fromisoformat(ended["ended_at"]) - datetime.fromisoformat(turn["deadline"])
    assert timedelta(0) <= late_by < timedelta(seconds=2), late_by
    watcher.wait_for_event("turn.started")
    _let_sweeps_pass()
    successor = _assert_fired_once(http_b, key, circle_id, round_, turn, seq_before)
    assert successor["participant_id"] == people["Ana"]["id"]

    # A comes back: it finds nothing left to do about that deadline. The next one (armed by whichever
    # instance ended the first turn) fires once too, wherever it fires.
    a.start()
    wait_until(lambda: _round(http_b, key, circle_id, round_["id"])["turns"][1]["ended_at"], timeout=TURN_SECONDS + 5,
               what="the second turn to time out")  # fmt: skip
    _let_sweeps_pass()
    log = full_log(c.http(), key, circle_id)
    assert_gapless([e["seq"] for e in log])
    assert len(turn_events(log, "turn.ended", turn["id"])) == 1
    assert [e["data"]["turn"]["outcome"] for e in turn_events(log, "turn.ended", successor["id"])] == ["timed_out"]
    watcher.wait_for_seq(log[-1]["seq"])
    assert_saw_log(watcher, log, upto=log[-1]["seq"])
    assert watcher.from_seq is not None and watcher.from_seq < round_start_seq
    ok(http_b.post(f"/v1/circles/{circle_id}/rounds/{round_['id']}/end", headers=auth(key)))


def test_a_hard_deadline_that_fell_while_every_instance_was_down_fires_once(cluster: MakeCluster) -> None:
    group = cluster(2)
    a, b = group
    key = group.app_key
    http_a, circle_id, people = _setup(group)
    round_ = start_round(http_a, key, circle_id, turn_seconds=TURN_SECONDS, time_limit="hard")
    turn = open_turn(round_)
    seq_before = state(http_a, key, circle_id)["seq"]
    group.stop_all()

    wait = seconds_until(turn["deadline"])
    assert wait > 0, "the instances took the whole turn to stop"
    time.sleep(wait + 0.5)  # nobody is up when it falls
    group.start_all()  # both at once: both may find it overdue; only one may end it

    http_b = b.http()
    after = wait_until(
        lambda: (r := _round(http_b, key, circle_id, round_["id"]))["turns"][0]["ended_at"] and r,
        timeout=10, what="the overdue turn to end after the restart",
    )  # fmt: skip
    assert after["turns"][0]["outcome"] == "timed_out"
    _let_sweeps_pass()
    successor = _assert_fired_once(http_b, key, circle_id, round_, turn, seq_before)
    assert successor["participant_id"] == people["Ana"]["id"]
    resumed = group.live(a, circle_id, key, after=seq_before, name="app")
    assert [(f["name"], f["data"]["turn"]["id"]) for f in resumed.replay][:2] == [
        ("turn.ended", turn["id"]),
        ("turn.started", successor["id"]),
    ]
    ok(http_b.post(f"/v1/circles/{circle_id}/rounds/{round_['id']}/end", headers=auth(key)))

"""A breakout's speakers' limits fire exactly once across instances, even when the instance that started the
breakout (and armed its timers) is dead: another instance's sweep finds them, under the circle's lock."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from tests.factories import auth, create_circle, ok
from tests.live.client import assert_gapless, assert_saw_log, full_log, seat_people, wait_until
from tests.scale.conftest import SWEEP_SECONDS, MakeCluster

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

SECONDS_EACH = 10  # the shortest the API allows


def test_speakers_limits_fire_once_when_the_instance_that_armed_them_is_dead(cluster: MakeCluster) -> None:
    group = cluster(2)
    a, b = group
    key = group.app_key
    http_a, http_b = a.http(), b.http()
    circle_id = create_circle(http_a, key, name="Pairs at scale")["id"]
    seat_people(http_a, key, circle_id, *((name, "member") for name in ("Ana", "Ben", "Cy", "Dee")))
    watcher = group.live(b, circle_id, key, name="app")
    body = {"seconds_each": SECONDS_EACH, "grouping": "by_seat"}
    breakout = ok(http_a.post(f"/v1/circles/{circle_id}/breakouts", json=body, headers=auth(key)), 201)
    a.kill()  # A served the start and armed the timers: it dies at once

    ended = watcher.wait_for_event("breakout.ended", 2 * SECONDS_EACH + 10)["data"]["breakout"]
    assert ended["end_reason"] == "completed"
    for grouped in ended["groups"]:
        for turn in grouped["turns"]:
            assert turn["outcome"] == "timed_out"
            assert datetime.fromisoformat(turn["ended_at"]) == datetime.fromisoformat(turn["deadline"])
    time.sleep(3 * SWEEP_SECONDS + 0.5)  # the sweeps' chances to fire one again
    log = full_log(http_b, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    names = [e["name"] for e in log]
    assert names.count("breakout.turn_ended") == 4 and names.count("breakout.ended") == 1
    wait_until(lambda: watcher.from_seq is not None, what="the watcher's catch-up")
    watcher.wait_for_seq(log[-1]["seq"])
    assert_saw_log(watcher, log, upto=log[-1]["seq"])
    assert breakout["id"] == ended["id"]

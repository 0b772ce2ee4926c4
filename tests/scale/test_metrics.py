"""Metrics of two instances on PostgreSQL and Redis: each counts what it did itself. The instance that
committed counts the events appended and times their fan-out; the other one, whose screen got them from
the Redis stream, counts the frames it sent and says how far behind the stream it read."""

from __future__ import annotations

import pytest

from tests.factories import create_circle, finish, ok, open_turn, start_round
from tests.live.client import full_log, seat_people
from tests.live.test_metrics import TOKEN, moved, scrape, settle, value
from tests.scale.conftest import MakeCluster

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

STREAM_LAG_SANITY_SECONDS = 60  # not a timing: a lag read from a wrong field (an id's sequence, a seq) is far off


def test_each_instance_counts_its_own_and_the_reader_says_how_far_behind_the_stream_it_is(
    cluster: MakeCluster,
) -> None:
    group = cluster(2, env={"CIRCLES_METRICS_TOKEN": TOKEN})
    a, b = group
    key = group.app_key
    on_a, on_b = a.http(), b.http()
    circle_id = create_circle(on_a, key, name="Two instances")["id"]
    people = seat_people(on_a, key, circle_id, ("Keeper", "keeper"), ("Ana", "member"))
    screen = group.live(b, circle_id, people["Ana"]["token"], name="Ana")
    fence = int(full_log(on_a, key, circle_id)[-1]["seq"])
    received_before = settle([screen], fence)
    before_a, before_b = scrape(on_a), scrape(on_b)

    keeper = people["Keeper"]["token"]
    turn = open_turn(start_round(on_a, keeper, circle_id))
    assert turn is not None
    ok(finish(on_a, keeper, circle_id, turn["id"]))
    end = int(full_log(on_a, key, circle_id)[-1]["seq"])
    received_after = settle([screen], end)
    after_a, after_b = scrape(on_a), scrape(on_b)

    new = [e for e in full_log(on_a, key, circle_id) if e["seq"] > fence]
    turns = sum(1 for e in new if str(e["name"]).startswith("turn."))
    assert moved(before_a, after_a, "circles_events_appended_total", family="turn") == turns > 0
    assert moved(before_b, after_b, "circles_events_appended_total", family="turn") == 0
    # Two commits on A, with no socket of the circle there: no fan-out to time on A; B's came from the stream.
    assert moved(before_a, after_a, "circles_fanout_lag_seconds_count") == 0
    assert moved(before_b, after_b, "circles_fanout_lag_seconds_count") == 0
    assert moved(before_b, after_b, "circles_frames_sent_total") == received_after[0] - received_before[0] > 0
    assert moved(before_a, after_a, "circles_frames_sent_total") == 0
    assert value(after_b, "circles_sockets_open") == 1 and value(after_a, "circles_sockets_open") == 0
    assert 0 < value(after_b, "circles_redis_stream_lag_seconds") < STREAM_LAG_SANITY_SECONDS

"""Each instance's hub listeners (deadline timers, absence rounds, and whatever post-commit consumer comes next)
take each event exactly once: the instance that committed it from its own outbox, every other instance from the
Redis stream, and never the writer a second time when its own read of the stream brings the entry back.

Seen through the `circles.live.listeners` log lines (CIRCLES_LOG_LEVEL=debug): one line per event taken."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
import redis

from tests.factories import create_circle, events, seat
from tests.live.client import wait_until
from tests.scale.conftest import Cluster, Instance, MakeCluster

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def _taken(instance: Instance, circle_id: str) -> Counter[int]:
    """How many times the instance's listeners took each seq of the circle."""
    pattern = re.compile(rf"listeners take circle {re.escape(circle_id)} seq (\d+) ")
    return Counter(int(match.group(1)) for match in pattern.finditer(instance.log()))


def _streamed(group: Cluster, circle_id: str) -> set[int]:
    """The seqs of the circle's events that are in the broker's stream."""
    with redis.Redis.from_url(group.broker_url, socket_timeout=2, decode_responses=True) as client:
        entries = client.xrange(f"{group.prefix}events")
    return {
        json.loads(fields["body"])["seq"]
        for _id, fields in entries
        if fields.get("kind") == "event" and fields.get("circle_id") == circle_id
    }


def test_listeners_on_two_instances_take_each_event_once(cluster: MakeCluster) -> None:
    group = cluster(2, env={"CIRCLES_LOG_LEVEL": "debug"})
    a, b = group
    key = group.app_key
    http_a, http_b = a.http(), b.http()
    circle_id = create_circle(http_a, key, name="Once each")["id"]
    seat(http_a, key, circle_id, "Ana", role="keeper")
    seat(http_a, key, circle_id, "Ben", role="member")
    seat(http_b, key, circle_id, "Cai", role="member")
    seat(http_b, key, circle_id, "Dee", role="member")
    written = [e["seq"] for e in events(http_a, key, circle_id)]
    assert len(written) >= 4

    # Once all of them are in the stream, one more event from each instance fences them: an instance whose
    # listeners took the other's fence has read the stream past every entry before it, its own included.
    wait_until(lambda: _streamed(group, circle_id) >= set(written), what="the events in the stream")
    fence_a = seat(http_a, key, circle_id, "Eli", role="member")
    fence_b = seat(http_b, key, circle_id, "Fay", role="member")
    log = events(http_a, key, circle_id)
    seq_of = {e["data"]["participant"]["id"]: e["seq"] for e in log if e["name"] == "participant.joined"}
    wait_until(lambda: _taken(a, circle_id)[seq_of[fence_b["id"]]], what="A took B's fence from the stream")
    wait_until(lambda: _taken(b, circle_id)[seq_of[fence_a["id"]]], what="B took A's fence from the stream")

    every_seq = [e["seq"] for e in log]
    for instance in (a, b):
        taken = _taken(instance, circle_id)
        assert sorted(taken) == every_seq, f"{instance}: took {sorted(taken)}, the log has {every_seq}"
        assert set(taken.values()) == {1}, f"{instance} took some events more than once: {taken}"

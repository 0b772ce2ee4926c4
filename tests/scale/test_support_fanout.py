"""A request for support made on one instance reaches the keepers' and the app's sockets on every other
instance, through Redis's private channel and never its event stream; members anywhere are told nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import auth, create_circle, events, ok
from tests.live.client import LiveClient, seat_people, wait_until
from tests.scale.conftest import MakeCluster, PrivateRedis

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

QUIET = 1.5


def test_keepers_on_other_instances_are_told_and_members_anywhere_are_not(cluster: MakeCluster) -> None:
    group = cluster(2)
    a, b = group
    key = group.app_key
    http_a, http_b = a.http(), b.http()
    circle_id = create_circle(http_a, key)["id"]
    people = seat_people(http_a, key, circle_id, ("Kim", "keeper"), ("Ana", "member"), ("Ben", "member"))
    kim_on_b = group.live(b, circle_id, people["Kim"]["token"], name="kim")
    app_on_a = group.live(a, circle_id, key, name="app")
    app_on_b = group.live(b, circle_id, key, name="app")
    ben_on_b = group.live(b, circle_id, people["Ben"]["token"], name="ben")
    ben_on_a = group.live(a, circle_id, people["Ben"]["token"], name="ben")
    streams_before = group.redis_streams()
    log_before = events(http_b, key, circle_id)

    asked = ok(http_a.post(f"/v1/circles/{circle_id}/support", headers=auth(people["Ana"]["token"])), 201)
    for watcher in (kim_on_b, app_on_a, app_on_b):
        frame = watcher.wait_for(lambda f: f["type"] == "support", timeout=10.0)
        assert frame == {
            "type": "support",
            "signal_id": asked["id"],
            "participant_id": people["Ana"]["id"],
            "at": asked["at"],
        }
    for member in (ben_on_a, ben_on_b):
        member.drain(QUIET)
        assert [f for f in member.frames if f["type"] == "support"] == []
    app_on_b.drain(QUIET)
    assert len([f for f in app_on_b.frames if f["type"] == "support"]) == 1  # once, not once per instance
    assert group.redis_streams() == streams_before  # nothing went into the event stream
    assert events(http_b, key, circle_id) == log_before


def _told(client: LiveClient, signal_id: str, timeout: float = 10.0) -> None:
    client.wait_for(lambda f: f["type"] == "support" and f["signal_id"] == signal_id, timeout=timeout, anywhere=True)


def test_through_a_redis_outage_keepers_on_the_same_instance_are_still_told_and_the_rest_again_after(
    cluster: MakeCluster, private_redis: PrivateRedis
) -> None:
    group = cluster(2, broker_url=private_redis.url)
    a, b = group
    key = group.app_key
    http_a = a.http()
    circle_id = create_circle(http_a, key)["id"]
    people = seat_people(http_a, key, circle_id, ("Kim", "keeper"), ("Kai", "keeper"), ("Ana", "member"))
    kim_on_a = group.live(a, circle_id, people["Kim"]["token"], name="kim")
    kai_on_b = group.live(b, circle_id, people["Kai"]["token"], name="kai")
    ask = f"/v1/circles/{circle_id}/support"

    private_redis.stop()
    during = ok(http_a.post(ask, headers=auth(people["Ana"]["token"])), 201)  # the request does not fail
    _told(kim_on_a, during["id"])  # the instance it was made on tells its own keepers
    private_redis.start()

    def reaches_b() -> bool:
        asked = ok(http_a.post(ask, headers=auth(people["Ana"]["token"])), 201)
        try:
            _told(kai_on_b, asked["id"], timeout=1.0)
        except AssertionError:
            return False
        return True

    wait_until(reaches_b, timeout=20.0, interval=0.5, what="a support signal reaching the other instance again")
    # Whatever a keeper missed, the list holds.
    listed = ok(http_a.get(ask, headers=auth(people["Kai"]["token"])))["items"]
    assert during["id"] in {s["id"] for s in listed}


def _support_frames(client: LiveClient) -> list[dict[str, Any]]:
    return [f for f in client.frames if f["type"] in ("support", "support_acknowledged")]


def test_what_is_pending_is_sent_to_keepers_connecting_to_any_instance_until_one_acknowledges_it(
    cluster: MakeCluster,
) -> None:
    group = cluster(2)
    a, b = group
    key = group.app_key
    http_a, http_b = a.http(), b.http()
    circle_id = create_circle(http_a, key)["id"]
    people = seat_people(http_a, key, circle_id, ("Kim", "keeper"), ("Kai", "keeper"), ("Ana", "member"))
    ask = f"/v1/circles/{circle_id}/support"
    asked = ok(http_a.post(ask, headers=auth(people["Ana"]["token"])), 201)  # on a, with nobody connected
    pending = {
        "type": "support",
        "signal_id": asked["id"],
        "participant_id": asked["participant_id"],
        "at": asked["at"],
    }
    seq = events(http_b, key, circle_id)[-1]["seq"]

    # Kim connects to b afresh, Kai to a resuming, the app to b: each is sent it right after its catch-up.
    kim_on_b = group.live(b, circle_id, people["Kim"]["token"], name="kim")
    kai_on_a = group.live(a, circle_id, people["Kai"]["token"], after=seq, name="kai")
    app_on_b = group.live(b, circle_id, key, name="app")
    for keeper in (kim_on_b, kai_on_a, app_on_b):
        assert keeper.wait_for(lambda f: True) == pending, keeper
    ana_on_b = group.live(b, circle_id, people["Ana"]["token"], name="ana")

    # Kim acknowledges it on b: Kai's screen on a is told, and Kai, back on b, is not sent it again.
    acknowledged = ok(http_b.post(f"{ask}/{asked['id']}/ack", headers=auth(people["Kim"]["token"])))
    told = {
        "type": "support_acknowledged",
        "signal_id": asked["id"],
        "acknowledged_by": people["Kim"]["id"],
        "acknowledged_at": acknowledged["acknowledged_at"],
    }
    for screen in (kai_on_a, kim_on_b, app_on_b):
        assert screen.wait_for(lambda f: f["type"] == "support_acknowledged", timeout=10.0) == told, screen
    kai_on_a.close()
    kai_on_b = group.live(b, circle_id, people["Kai"]["token"], after=seq, name="kai-again")
    news = ok(http_a.post(ask, headers=auth(people["Ana"]["token"])), 201)
    first = kai_on_b.wait_for(lambda f: f["type"] in ("support", "support_acknowledged"), timeout=10.0)
    assert first["signal_id"] == news["id"]  # nothing pending came before the news
    ana_on_b.drain(QUIET)
    assert _support_frames(ana_on_b) == []

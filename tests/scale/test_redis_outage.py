"""Redis goes away mid-round and comes back (empty: the test's own redis-server keeps nothing on disk).

Commands keep working on every instance; screens on every instance still get every event, from the
database log backstop, within a few seconds; when Redis is back fan-out goes through it again. No event
is lost or doubled anywhere."""

from __future__ import annotations

import statistics
import time
from typing import Any

import httpx
import pytest

from tests.factories import auth, create_circle, finish, ok, start_round, state
from tests.live.client import LiveClient, assert_gapless, assert_saw_log, full_log, seat_people, wait_until
from tests.scale.conftest import LOG_POLL_SECONDS, MakeCluster, PrivateRedis

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

BACKSTOP_WAIT = LOG_POLL_SECONDS * 2 + 4.0  # the log poll's interval, twice, and room for a loaded machine
COMMAND_SECONDS = 5.0  # a command must not hang on the missing broker


def test_a_redis_outage_mid_round_loses_nothing_and_fan_out_resumes(
    cluster: MakeCluster, private_redis: PrivateRedis
) -> None:
    group = cluster(2, broker_url=private_redis.url)
    a, b = group
    key = group.app_key
    http = {instance.name: instance.http() for instance in group}
    circle_id = create_circle(http["A"], key, name="Through an outage")["id"]
    names = ["Keeper", "Ana", "Ben", "Cai", "Dee", "Eli", "Fay", "Gus"]
    people = seat_people(http["B"], key, circle_id, *[(n, "keeper" if n == "Keeper" else "member") for n in names])
    seated = state(http["A"], key, circle_id)["seq"]
    clients = [
        group.live(a, circle_id, people["Keeper"]["token"], name="Keeper"),
        group.live(b, circle_id, people["Ana"]["token"], name="Ana"),
        group.live(a, circle_id, key, name="app"),
        group.live(b, circle_id, key, name="app"),
    ]
    assert all(client.from_seq == seated for client in clients)

    def finish_next(client: httpx.Client, holder: str) -> float:
        """The holder finishes their turn through `client`'s instance; seconds the command took."""
        turn = state(client, key, circle_id)["turn"]
        assert turn["participant_id"] == people[holder]["id"], (holder, turn)
        began = time.monotonic()
        ok(finish(client, people[holder]["token"], circle_id, turn["id"]))
        return time.monotonic() - began

    def everyone_sees(seq: int, timeout: float) -> float:
        began = time.monotonic()
        for client in clients:
            client.wait_for_seq(seq, timeout=timeout)
        return time.monotonic() - began

    def last_seq() -> int:
        return int(state(http["A"], key, circle_id)["seq"])

    # Before: Redis up, the round starts on A and a turn ends on B.
    start_round(http["A"], key, circle_id, prompt="What carried you this week?")
    finish_next(http["B"], "Keeper")
    everyone_sees(last_seq(), timeout=5)
    assert group.redis_streams(), "nothing was appended to a Redis stream before the outage"

    # Redis goes away. Commands keep working, promptly, on both instances.
    private_redis.stop()
    for holder, where in [("Ana", "A"), ("Ben", "B"), ("Cai", "A")]:
        took = finish_next(http[where], holder)
        assert took < COMMAND_SECONDS, f"finishing {holder}'s turn on {where} took {took:.1f} s with Redis down"
    during = last_seq()
    # Every screen, on either instance, still gets every event: from the database log backstop.
    everyone_sees(during, timeout=BACKSTOP_WAIT)
    for instance in group:  # still ready (it serves), the broker reported degraded
        ready = instance.get("/readyz")
        assert (ready.status_code, ready.json()["broker"]) == (200, {"kind": "redis", "status": "degraded"}), ready.text

    # Redis comes back (empty). The instances notice; the round goes on.
    private_redis.start()
    wait_until(
        lambda: all(i.get("/readyz").json()["broker"]["status"] == "ok" for i in group),
        timeout=15, interval=0.2, what="both instances to see the broker again once Redis is back",
    )  # fmt: skip

    # Fan-out goes through Redis again: an event committed on A reaches B's screens in a fraction of the
    # backstop's interval. Wait for two such quick deliveries in a row (the reader may be backing off).
    def quick_delivery(attempt: list[int]) -> bool:
        attempt[0] += 1
        ok(http["A"].patch(f"/v1/circles/{circle_id}", json={"name": f"Back {attempt[0]}"}, headers=auth(key)))
        return everyone_sees(last_seq(), timeout=BACKSTOP_WAIT) < LOG_POLL_SECONDS / 8

    attempts = [0]
    wait_until(lambda: quick_delivery(attempts) and quick_delivery(attempts), timeout=20, interval=0.0,
               what="fan-out through Redis to resume")  # fmt: skip
    stream_before = sum(group.redis_streams().values())
    latencies = []
    for holder, where in [("Dee", "B"), ("Eli", "A"), ("Fay", "B"), ("Gus", "A")]:
        finish_next(http[where], holder)
        latencies.append(everyone_sees(last_seq(), timeout=BACKSTOP_WAIT))
    assert statistics.median(latencies) < LOG_POLL_SECONDS / 4, latencies
    assert sum(group.redis_streams().values()) > stream_before, "the events after the outage are not in Redis"
    with private_redis.client() as redis_client:  # everything the service keeps in Redis is under its prefix
        keys = list(redis_client.scan_iter(count=500))
    assert keys and all(k.startswith(group.prefix) for k in keys), keys

    # Everything, on every screen, exactly once, in order, equal to the log.
    log = full_log(http["B"], key, circle_id)
    assert_gapless([e["seq"] for e in log])
    assert log[-1]["name"] == "round.ended", log[-1]
    ended = [e["data"]["turn"]["id"] for e in log if e["name"] == "turn.ended"]
    assert len(ended) == len(set(ended)) == len(names)
    everyone_sees(log[-1]["seq"], timeout=BACKSTOP_WAIT)
    for client in clients:
        assert_saw_log(client, log, upto=log[-1]["seq"])
        assert client.from_seq == seated
    _no_more_frames(clients)


def _no_more_frames(clients: list[LiveClient]) -> None:
    """After the round ended nothing else arrives (no event delivered twice, late, from another path)."""
    time.sleep(LOG_POLL_SECONDS + 0.5)  # one more backstop poll, which must find nothing new
    for client in clients:
        extra: list[Any] = [f for f in client.drain(0.1) if f["type"] == "event"]
        assert extra == [], f"{client} got events after the end: {extra}"


def _redis_lines(log: str) -> list[str]:
    """The warnings and errors of the live package (the broker, presence, the hub) in an instance's log."""
    return [
        line
        for line in log.splitlines()
        if " circles.live." in line and any(level in line for level in ("WARNING", "ERROR", "CRITICAL"))
    ]


def test_a_redis_outage_is_logged_once_when_it_begins_and_once_when_it_ends_with_the_counts(
    cluster: MakeCluster, private_redis: PrivateRedis
) -> None:
    """Not a traceback per failed append, read or presence update (16 to 20 in 5 s on each instance): one
    warning when Redis goes, one when it is back, with what failed meanwhile counted."""
    group = cluster(2, broker_url=private_redis.url)
    a, b = group
    key = group.app_key
    http = {instance.name: instance.http() for instance in group}
    circle_id = create_circle(http["A"], key, name="A quiet outage")["id"]
    people = seat_people(http["A"], key, circle_id, ("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member"))
    keeper = group.live(a, circle_id, people["Keeper"]["token"], name="Keeper")
    ana = group.live(b, circle_id, people["Ana"]["token"], name="Ana")
    start_round(http["A"], key, circle_id)
    first = int(state(http["A"], key, circle_id)["seq"])
    for client in (keeper, ana):
        client.wait_for_seq(first)

    private_redis.stop()
    # Commands on both instances (each one's appends fail), sockets coming and going on both (presence).
    for holder, where in [("Keeper", "A"), ("Ana", "B")]:
        turn = state(http[where], key, circle_id)["turn"]
        ok(finish(http[where], people[holder]["token"], circle_id, turn["id"]))
    group.live(a, circle_id, people["Ben"]["token"], name="Ben")
    ana.close()
    during = int(state(http["A"], key, circle_id)["seq"])
    keeper.wait_for_seq(during, timeout=BACKSTOP_WAIT)  # from the log poll, Redis being away

    private_redis.start()
    for instance in group:
        wait_until(lambda i=instance: any("Redis is back after" in line for line in _redis_lines(i.log())),  # type: ignore[misc]
                   timeout=15, interval=0.2, what=f"{instance} to log that Redis is back")  # fmt: skip

    for instance in group:
        log = instance.log()
        lines = _redis_lines(log)
        assert len(lines) == 2, f"{instance}: expected one line as Redis went and one as it came back:\n" + "\n".join(
            lines
        )
        went, back = lines
        assert "circles.live.redis_watch: Redis is unreachable (ConnectionError" in went, went
        assert "circles.live.redis_watch: Redis is back after " in back, back
        assert " stream entries not appended " in back and " stream reads failed" in back, back
        assert "Traceback" not in log, f"{instance} logged a traceback:\n{log}"

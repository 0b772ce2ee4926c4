"""Fan-out across instances: screens connected to A, B and C follow one round whose commands are sent to
all three. Every screen sees the log's events in seq order, gapless, none twice, promptly (through the
broker, not the database backstop). C is killed with SIGKILL mid-round; its screens reconnect to A and B
with `after` and get exactly what they missed; C comes back and serves commands and screens again."""

from __future__ import annotations

import statistics
import time
from typing import Any

import httpx
import pytest

from tests.factories import auth, create_circle, finish, ok, open_turn, start_round, state
from tests.live.client import LiveClient, assert_gapless, assert_saw_log, full_log, seat_people
from tests.scale.conftest import LOG_POLL_SECONDS, MakeCluster, assert_exactly_once

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

FANOUT_WAIT = 10.0  # seconds a screen may take to see an event before the test fails outright


def _everyone_sees(clients: list[LiveClient], seq: int) -> float:
    """Wait until every client has `seq`; the seconds it took the slowest."""
    began = time.monotonic()
    for client in clients:
        client.wait_for_seq(seq, timeout=FANOUT_WAIT)
    return time.monotonic() - began


def _same_frames(clients: list[LiveClient], log: list[dict[str, Any]], first: int, last: int) -> None:
    """One screen's successive sockets together received exactly the log's events first..last."""
    seen = [{k: v for k, v in f.items() if k != "type"} for c in clients for f in c.events]
    assert seen == [e for e in log if first <= e["seq"] <= last], f"{clients}: the frames differ from the log"


def test_screens_on_three_instances_follow_a_round_through_a_sigkill(cluster: MakeCluster) -> None:
    group = cluster(3)
    a, b, c = group
    key = group.app_key
    http = {instance.name: instance.http() for instance in group}
    circle_id = create_circle(http["A"], key, name="Across instances")["id"]
    people = seat_people(
        http["B"], key, circle_id,
        ("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member"), ("Cai", "member"), ("Dee", "member"),
        ("Eli", "member"),
    )  # fmt: skip
    seated = state(http["C"], key, circle_id)["seq"]
    placement = {"Keeper": a, "Ana": b, "Ben": c, "Cai": a, "Dee": b, "Eli": c}
    screens = {n: group.live(where, circle_id, people[n]["token"], name=n) for n, where in placement.items()}
    watchers = {i.name: group.live(i, circle_id, key, name="app") for i in group}
    everyone = [*screens.values(), *watchers.values()]
    for client in everyone:
        assert client.from_seq == seated and client.snapshot is not None

    latencies: list[float] = []

    def step(instance_http: httpx.Client, clients: list[LiveClient], command: Any) -> dict[str, Any]:
        """Send a command to one instance; every screen connected anywhere must then see its events."""
        result = command(instance_http)
        seq = state(instance_http, key, circle_id)["seq"]
        latencies.append(_everyone_sees(clients, seq))
        return result

    def finish_as(holder: str, outcome: str = "spoke") -> Any:
        def run(client: httpx.Client) -> dict[str, Any]:
            turn = state(client, key, circle_id)["turn"]
            assert turn["participant_id"] == people[holder]["id"], (holder, turn)
            return ok(finish(client, people[holder]["token"], circle_id, turn["id"], outcome))

        return run

    round_ = step(http["C"], everyone, lambda client: start_round(client, key, circle_id, prompt="How are you?"))
    assert open_turn(round_)["participant_id"] == people["Keeper"]["id"]
    step(http["A"], everyone, finish_as("Keeper"))
    step(http["B"], everyone, finish_as("Ana", "passed"))
    assert state(http["A"], key, circle_id)["turn"]["participant_id"] == people["Ben"]["id"]

    # C dies at once: its screens (Ben's, Eli's and one app watcher) lose their sockets.
    on_c = [screens["Ben"], screens["Eli"], watchers["C"]]
    c.kill()
    for client in on_c:
        client.wait_closed(timeout=5)
    survivors = [client for client in everyone if client not in on_c]
    last_seen = {client.name: client.seen()[-1][0] for client in on_c}

    # The round goes on without C: the keeper skips Ben (via A), Cai speaks (via B).
    def skip_ben(client: httpx.Client) -> None:
        turn = state(client, key, circle_id)["turn"]
        assert turn["participant_id"] == people["Ben"]["id"]
        ok(client.post(f"/v1/circles/{circle_id}/turns/{turn['id']}/skip", headers=auth(people["Keeper"]["token"])))

    step(http["A"], survivors, skip_ben)
    step(http["B"], survivors, finish_as("Cai"))
    missed_upto = state(http["A"], key, circle_id)["seq"]

    # C's screens reconnect elsewhere with `after` and get exactly what they missed, then follow live.
    back = {
        "Ben": group.live(a, circle_id, people["Ben"]["token"], after=last_seen[screens["Ben"].name], name="Ben again"),
        "Eli": group.live(b, circle_id, people["Eli"]["token"], after=last_seen[screens["Eli"].name], name="Eli again"),
        "app": group.live(a, circle_id, key, after=last_seen[watchers["C"].name], name="app again"),
    }
    for old, new in zip(on_c, back.values(), strict=True):
        expected = list(range(last_seen[old.name] + 1, missed_upto + 1))
        assert len(expected) >= 4, expected  # they really missed something
        assert [f["seq"] for f in new.replay] == expected, new
        assert new.online_after_replay is not None

    # C comes back on its port, serves commands and screens again, and hears what A and B commit.
    c.start()
    from_scratch = group.live(c, circle_id, key, after=0, name="app from 0")
    assert_gapless([f["seq"] for f in from_scratch.replay])
    everyone_now = [*survivors, *back.values(), from_scratch]
    step(http["C"], everyone_now, finish_as("Dee"))
    step(http["A"], everyone_now, finish_as("Eli"))

    round_ = ok(http["B"].get(f"/v1/circles/{circle_id}/rounds/{round_['id']}", headers=auth(key)))
    assert round_["status"] == "ended", round_
    order = ["Keeper", "Ana", "Ben", "Cai", "Dee", "Eli"]
    assert [t["participant_id"] for t in round_["turns"]] == [people[n]["id"] for n in order]
    assert [t["outcome"] for t in round_["turns"]] == ["spoke", "passed", "skipped", "spoke", "spoke", "spoke"]

    log = full_log(http["C"], key, circle_id)
    last = log[-1]["seq"]
    assert_gapless([e["seq"] for e in log])
    assert log[-1]["name"] == "round.ended"
    _everyone_sees(everyone_now, last)
    for client in [*survivors, from_scratch]:
        assert_saw_log(client, log, upto=last)  # in order, once each, equal to the log
    for old, new in zip(on_c, back.values(), strict=True):
        assert_exactly_once([old, new], seated + 1, last)
        _same_frames([old, new], log, seated + 1, last)
    assert_exactly_once([from_scratch], 1, last)

    # Live delivery goes through the broker: far quicker than the database backstop's poll.
    assert statistics.median(latencies) < LOG_POLL_SECONDS / 4, latencies
    streams = group.redis_streams()
    assert streams and max(streams.values()) > 0, f"no stream under {group.prefix} in Redis: {streams}"

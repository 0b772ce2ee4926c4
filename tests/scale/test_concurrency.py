"""Commands that arrive at the same moment at different instances: one wins, the rest get 409
turn_not_open, and the log stays gapless 1..N with nothing done twice, seen live the same on every
instance."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import httpx
import pytest

from tests.factories import (
    create_circle,
    exactly_one_won,
    finish_open_turns,
    finisher,
    open_turn,
    seat,
    seat_many,
    start_round,
    state,
)
from tests.live.client import LiveClient, assert_gapless, assert_saw_log, full_log, seat_people, turn_events
from tests.scale.conftest import Instance, MakeCluster, race

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

Call = Callable[[httpx.Client], object]


def test_two_finishes_of_one_turn_at_two_instances_end_it_once(cluster: MakeCluster) -> None:
    a, b = group = cluster(2)
    key = group.app_key
    http = a.http()
    circle_id = create_circle(http, key)["id"]
    people = seat_people(http, key, circle_id, ("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member"))
    watchers = [group.live(i, circle_id, key, name="app") for i in group]
    round_ = start_round(http, key, circle_id, starts_with=people["Ana"]["id"])
    keeper_token = people["Keeper"]["token"]

    raced = []
    while (turn := open_turn(round_)) is not None:  # on every turn: the holder at A, another at B
        holder = next(p for p in people.values() if p["id"] == turn["participant_id"])
        other = keeper_token if holder["role"] != "keeper" else key
        first, second = (a, b) if len(raced) % 2 == 0 else (b, a)  # who goes where alternates
        winner = exactly_one_won(
            race(
                [
                    (first, finisher(holder["token"], circle_id, turn["id"], "passed")),
                    (second, finisher(other, circle_id, turn["id"], "spoke")),
                ]
            )
        )
        raced.append(turn["id"])
        round_ = winner.json()

    log = full_log(http, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    for turn_id in raced:
        assert len(turn_events(log, "turn.ended", turn_id)) == 1
    assert [t["participant_id"] for t in round_["turns"]] == [people[n]["id"] for n in ("Ana", "Ben", "Keeper")]
    assert round_["end_reason"] == "completed"
    for watcher in watchers:
        watcher.wait_for_seq(log[-1]["seq"], timeout=10)
        assert_saw_log(watcher, log, upto=log[-1]["seq"])


def test_eight_finishes_of_one_turn_spread_over_two_instances_end_it_once(cluster: MakeCluster) -> None:
    a, b = group = cluster(2)
    key = group.app_key
    http = b.http()
    circle_id = create_circle(http, key)["id"]
    people = seat_people(http, key, circle_id, ("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member"))
    second_keeper = seat(http, key, circle_id, "Kit", role="keeper")
    round_ = start_round(http, key, circle_id, starts_with=people["Ana"]["id"])
    turn = open_turn(round_)
    credentials = [people["Ana"]["token"], people["Keeper"]["token"], second_keeper["token"], key] * 2
    instances = [a, b] * 4
    calls = [(i, finisher(c, circle_id, turn["id"])) for i, c in zip(instances, credentials, strict=True)]
    winner = exactly_one_won(race(calls))

    log = full_log(http, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    assert len(turn_events(log, "turn.ended", turn["id"])) == 1
    assert len(turn_events(log, "turn.started", open_turn(winner.json())["id"])) == 1
    for instance in group:
        now = state(instance.http(), key, circle_id)
        assert now["seq"] == log[-1]["seq"] and now["turn"]["participant_id"] == people["Ben"]["id"]


def test_concurrent_joins_and_finishes_over_instances_keep_the_log_gapless(cluster: MakeCluster) -> None:
    group = cluster(3)
    key = group.app_key
    http = group[0].http()
    circle_id = create_circle(http, key)["id"]
    watchers = [group.live(i, circle_id, key, name="app") for i in group]  # from seq 0: every event
    assert all(w.from_seq == 0 for w in watchers)
    seat_people(http, key, circle_id, ("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member"))
    start_round(http, key, circle_id)
    joiners, joins_each, finishers, finishes_each = 3, 6, 3, 8

    def join(worker: int) -> Call:
        return lambda client: seat_many(client, key, circle_id, f"Joiner {worker}", joins_each)

    def finish_whatever_is_open(client: httpx.Client) -> list[int]:
        return finish_open_turns(client, key, circle_id, finishes_each)

    spread: list[tuple[Instance, Call]] = [(group[w % 3], join(w)) for w in range(joiners)]
    spread += [(group[(w + 1) % 3], finish_whatever_is_open) for w in range(finishers)]
    results = race(spread)
    join_codes = [code for codes in results[:joiners] for code in codes]  # type: ignore[attr-defined]
    finish_codes = [code for codes in results[joiners:] for code in codes]  # type: ignore[attr-defined]
    assert join_codes == [201] * joiners * joins_each
    assert set(finish_codes) <= {200, 409} and 200 in finish_codes

    log = full_log(http, key, circle_id)
    seqs = [e["seq"] for e in log]
    assert_gapless(seqs)
    for instance in group:
        assert state(instance.http(), key, circle_id)["seq"] == seqs[-1]
    assert Counter(e["name"] for e in log)["participant.joined"] == 3 + joiners * joins_each
    ended = Counter(e["data"]["turn"]["id"] for e in log if e["name"] == "turn.ended")
    assert ended and set(ended.values()) == {1}  # no turn ended twice
    assert ended.total() == finish_codes.count(200)
    started = Counter(e["data"]["turn"]["id"] for e in log if e["name"] == "turn.started")
    assert set(started.values()) == {1}

    _all_saw(watchers, log)


def _all_saw(watchers: list[LiveClient], log: list[dict[str, object]]) -> None:
    last = int(log[-1]["seq"])  # type: ignore[call-overload]
    for watcher in watchers:  # every instance's screen: the whole log, in order, once each
        watcher.wait_for_seq(last, timeout=10)
        assert [seq for seq, _ in watcher.seen()] == list(range(1, last + 1)), watcher
        assert_saw_log(watcher, log)

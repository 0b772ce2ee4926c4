"""Commands that arrive at the same moment, through a real server: one wins, the rest get 409, and the
log stays gapless with nothing done twice."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

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
from tests.live.client import (
    LiveClient,
    assert_gapless,
    assert_saw_log,
    full_log,
    seat_people,
    turn_events,
    wait_until,
)
from tests.live.conftest import Connect, Server

Call = Callable[[httpx.Client], Any]
RACE_SECONDS = 30.0


def _race(server: Server, calls: list[Call]) -> list[Any]:
    """Run each call on its own thread and connection, all released by one barrier."""
    clients = [server.http() for _ in calls]
    for client in clients:  # connect first, so the barrier releases requests, not handshakes
        assert client.get("/openapi.json").status_code == 200
    barrier = threading.Barrier(len(calls), timeout=RACE_SECONDS)

    def run(index: int) -> Any:
        barrier.wait()
        return calls[index](clients[index])

    with ThreadPoolExecutor(len(calls)) as pool:
        futures = [pool.submit(run, i) for i in range(len(calls))]
        return [future.result(timeout=RACE_SECONDS) for future in futures]


def test_the_holder_and_a_keeper_finishing_at_once_end_the_turn_once(server: Server, http: httpx.Client) -> None:
    key = server.app_key
    circle_id = create_circle(http, key)["id"]
    people = seat_people(http, key, circle_id, ("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member"))
    round_ = start_round(http, key, circle_id, starts_with=people["Ana"]["id"])
    keeper_token = people["Keeper"]["token"]

    raced = []
    while (turn := open_turn(round_)) is not None:  # race on every turn: Ana, Ben, then the keeper's own
        holder = next(p for p in people.values() if p["id"] == turn["participant_id"])
        other = keeper_token if holder["role"] != "keeper" else key
        winner = exactly_one_won(
            _race(
                server,
                [
                    finisher(holder["token"], circle_id, turn["id"], "passed"),
                    finisher(other, circle_id, turn["id"], "spoke"),
                ],
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


def test_eight_finishes_of_one_turn_at_once_end_it_once(server: Server, http: httpx.Client) -> None:
    key = server.app_key
    circle_id = create_circle(http, key)["id"]
    people = seat_people(http, key, circle_id, ("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member"))
    second_keeper = seat(http, key, circle_id, "Kit", role="keeper")
    round_ = start_round(http, key, circle_id, starts_with=people["Ana"]["id"])
    turn = open_turn(round_)
    credentials = [people["Ana"]["token"], people["Keeper"]["token"], second_keeper["token"], key] * 2
    winner = exactly_one_won(_race(server, [finisher(c, circle_id, turn["id"]) for c in credentials]))

    log = full_log(http, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    assert len(turn_events(log, "turn.ended", turn["id"])) == 1
    assert len(turn_events(log, "turn.started", open_turn(winner.json())["id"])) == 1
    now = state(http, key, circle_id)
    assert now["seq"] == log[-1]["seq"] and now["turn"]["participant_id"] == people["Ben"]["id"]


def test_many_concurrent_joins_and_finishes_keep_the_log_gapless_and_live_in_order(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id = create_circle(http, key)["id"]
    watcher = live(circle_id, key, name="app")  # from seq 0: it must see every event
    assert watcher.from_seq == 0
    seat_people(http, key, circle_id, ("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member"))
    start_round(http, key, circle_id)
    joiners, joins_each, finishers, finishes_each = 4, 6, 4, 10

    def join(worker: int) -> Callable[[httpx.Client], list[int]]:
        return lambda client: seat_many(client, key, circle_id, f"Joiner {worker}", joins_each)

    def finish_whatever_is_open(client: httpx.Client) -> list[int]:
        return finish_open_turns(client, key, circle_id, finishes_each)

    def join_the_stream(after: int | None) -> Call:
        """A screen that connects while the commands are landing (by snapshot, or resuming from `after`)."""

        def run(client: httpx.Client) -> LiveClient:
            wait_until(lambda: state(client, key, circle_id)["seq"] >= 12, timeout=10, what="the storm")
            return live(circle_id, key, after=after, name=f"late, after={after}")

        return run

    results = _race(
        server,
        [join(w) for w in range(joiners)]
        + [finish_whatever_is_open] * finishers
        + [join_the_stream(None), join_the_stream(5)],
    )
    join_codes = [code for codes in results[:joiners] for code in codes]
    finish_codes = [code for codes in results[joiners : joiners + finishers] for code in codes]
    late_watchers: list[LiveClient] = results[joiners + finishers :]
    assert join_codes == [201] * joiners * joins_each
    assert set(finish_codes) <= {200, 409} and 200 in finish_codes

    log = full_log(http, key, circle_id)
    seqs = [e["seq"] for e in log]
    assert_gapless(seqs)
    assert state(http, key, circle_id)["seq"] == seqs[-1]
    assert Counter(e["name"] for e in log)["participant.joined"] == 3 + joiners * joins_each
    ended = Counter(e["data"]["turn"]["id"] for e in log if e["name"] == "turn.ended")
    assert ended and set(ended.values()) == {1}  # no turn ended twice
    assert ended.total() == finish_codes.count(200)

    watcher.wait_for_seq(seqs[-1], timeout=10)
    assert [seq for seq, _ in watcher.seen()] == seqs
    assert_saw_log(watcher, log)
    for late in late_watchers:  # caught up mid-storm, then live: nothing missed, nothing twice
        late.wait_for_seq(seqs[-1], timeout=10)
        assert_saw_log(late, log, upto=seqs[-1])
    assert late_watchers[1].from_seq == 5 and late_watchers[1].replay

"""GET /metrics through a real server: after a round played on real sockets, every counter moved by what
happened, read from the exposition with prometheus_client's own parser; the token keeps it shut; and many
circles make no new series.

Equal counts, not timings: every frame a socket received was counted as sent, every event in the log as
appended (by family), every commit as one fan-out, every REST and socket command once under its operation.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import auth, create_circle, finish, ok, open_turn, start_round
from tests.live.client import LiveClient, full_log, open_live, seat_people
from tests.live.conftest import StartServer

TOKEN = "scrape-me-0123456789"
METRICS_ENV = {
    "CIRCLES_METRICS_TOKEN": TOKEN,
    "CIRCLES_DEADLINE_SWEEP_SECONDS": "3600",  # only the timers arm deadlines: each turn.started arms one
}
FINISH = "POST /v1/circles/{circle_id}/turns/{turn_id}/finish"
UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(http: httpx.Client, token: str = TOKEN) -> Samples:
    """Every sample of the exposition: (name, labels) -> value."""
    answer = http.get("/metrics", headers=auth(token))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def settle(clients: list[LiveClient], seq: int) -> list[int]:
    """Wait until every socket has the event `seq` (so every frame sent to it before that one too); how many
    messages each has received."""
    for client in clients:
        client.wait_for_seq(seq)
    return [len(client.frames) for client in clients]


def last_seq(http: httpx.Client, key: str, circle_id: str) -> int:
    return int(full_log(http, key, circle_id)[-1]["seq"])


def test_a_round_on_real_sockets_moves_each_counter_by_what_happened(start_server: StartServer) -> None:
    server = start_server(env=METRICS_ENV, clocked=True)
    http, key = server.http(), server.app_key
    circle_id = create_circle(http, key, name="Metrics")["id"]
    people = seat_people(http, key, circle_id, ("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member"))
    clients = [open_live(server.ws_url(circle_id), p["token"], name=name) for name, p in people.items()]
    try:
        for client in clients:
            for person in people.values():
                client.wait_until_online(person["id"])
        # A change everyone must see: every frame sent before it has arrived, and nothing comes unasked after.
        ok(http.patch(f"/v1/circles/{circle_id}", json={"intention": "listen"}, headers=auth(key)))
        fence = last_seq(http, key, circle_id)
        received_before = settle(clients, fence)
        before = scrape(http)

        keeper = people["Keeper"]["token"]
        round_ = start_round(http, keeper, circle_id, turn_seconds=30, time_limit="hard")
        first = open_turn(round_)
        assert first is not None
        ok(finish(http, keeper, circle_id, first["id"]))
        second = clients[0].wait_for_event("turn.started", where=lambda f: f["data"]["turn"]["id"] != first["id"])
        command = {"type": "command", "id": "m-1", "name": "finish_turn", "turn_id": second["data"]["turn"]["id"]}
        clients[1].send({**command, "outcome": "spoke"})  # Ana's own turn, finished from her socket
        clients[1].wait_for(lambda f: f["type"] == "reply" and f["id"] == "m-1")
        third = clients[0].wait_for_event(
            "turn.ended", where=lambda f: f["data"]["turn"]["id"] == second["data"]["turn"]["id"]
        )
        assert third["data"]["turn"]["outcome"] == "spoke"
        ben_turn = clients[0].wait_for_event(
            "turn.started", where=lambda f: f["data"]["turn"]["participant_id"] == people["Ben"]["id"]
        )
        server.advance_to(ben_turn["data"]["turn"]["deadline"])  # Ben's hard limit passes: the timer fires
        clients[0].wait_for_event("round.ended")
        end = last_seq(http, key, circle_id)
        received_after = settle(clients, end)
        after = scrape(http)
    finally:
        for client in clients:
            client.close()

    new_events = [e for e in full_log(http, key, circle_id) if e["seq"] > fence]
    families = Counter(str(e["name"]).partition(".")[0] for e in new_events)
    assert families["turn"] and families["round"]
    for family in ("turn", "round", "participant", "circle", "hand", "gathering"):
        assert moved(before, after, "circles_events_appended_total", family=family) == families[family], family

    assert value(after, "circles_sockets_open") == 3
    assert value(after, "circles_sockets_admitted_total") == 3
    sent = sum(received_after) - sum(received_before)
    assert sent == 3 * len(new_events) + 1  # every event to each of the three sockets, and Ana's reply
    assert moved(before, after, "circles_frames_sent_total") == sent
    assert moved(before, after, "circles_frames_dropped_total") == 0
    assert moved(before, after, "circles_slow_clients_cut_total") == 0

    # Four commits told the sockets: the round's start, two finishes (REST, then socket) and the time-out.
    assert moved(before, after, "circles_fanout_lag_seconds_count") == 4
    assert moved(before, after, "circles_command_seconds_count", transport="http", operation=FINISH) == 1
    assert moved(before, after, "circles_command_seconds_count", transport="socket", operation="finish_turn") == 1
    started = sum(1 for e in new_events if e["name"] == "turn.started")
    assert moved(before, after, "circles_deadlines_armed_total") == started == 3
    # The clock passed every deadline: each timer fired; the finished turns' found nothing to do (no commit).
    assert moved(before, after, "circles_deadlines_fired_total") == 3
    assert value(after, "circles_writer_queue_depth") == 0
    assert moved(before, after, "circles_http_responses_total", status="5xx") == 0


def test_metrics_answer_only_the_token_and_are_absent_without_it(start_server: StartServer) -> None:
    closed, guarded = start_server(), start_server(env=METRICS_ENV)
    answer = closed.http().get("/metrics", headers=auth(TOKEN))
    assert answer.status_code == 404 and answer.headers["content-type"] == "application/problem+json"
    http = guarded.http()
    for headers in ({}, auth("scrape-me-0123456788"), auth(TOKEN + "x"), {"Authorization": f"Basic {TOKEN}"}):
        refused = http.get("/metrics", headers=headers)
        assert refused.status_code == 401 and refused.json()["code"] == "unauthenticated", headers
        assert TOKEN not in refused.text
    assert scrape(http)  # the right token


def test_many_circles_make_no_new_series(start_server: StartServer) -> None:
    server = start_server(env=METRICS_ENV)
    http, key = server.http(), server.app_key

    def play_in_new_circles(count: int) -> None:
        for n in range(count):
            circle_id = create_circle(http, key, name=f"Circle {n}")["id"]
            people = seat_people(http, key, circle_id, ("Keeper", "keeper"), ("Ana", "member"))
            with open_live(server.ws_url(circle_id), people["Ana"]["token"]) as ana:
                round_ = start_round(http, people["Keeper"]["token"], circle_id, turn_seconds=30)
                turn = open_turn(round_)
                assert turn is not None
                ok(finish(http, people["Keeper"]["token"], circle_id, turn["id"]))
                ok(http.get(f"/v1/circles/{circle_id}/state", headers=auth(key)))
                ana.wait_for_event("turn.ended")

    play_in_new_circles(2)
    scrape(http)  # its own series (GET /metrics) begin once it has been answered
    series = set(scrape(http))
    play_in_new_circles(20)
    grown = scrape(http)
    assert set(grown) == series, set(grown) ^ series
    labels = [v for _name, pairs in grown for _label, v in pairs]
    assert not [v for v in labels if UUID.search(v)]
    assert value(grown, "circles_sockets_admitted_total") == 22


def test_several_worker_processes_answer_for_all_of_them(tmp_path: Path) -> None:
    """prometheus_client's multiprocess mode: with PROMETHEUS_MULTIPROC_DIR set, what two processes counted
    is what a third one's /metrics registry reads."""
    env = {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "PATH": ""}
    count = "from circles.metrics.instruments import FRAMES_SENT; FRAMES_SENT.inc(5)"
    for _ in range(2):
        subprocess.run([sys.executable, "-c", count], env=env, check=True, timeout=60)
    read = (
        "from prometheus_client import generate_latest; from circles.metrics.router import _registry;"
        "print(generate_latest(_registry()).decode())"
    )
    text = subprocess.run([sys.executable, "-c", read], env=env, check=True, timeout=60, capture_output=True, text=True)
    samples: dict[str, Any] = {
        sample.name: sample.value for family in text_string_to_metric_families(text.stdout) for sample in family.samples
    }
    assert samples["circles_frames_sent_total"] == 10

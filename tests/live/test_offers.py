"""Offer and accept through a real server: the clock starts on acceptance, a moment of silence comes
between speakers, and an offer nobody takes passes on at its deadline, fired by the server's timers.

The server runs on a clock the test moves (see `Server.advance`), so silences and offers pass when the test
says, not after a sleep; the sweep's cadence is the wall clock's, so its chances to misfire are still waited."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import httpx
import pytest

from tests.factories import auth, create_circle, finish, ok, problem, start_round
from tests.live.client import assert_gapless, assert_saw_log, full_log, seat_people, wait_until
from tests.live.conftest import SWEEP_SECONDS, Connect, Server

OFFER_SECONDS = 5  # the shortest offer the API allows
PAUSE_SECONDS = 1


@pytest.mark.clocked
def test_an_offer_is_taken_then_one_lapses_after_the_silence_and_the_piece_passes_on(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id = create_circle(http, key, name="Offers")["id"]
    people = seat_people(http, key, circle_id, ("Kim", "keeper"), ("Ana", "member"), ("Ben", "member"))
    ids = {name: p["id"] for name, p in people.items()}
    screens = {name: live(circle_id, p["token"], name=name) for name, p in people.items()}
    watch = screens["Ben"]

    def accept(name: str, turn_id: str) -> httpx.Response:
        return http.post(f"/v1/circles/{circle_id}/turns/{turn_id}/accept", headers=auth(people[name]["token"]))

    start_round(
        http,
        key,
        circle_id,
        offer_seconds=OFFER_SECONDS,
        pause_seconds=PAUSE_SECONDS,
        turn_seconds=60,
        time_limit="hard",
    )
    kim_offer = watch.wait_for_event("turn.started")["data"]["turn"]
    ok(accept("Kim", kim_offer["id"]))
    taken = watch.wait_for_event("turn.accepted")["data"]["turn"]
    assert datetime.fromisoformat(taken["deadline"]) == datetime.fromisoformat(taken["accepted_at"]) + timedelta(
        seconds=60
    )
    ok(finish(http, people["Kim"]["token"], circle_id, taken["id"]))

    # Ana is offered the piece after a moment of silence; she does not take it, and it passes on.
    ana_offer = watch.wait_for_event("turn.started")["data"]["turn"]
    assert ana_offer["participant_id"] == ids["Ana"] and ana_offer["silent_until"]
    problem(accept("Ana", ana_offer["id"]), 409, "still_silent")
    server.advance_to(ana_offer["deadline"])  # the silence passes, then the offer lapses
    lapsed = watch.wait_for_event("turn.ended")["data"]["turn"]
    assert (lapsed["id"], lapsed["outcome"]) == (ana_offer["id"], "not_taken")
    late_by = datetime.fromisoformat(lapsed["ended_at"]) - datetime.fromisoformat(ana_offer["deadline"])
    assert timedelta(0) <= late_by

    # Ben takes his offer once the silence is over, and the round completes.
    ben_offer = watch.wait_for_event("turn.started")["data"]["turn"]
    assert ben_offer["participant_id"] == ids["Ben"]
    server.advance_to(ben_offer["silent_until"])  # the moment of silence passes
    ok(accept("Ben", ben_offer["id"]))
    ok(finish(http, people["Ben"]["token"], circle_id, ben_offer["id"]))
    assert watch.wait_for_event("round.ended")["data"]["round"]["end_reason"] == "completed"

    log = full_log(http, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    assert [e["data"]["turn"]["outcome"] for e in log if e["name"] == "turn.ended"] == ["spoke", "not_taken", "spoke"]
    for screen in screens.values():
        screen.wait_for_seq(log[-1]["seq"])
        assert_saw_log(screen, log)


@pytest.mark.clocked
def test_an_offer_that_lapsed_while_the_server_was_down_passes_on_once_after_restart(
    server: Server, http: httpx.Client
) -> None:
    key = server.app_key
    circle_id = create_circle(http, key)["id"]
    people = seat_people(http, key, circle_id, ("Kim", "keeper"), ("Ana", "member"))
    round_ = start_round(http, key, circle_id, offer_seconds=OFFER_SECONDS, time_limit="soft")
    offer = round_["turns"][0]
    seq_before = ok(http.get(f"/v1/circles/{circle_id}/state", headers=auth(key)))["seq"]
    server.kill()  # at once: no chance to do anything about the offer

    lapses_in = datetime.fromisoformat(offer["deadline"]) - datetime.fromisoformat(offer["started_at"])
    assert timedelta(0) < lapses_in <= timedelta(seconds=OFFER_SECONDS)
    server.start_clock_at(offer["deadline"], past_by=0.3)  # the offer lapsed while the server was down
    server.start()

    def passed_on() -> dict | None:
        now = ok(http.get(f"/v1/circles/{circle_id}/rounds/{round_['id']}", headers=auth(key)))
        return now if now["turns"][0]["ended_at"] else None

    after = wait_until(passed_on, timeout=10, what="the lapsed offer to pass on")
    assert (after["turns"][0]["outcome"], after["turns"][1]["participant_id"]) == ("not_taken", people["Ana"]["id"])
    time.sleep(2 * SWEEP_SECONDS + 0.3)  # the sweep gets two chances to fire it a second time: it must not
    log = full_log(http, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    assert [e["name"] for e in log if e["seq"] > seq_before] == ["turn.ended", "turn.started"]

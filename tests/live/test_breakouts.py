"""A breakout through a real server and real sockets: six people in pairs, each screen learning its own group
and whose turn it is there, speakers' hard limits fired by the server's timers, and everyone back at the end.

The server runs on a clock the test moves (see `Server.advance`), so a speaker's time runs out when the test
says; the sweep's cadence is the wall clock's, so its chances to fire a deadline twice are still waited."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.factories import auth, create_circle, ok
from tests.live.client import LiveClient, assert_gapless, assert_saw_log, full_log, seat_people
from tests.live.conftest import SWEEP_SECONDS, Connect, Server
from tests.live.test_commands import command, refused, result

SECONDS_EACH = 120


def _holders(group_events: list[dict[str, Any]]) -> list[str | None]:
    return [e["data"]["group"]["holder"] for e in group_events]


@pytest.mark.clocked
def test_six_people_pair_up_speak_in_turn_time_out_once_and_come_back(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id = create_circle(http, key, name="Pairs")["id"]
    names = ["Ana", "Ben", "Cy", "Dee", "Eli", "Fay"]
    people = seat_people(http, key, circle_id, ("Kim", "keeper"), *((n, "member") for n in names), ("Wren", "witness"))
    ids = {name: p["id"] for name, p in people.items()}
    screens: dict[str, LiveClient] = {name: live(circle_id, p["token"], name=name) for name, p in people.items()}

    started = result(
        command(
            screens["Kim"],
            "start_breakout",
            seconds_each=SECONDS_EACH,
            grouping="by_seat",
            keepers_float=True,
            duration_seconds=3 * SECONDS_EACH,
        )
    )
    pairs = [g["members"] for g in started["groups"]]
    assert pairs == [[ids["Ana"], ids["Ben"]], [ids["Cy"], ids["Dee"]], [ids["Eli"], ids["Fay"]]]
    for name, screen in screens.items():
        told = screen.wait_for(lambda f: f["type"] == "event" and f["name"] == "breakout.started", anywhere=True)[
            "data"
        ]["breakout"]
        mine = [g for g in told["groups"] if ids[name] in g["members"]]
        assert len(mine) == (0 if name in ("Kim", "Wren") else 1)  # the keeper floats; witnesses listen

    # A person in one pair cannot end a turn in another, over the socket as over REST.
    cy_turn = next(t for t in started["groups"][1]["turns"] if t["position"] == 0)
    refused(
        command(screens["Ana"], "finish_breakout_turn", turn_id=cy_turn["id"], outcome="spoke"), 403, "not_your_turn"
    )
    refused(
        command(screens["Wren"], "finish_breakout_turn", turn_id=cy_turn["id"], outcome="spoke"), 403, "not_your_turn"
    )

    # Half a minute on, Ana is done early; Ben has the piece in her pair at once, for his full time.
    server.advance(30)
    ana_turn = next(t for t in started["groups"][0]["turns"] if t["position"] == 0)
    result(command(screens["Ana"], "finish_breakout_turn", turn_id=ana_turn["id"], outcome="spoke"))
    ben_start = screens["Ben"].wait_for_event(
        "breakout.turn_started", where=lambda f: f["data"]["group"]["holder"] == ids["Ben"]
    )["data"]["group"]
    ben_turn = next(t for t in ben_start["turns"] if t["participant_id"] == ids["Ben"])
    assert datetime.fromisoformat(ben_turn["deadline"]) - datetime.fromisoformat(ben_turn["started_at"]) == timedelta(
        seconds=SECONDS_EACH
    )

    # The others' time runs out: each pair swaps at its speaker's deadline, once.
    server.advance_to(cy_turn["deadline"])
    second = {
        name: screens[name].wait_for_event(
            "breakout.turn_started", where=lambda f, n=name: f["data"]["group"]["holder"] == ids[n]
        )["data"]["group"]
        for name in ("Dee", "Fay")
    }
    server.advance_to(ben_turn["deadline"])
    done = screens["Ana"].wait_for_event("breakout.group_done")["data"]["group"]
    assert done["members"] == [ids["Ana"], ids["Ben"]] and done["holder"] is None
    dee_turn = next(t for t in second["Dee"]["turns"] if t["participant_id"] == ids["Dee"])
    server.advance_to(dee_turn["deadline"])
    ended = screens["Wren"].wait_for_event("breakout.ended")["data"]["breakout"]
    assert ended["end_reason"] == "completed"
    outcomes = {t["participant_id"]: t["outcome"] for g in ended["groups"] for t in g["turns"]}
    assert outcomes == {ids[n]: ("spoke" if n == "Ana" else "timed_out") for n in names}
    for group in ended["groups"]:
        for turn in group["turns"]:
            if turn["outcome"] == "timed_out":  # exactly the time each, however late the timer ran
                assert datetime.fromisoformat(turn["ended_at"]) == datetime.fromisoformat(turn["deadline"])

    time.sleep(3 * SWEEP_SECONDS + 0.5)  # the sweeps' chances to fire a deadline again
    log = full_log(http, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    breakout_names = [e["name"] for e in log if e["name"].startswith("breakout.")]
    assert breakout_names.count("breakout.turn_ended") == 6 and breakout_names.count("breakout.ended") == 1
    for screen in screens.values():
        screen.wait_for_seq(log[-1]["seq"])
        assert_saw_log(screen, log, upto=log[-1]["seq"])
    snapshot = ok(http.get(f"/v1/circles/{circle_id}/state", headers=auth(people["Ana"]["token"])))
    assert snapshot["breakout"] is None  # back in the circle


@pytest.mark.clocked
def test_ends_at_brings_everyone_back_and_a_screen_that_reconnects_learns_its_group(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id = create_circle(http, key, name="Threes")["id"]
    people = seat_people(http, key, circle_id, *((n, "member") for n in ("Ana", "Ben", "Cy", "Dee", "Eli")))
    body = {"seconds_each": 60, "size": 3, "grouping": "by_seat", "duration_seconds": 90}
    started = ok(http.post(f"/v1/circles/{circle_id}/breakouts", json=body, headers=auth(key)), 201)
    assert sorted(len(g["members"]) for g in started["groups"]) == [2, 3]  # five people: 3 + 2, nobody alone
    late = live(circle_id, people["Eli"]["token"], name="Eli")  # connects after the start
    assert late.snapshot is not None and late.snapshot["state"]["breakout"]["id"] == started["id"]
    server.advance_to(started["ends_at"])
    ended = late.wait_for_event("breakout.ended")["data"]["breakout"]
    assert ended["end_reason"] == "time_up"
    log = full_log(http, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    assert [e["name"] for e in log].count("breakout.ended") == 1

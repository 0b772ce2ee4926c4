"""A whole circle through a real server: a keeper and three members, each with their own screen (socket).

One sequential round with pass-back and a hard 5-second limit: a pass, a hard time-out, a member who
leaves while holding the piece, a late joiner, and the pass-back offer. Every screen must see the same
events in the same order as the log.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.factories import auth, create_circle, finish, ok, open_turn, seat, start_round, state
from tests.live.client import Frame, LiveClient, assert_gapless, assert_saw_log, full_log, seat_people
from tests.live.conftest import Connect, Server

TURN_SECONDS = 5  # the shortest turn the API allows


def _turn_of(client: LiveClient, participant: dict[str, Any], timeout: float = 5.0) -> Frame:
    """Wait for `participant`'s next turn to start; its turn data."""
    started = client.wait_for_event(
        "turn.started", timeout, where=lambda f: f["data"]["turn"]["participant_id"] == participant["id"]
    )
    return started["data"]["turn"]


@pytest.mark.clocked
def test_a_whole_round_with_a_pass_a_time_out_a_leaver_a_late_joiner_and_pass_back(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id = create_circle(http, key, name="Thursday check-in")["id"]
    people = seat_people(
        http, key, circle_id, ("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member"), ("Cai", "member")
    )
    screens = {name: live(circle_id, p["token"], name=name) for name, p in people.items()}
    watch = screens["Keeper"]
    keeper_token = people["Keeper"]["token"]

    round_ = start_round(
        http,
        keeper_token,
        circle_id,
        prompt="What are you bringing today?",
        pass_back=True,
        turn_seconds=TURN_SECONDS,
        time_limit="hard",
    )
    first = open_turn(round_)
    assert first["participant_id"] == people["Keeper"]["id"] and first["deadline"]

    # The keeper speaks; Ana passes.
    ok(finish(http, keeper_token, circle_id, first["id"], "spoke"))
    ana_turn = _turn_of(watch, people["Ana"])
    ok(finish(http, people["Ana"]["token"], circle_id, ana_turn["id"], "passed"))

    # Ben holds the piece; meanwhile the keeper seats Dee, who opens a screen of her own.
    ben_turn = _turn_of(watch, people["Ben"])
    dee = seat(http, keeper_token, circle_id, "Dee")
    screens["Dee"] = live(circle_id, dee["token"], name="Dee")

    # Nobody ends Ben's turn: at its deadline (the server's clock is moved there) it ends timed_out and the
    # piece moves on to Cai.
    server.advance_to(ben_turn["deadline"])
    timed_out = watch.wait_for_event("turn.ended", where=lambda f: f["data"]["turn"]["id"] == ben_turn["id"])
    timed_out = timed_out["data"]["turn"]
    assert timed_out["outcome"] == "timed_out"
    late_by = datetime.fromisoformat(timed_out["ended_at"]) - datetime.fromisoformat(ben_turn["deadline"])
    assert timedelta(0) <= late_by < timedelta(seconds=1.5), late_by

    # Cai leaves while holding the piece: the turn ends `left`, Cai's screen is closed with 4403.
    cai_turn = _turn_of(watch, people["Cai"])
    response = http.delete(
        f"/v1/circles/{circle_id}/participants/{people['Cai']['id']}", headers=auth(people["Cai"]["token"])
    )
    assert response.status_code == 204
    assert screens["Cai"].wait_closed() == 4403
    assert screens["Cai"].events[-1]["name"] == "participant.left"
    left = watch.wait_for_event("turn.ended", where=lambda f: f["data"]["turn"]["id"] == cai_turn["id"])
    assert left["data"]["turn"]["outcome"] == "left"

    # The late joiner gets her turn; then pass-back offers Ana the piece once more.
    dee_turn = _turn_of(watch, dee)
    ok(finish(http, dee["token"], circle_id, dee_turn["id"], "spoke"))
    again = _turn_of(watch, people["Ana"])
    ok(finish(http, people["Ana"]["token"], circle_id, again["id"], "spoke"))

    for name in ("Keeper", "Ana", "Ben", "Dee"):
        ended = screens[name].wait_for_event("round.ended")
        assert ended["data"]["round"]["end_reason"] == "completed"

    # Every screen saw exactly the log, in order, for as long as it was connected.
    log = full_log(http, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    for name, screen in screens.items():
        assert_saw_log(screen, log)
        if name != "Cai":
            assert screen.seen()[-1] == (log[-1]["seq"], "round.ended"), name
    assert screens["Dee"].from_seq == next(
        e["seq"] for e in log if e["name"] == "participant.joined" and e["data"]["participant"]["id"] == dee["id"]
    )

    name_of = {p["id"]: n for n, p in {**people, "Dee": dee}.items()}
    since_start = log[next(i for i, e in enumerate(log) if e["name"] == "round.started") :]
    assert [
        (
            e["name"],
            name_of.get(
                e["data"].get("turn", {}).get("participant_id")
                or e["data"].get("participant", {}).get("id")
                or e["data"].get("participant_id")
            ),
        )
        for e in since_start
    ] == [
        ("round.started", None),
        ("turn.started", "Keeper"),
        ("turn.ended", "Keeper"),
        ("turn.started", "Ana"),
        ("turn.ended", "Ana"),
        ("turn.started", "Ben"),
        ("participant.joined", "Dee"),
        ("turn.ended", "Ben"),
        ("turn.started", "Cai"),
        ("participant.left", "Cai"),
        ("turn.ended", "Cai"),
        ("turn.started", "Dee"),
        ("turn.ended", "Dee"),
        ("turn.started", "Ana"),
        ("turn.ended", "Ana"),
        ("round.ended", None),
    ]

    final = ok(http.get(f"/v1/circles/{circle_id}/rounds/{round_['id']}", headers=auth(key)))
    assert final["status"] == "ended" and final["end_reason"] == "completed"
    assert [(name_of[t["participant_id"]], t["outcome"]) for t in final["turns"]] == [
        ("Keeper", "spoke"),
        ("Ana", "passed"),
        ("Ben", "timed_out"),
        ("Cai", "left"),
        ("Dee", "spoke"),
        ("Ana", "spoke"),
    ]
    now = state(http, key, circle_id)
    assert now["round"] is None and now["turn"] is None and now["seq"] == log[-1]["seq"]
    assert [(p["display_name"], p["online"]) for p in now["participants"]] == [
        ("Keeper", True),
        ("Ana", True),
        ("Ben", True),
        ("Dee", True),
    ]


def test_a_screen_that_drops_mid_round_catches_up_with_after_and_goes_on_live(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id = create_circle(http, key)["id"]
    people = seat_people(
        http, key, circle_id, ("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member"), ("Cai", "member")
    )
    keeper = live(circle_id, people["Keeper"]["token"], name="keeper")
    ana = live(circle_id, people["Ana"]["token"], name="ana")
    round_ = start_round(http, key, circle_id)
    ok(finish(http, people["Keeper"]["token"], circle_id, open_turn(round_)["id"]))
    ana_turn = _turn_of(ana, people["Ana"])
    ana.close()  # her connection drops while she holds the piece
    last_seen = ana.seen()[-1][0]

    ok(finish(http, people["Keeper"]["token"], circle_id, ana_turn["id"], "passed"))
    ben_turn = _turn_of(keeper, people["Ben"])
    ok(finish(http, people["Ben"]["token"], circle_id, ben_turn["id"]))
    missed = full_log(http, key, circle_id, after=last_seen)
    assert [e["name"] for e in missed] == ["turn.ended", "turn.started", "turn.ended", "turn.started"]

    back = live(circle_id, people["Ana"]["token"], after=last_seen, name="ana again")
    assert [(f["seq"], f["name"]) for f in back.replay] == [(e["seq"], e["name"]) for e in missed]
    cai_turn = missed[-1]["data"]["turn"]
    ok(finish(http, people["Cai"]["token"], circle_id, cai_turn["id"]))
    back.wait_for_event("round.ended")

    log = full_log(http, key, circle_id)
    before, after = ana.seen(), back.seen()
    assert_gapless([seq for seq, _ in before + after], ana.from_seq + 1)  # no gap, nothing twice
    assert before + after == [(e["seq"], e["name"]) for e in log if e["seq"] > ana.from_seq]
    assert_saw_log(back, log)
    assert [f["name"] for f in back.live_events] == ["turn.ended", "round.ended"]
    assert keeper.wait_for_event("round.ended")["seq"] == log[-1]["seq"]

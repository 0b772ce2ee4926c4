"""The keeper's hand through a real server, and two keepers, one of whom loses their connection.

A keeper gives the piece out of order, the other keeper speaks out of turn and the piece goes back to the
one interrupted; the first keeper's socket drops mid-round: nobody is made keeper in their place, the
other keeper goes on keeping, and the one who dropped comes back still a keeper.
"""

from __future__ import annotations

import httpx

from tests.factories import auth, create_circle, finish, ok, start_round, state
from tests.live.client import assert_gapless, assert_saw_log, full_log, seat_people, shows_presence
from tests.live.conftest import Connect, Server


def test_two_keepers_give_the_piece_speak_out_of_turn_and_one_drops_without_passing_the_role(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id = create_circle(http, key, name="Two keepers")["id"]
    people = seat_people(
        http, key, circle_id, ("Kim", "keeper"), ("Ana", "member"), ("Ben", "member"), ("Dee", "keeper")
    )
    ids = {name: p["id"] for name, p in people.items()}
    name_of = {v: k for k, v in ids.items()}
    screens = {name: live(circle_id, p["token"], name=name) for name, p in people.items()}
    watch = screens["Ana"]

    round_ = start_round(http, people["Kim"]["token"], circle_id)
    kim_turn = watch.wait_for_event("turn.started")["data"]["turn"]
    assert kim_turn["participant_id"] == ids["Kim"]

    # Kim gives the piece to Ben, out of order: Kim's turn ends skipped; Ben's counts as his.
    body = {"participant_id": ids["Ben"], "turn_id": kim_turn["id"]}
    url = f"/v1/circles/{circle_id}/rounds/{round_['id']}"
    ok(http.post(f"{url}/give", json=body, headers=auth(people["Kim"]["token"])))
    ben_turn = watch.wait_for_event("turn.started")["data"]["turn"]
    assert (ben_turn["participant_id"], ben_turn["how"]) == (ids["Ben"], "given")

    # Kim's connection drops. Presence says so; the role stays where it was, nobody else is made keeper.
    watch.wait_until_online(ids["Kim"])
    screens["Kim"].close()
    watch.wait_for(shows_presence(ids["Kim"], False), what="Kim offline")
    roles = {p["display_name"]: (p["role"], p["online"]) for p in state(http, key, circle_id)["participants"]}
    assert roles == {
        "Kim": ("keeper", False),
        "Ana": ("member", True),
        "Ben": ("member", True),
        "Dee": ("keeper", True),
    }

    # Dee, the other keeper, speaks out of turn; then Ben gets the piece back, and the round goes on.
    ok(http.post(f"{url}/out-of-turn", json={"turn_id": ben_turn["id"]}, headers=auth(people["Dee"]["token"])))
    interrupted = watch.wait_for_event("turn.ended")["data"]["turn"]
    assert (interrupted["id"], interrupted["outcome"]) == (ben_turn["id"], "interrupted")
    dee_word = watch.wait_for_event("turn.started")["data"]["turn"]
    assert (dee_word["participant_id"], dee_word["how"]) == (ids["Dee"], "out_of_turn")
    ok(finish(http, people["Dee"]["token"], circle_id, dee_word["id"]))
    back = watch.wait_for_event("turn.started")["data"]["turn"]
    assert (back["participant_id"], back["how"]) == (ids["Ben"], "given")

    # Kim comes back: still a keeper, and keeps again.
    again = live(circle_id, people["Kim"]["token"], name="Kim again")
    assert again.welcome is not None and again.welcome["role"] == "keeper"
    held = [name_of[back["participant_id"]]]
    turn = back
    while True:
        ok(finish(http, people["Kim"]["token"], circle_id, turn["id"]))
        frame = watch.wait_for(lambda f: f["type"] == "event" and f["name"] in ("turn.started", "round.ended"))
        if frame["name"] == "round.ended":
            break
        turn = frame["data"]["turn"]
        held.append(name_of[turn["participant_id"]])
    assert held == ["Ben", "Ana", "Dee"], "after Ben, the round goes on from Kim's seat; Dee is still owed"
    assert frame["data"]["round"]["end_reason"] == "completed"

    log = full_log(http, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    for screen in (screens["Ana"], screens["Ben"], screens["Dee"], again):
        screen.wait_for_seq(log[-1]["seq"])
        assert_saw_log(screen, log)

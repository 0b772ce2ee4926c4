"""Agreements through a real server: every screen sees who accepted, and who was passed over for not."""

from __future__ import annotations

import httpx

from tests.factories import auth, create_circle, finish, ok, start_round
from tests.live.client import assert_gapless, assert_saw_log, full_log, seat_people
from tests.live.conftest import Connect, Server


def test_a_member_who_has_not_accepted_is_passed_over_then_accepts_and_holds_the_piece(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id = create_circle(http, key, agreements=["What is shared here stays here"])["id"]
    people = seat_people(http, key, circle_id, ("Kim", "keeper"), ("Ana", "member"), ("Ben", "member"))
    ids = {name: p["id"] for name, p in people.items()}
    screens = {name: live(circle_id, p["token"], name=name) for name, p in people.items()}
    watch = screens["Kim"]

    def accept(name: str) -> None:
        url = f"/v1/circles/{circle_id}/participants/{ids[name]}/agreement"
        ok(http.post(url, json={"agreements_version": 1}, headers=auth(people[name]["token"])))
        frame = watch.wait_for_event("participant.agreed", where=lambda f: f["data"]["participant_id"] == ids[name])
        assert frame["data"]["agreements_version"] == 1

    accept("Kim")
    accept("Ben")
    start_round(http, people["Kim"]["token"], circle_id)
    kim_turn = watch.wait_for_event("turn.started")["data"]["turn"]
    ok(finish(http, people["Kim"]["token"], circle_id, kim_turn["id"]))
    ana = watch.wait_for_event("turn.ended", where=lambda f: f["data"]["turn"]["participant_id"] == ids["Ana"])
    assert ana["data"]["turn"]["outcome"] == "not_agreed"
    ben_turn = watch.wait_for_event("turn.started")["data"]["turn"]
    assert ben_turn["participant_id"] == ids["Ben"]

    # Ana accepts now; the next round gives her the piece in her turn.
    accept("Ana")
    ok(finish(http, people["Ben"]["token"], circle_id, ben_turn["id"]))
    watch.wait_for_event("round.ended")
    start_round(http, people["Kim"]["token"], circle_id, starts_with=ids["Ana"])
    ana_turn = watch.wait_for_event("turn.started")["data"]["turn"]
    assert ana_turn["participant_id"] == ids["Ana"]

    log = full_log(http, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    for screen in screens.values():
        screen.wait_for_seq(log[-1]["seq"])
        assert_saw_log(screen, log)

"""Agreements through a real server: every screen sees who accepted, and who was passed over for not."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.factories import auth, create_circle, finish, ok, problem, start_round
from tests.live.client import assert_gapless, assert_saw_log, full_log, seat_people
from tests.live.conftest import Connect, Server
from tests.live.test_commands import command, refused, result


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


def test_a_participant_reads_their_own_agreement_status_over_rest_and_on_their_socket(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id = create_circle(http, key, agreements=["What is shared here stays here"])["id"]
    people = seat_people(http, key, circle_id, ("Kim", "keeper"), ("Ana", "member"), ("Wes", "witness"))
    ana_url = f"/v1/circles/{circle_id}/participants/{people['Ana']['id']}"

    def read(token: str) -> dict[str, Any]:
        return ok(http.get(ana_url, headers=auth(token)))

    mine = read(people["Ana"]["token"])
    assert (mine["display_name"], mine["agreements_version"], mine["agreed_to_current"]) == ("Ana", 1, False)
    assert mine["agreed_version"] is None and mine["online"] is False
    assert read(people["Kim"]["token"]) == mine == read(key)
    for other in ("Kim", "Wes"):  # another participant may not read Ana alone (a keeper may)
        url = f"/v1/circles/{circle_id}/participants/{people[other]['id']}"
        problem(http.get(url, headers=auth(people["Ana"]["token"])), 403, "forbidden")
    problem(http.get(ana_url, headers=auth(people["Wes"]["token"])), 403, "forbidden")
    problem(
        http.get(f"/v1/circles/{circle_id}/participants/{uuid.uuid4()}", headers=auth(key)),
        404,
        "participant_not_found",
    )

    ok(http.post(f"{ana_url}/agreement", json={"agreements_version": 1}, headers=auth(people["Ana"]["token"])))
    screen = live(circle_id, people["Ana"]["token"], name="Ana")
    reply = command(screen, "get_participant", participant_id=people["Ana"]["id"])
    agreed = result(reply)
    assert (agreed["agreed_version"], agreed["agreed_to_current"], agreed["online"]) == (1, True, True)

    # The agreements change: Ana has not accepted the current version, whatever she accepted before.
    ok(http.patch(f"/v1/circles/{circle_id}", json={"agreements": ["Speak from the heart"]}, headers=auth(key)))
    changed = read(people["Ana"]["token"])
    assert (changed["agreed_version"], changed["agreements_version"], changed["agreed_to_current"]) == (1, 2, False)
    refused(command(screen, "get_participant", participant_id=people["Kim"]["id"]), 403, "forbidden")

    # A circle without agreements asks no one.
    plain = create_circle(http, key)["id"]
    ben = seat_people(http, key, plain, ("Ben", "member"))["Ben"]
    own = ok(http.get(f"/v1/circles/{plain}/participants/{ben['id']}", headers=auth(ben["token"])))
    assert (own["agreed_version"], own["agreed_to_current"]) == (None, True)

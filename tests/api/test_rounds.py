"""A sequential round through the REST API: the rules of the talking piece, as an app and its people see them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import auth, create_circle, events, finish, ok, open_turn, problem, seat, start_round, state


def _circle_of_four(client: TestClient, key: str, **circle_fields: object) -> tuple[str, dict[str, dict]]:
    circle = create_circle(client, key, **circle_fields)
    people = {
        name: seat(client, key, circle["id"], name, role=role)
        for name, role in [("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member"), ("Cai", "member")]
    }
    return circle["id"], people


def test_a_round_goes_around_in_seat_order_starting_with_the_keeper(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle_of_four(client, app_key)
    round_ = start_round(client, app_key, circle_id, prompt="How are you arriving?")
    held = []
    while (turn := open_turn(round_)) is not None:
        holder = next(p for p in people.values() if p["id"] == turn["participant_id"])
        held.append(holder["display_name"])
        round_ = ok(finish(client, holder["token"], circle_id, turn["id"]))
    assert held == ["Keeper", "Ana", "Ben", "Cai"]
    assert round_["status"] == "ended" and round_["end_reason"] == "completed"
    assert [t["outcome"] for t in round_["turns"]] == ["spoke"] * 4
    assert state(client, app_key, circle_id)["round"] is None


def test_pass_back_offers_the_piece_once_more_to_those_who_passed(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle_of_four(client, app_key)
    round_ = start_round(client, app_key, circle_id, pass_back=True)
    outcomes = {"Keeper": "spoke", "Ana": "passed", "Ben": "spoke", "Cai": "passed"}
    order = []
    while (turn := open_turn(round_)) is not None:
        name = next(n for n, p in people.items() if p["id"] == turn["participant_id"])
        order.append(name)
        outcome = outcomes[name] if order.count(name) == 1 else "passed"
        round_ = ok(finish(client, people[name]["token"], circle_id, turn["id"], outcome))
    assert order == ["Keeper", "Ana", "Ben", "Cai", "Ana", "Cai"]
    assert round_["end_reason"] == "completed"


def test_a_stale_or_repeated_finish_is_409_and_changes_nothing(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle_of_four(client, app_key)
    round_ = start_round(client, app_key, circle_id)
    first = open_turn(round_)
    ok(finish(client, app_key, circle_id, first["id"]))
    before = state(client, app_key, circle_id)
    log_before = events(client, app_key, circle_id)

    problem(finish(client, app_key, circle_id, first["id"]), 409, "turn_not_open")
    problem(finish(client, people["Keeper"]["token"], circle_id, first["id"]), 409, "turn_not_open")
    skip = client.post(f"/v1/circles/{circle_id}/turns/{first['id']}/skip", headers=auth(app_key))
    problem(skip, 409, "turn_not_open")

    after = state(client, app_key, circle_id)
    assert {**after, "server_time": None} == {**before, "server_time": None}
    assert events(client, app_key, circle_id) == log_before


def test_only_the_holder_a_keeper_or_the_app_may_end_a_turn(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle_of_four(client, app_key)
    round_ = start_round(client, app_key, circle_id, starts_with=people["Ana"]["id"])
    turn = open_turn(round_)
    assert turn["participant_id"] == people["Ana"]["id"]

    problem(finish(client, people["Ben"]["token"], circle_id, turn["id"]), 403, "not_your_turn")
    skip = client.post(f"/v1/circles/{circle_id}/turns/{turn['id']}/skip", headers=auth(people["Ana"]["token"]))
    problem(skip, 403, "keeper_only")
    assert (
        open_turn(ok(client.get(f"/v1/circles/{circle_id}/rounds/{round_['id']}", headers=auth(app_key))))["id"]
        == turn["id"]
    )

    round_ = ok(
        client.post(f"/v1/circles/{circle_id}/turns/{turn['id']}/skip", headers=auth(people["Keeper"]["token"]))
    )
    assert round_["turns"][0]["outcome"] == "skipped"
    assert open_turn(round_)["participant_id"] == people["Ben"]["id"]


def test_pause_stops_the_clock_and_resume_moves_the_deadline(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle_of_four(client, app_key, turn_seconds=60, time_limit="hard")
    round_ = start_round(client, app_key, circle_id)
    turn = open_turn(round_)
    deadline = turn["deadline"]
    paused = ok(client.post(f"/v1/circles/{circle_id}/rounds/{round_['id']}/pause", headers=auth(app_key)))
    assert paused["status"] == "paused" and paused["paused_at"]
    problem(finish(client, people["Keeper"]["token"], circle_id, turn["id"]), 409, "round_paused")
    member_pause = client.post(
        f"/v1/circles/{circle_id}/rounds/{round_['id']}/resume", headers=auth(people["Ana"]["token"])
    )
    problem(member_pause, 403, "keeper_only")
    resumed = ok(client.post(f"/v1/circles/{circle_id}/rounds/{round_['id']}/resume", headers=auth(app_key)))
    assert resumed["status"] == "active"
    assert open_turn(resumed)["deadline"] > deadline
    problem(
        client.post(f"/v1/circles/{circle_id}/rounds/{round_['id']}/resume", headers=auth(app_key)),
        409,
        "round_not_paused",
    )


def test_ending_a_round_skips_the_holder_and_allows_a_new_round(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle_of_four(client, app_key)
    round_ = start_round(client, app_key, circle_id)
    problem(client.post(f"/v1/circles/{circle_id}/rounds", json={}, headers=auth(app_key)), 409, "round_already_active")
    ended = ok(
        client.post(f"/v1/circles/{circle_id}/rounds/{round_['id']}/end", headers=auth(people["Keeper"]["token"]))
    )
    assert ended["status"] == "ended" and ended["end_reason"] == "ended"
    assert ended["turns"][-1]["outcome"] == "skipped"
    problem(
        client.post(f"/v1/circles/{circle_id}/rounds/{round_['id']}/end", headers=auth(app_key)), 409, "round_ended"
    )
    assert start_round(client, app_key, circle_id)["status"] == "active"


def test_the_holder_leaving_ends_their_turn_left_and_moves_the_piece(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle_of_four(client, app_key)
    round_ = start_round(client, app_key, circle_id, starts_with=people["Ana"]["id"])
    ana = people["Ana"]
    response = client.delete(f"/v1/circles/{circle_id}/participants/{ana['id']}", headers=auth(ana["token"]))
    assert response.status_code == 204
    round_ = ok(client.get(f"/v1/circles/{circle_id}/rounds/{round_['id']}", headers=auth(app_key)))
    assert round_["turns"][0]["outcome"] == "left"
    assert open_turn(round_)["participant_id"] == people["Ben"]["id"]
    # Their token no longer works.
    problem(client.get(f"/v1/circles/{circle_id}", headers=auth(ana["token"])), 401, "unauthenticated")


def test_a_late_joiner_gets_a_turn_before_the_round_ends(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle_of_four(client, app_key)
    round_ = start_round(client, app_key, circle_id)
    round_ = ok(finish(client, app_key, circle_id, open_turn(round_)["id"]))  # Keeper spoke; Ana holds
    late = seat(client, people["Keeper"]["token"], circle_id, "Dee", seat=0)  # sits before the keeper
    held = []
    while (turn := open_turn(round_)) is not None:
        held.append(turn["participant_id"])
        round_ = ok(finish(client, app_key, circle_id, turn["id"]))
    assert held == [people["Ana"]["id"], people["Ben"]["id"], people["Cai"]["id"], late["id"]]


def test_witnesses_never_hold_the_piece(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle_of_four(client, app_key)
    witness = seat(client, app_key, circle_id, "Wren", role="witness", seat=10)
    problem(
        client.post(f"/v1/circles/{circle_id}/rounds", json={"starts_with": witness["id"]}, headers=auth(app_key)),
        422,
        "starts_with_cannot_hold",
    )
    round_ = start_round(client, app_key, circle_id)
    while (turn := open_turn(round_)) is not None:
        assert turn["participant_id"] != witness["id"]
        round_ = ok(finish(client, app_key, circle_id, turn["id"]))
    assert len(round_["turns"]) == 4


def test_a_round_needs_someone_to_hold_the_piece(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key)
    seat(client, app_key, circle["id"], "Wren", role="witness")
    problem(client.post(f"/v1/circles/{circle['id']}/rounds", json={}, headers=auth(app_key)), 409, "no_one_to_hold")
    assert events(client, app_key, circle["id"])[-1]["name"] == "participant.joined"


def test_every_change_is_logged_with_gapless_seqs(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle_of_four(client, app_key)
    round_ = start_round(client, app_key, circle_id)
    ok(finish(client, app_key, circle_id, open_turn(round_)["id"], "passed"))
    log = events(client, app_key, circle_id)
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))
    assert [e["name"] for e in log] == [
        *["participant.joined"] * 4,
        "round.started",
        "turn.started",
        "turn.ended",
        "turn.started",
    ]
    assert log[6]["data"]["turn"]["outcome"] == "passed"
    assert state(client, app_key, circle_id)["seq"] == len(log)
    assert events(client, app_key, circle_id, after=6) == log[6:]

"""Breakouts through the REST API: grouping, the piece inside each group, who may act where, and the log."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.factories import auth, create_circle, events, ok, problem, seat, start_round, state


def _circle(client: TestClient, key: str, members: int = 6) -> tuple[str, dict[str, dict[str, Any]]]:
    circle_id = create_circle(client, key)["id"]
    people = {"Kim": seat(client, key, circle_id, "Kim", role="keeper")}
    for n in range(members):
        name = f"M{n}"
        people[name] = seat(client, key, circle_id, name)
    people["Wren"] = seat(client, key, circle_id, "Wren", role="witness")
    return circle_id, people


def _start(client: TestClient, credential: str, circle_id: str, **fields: Any) -> Any:
    body = {"seconds_each": 120, **fields}
    return client.post(f"/v1/circles/{circle_id}/breakouts", json=body, headers=auth(credential))


def _finish(client: TestClient, credential: str, circle_id: str, turn_id: str, outcome: str = "spoke") -> Any:
    url = f"/v1/circles/{circle_id}/breakout-turns/{turn_id}/finish"
    return client.post(url, json={"outcome": outcome}, headers=auth(credential))


def _open(group: dict[str, Any]) -> dict[str, Any]:
    return next(t for t in group["turns"] if t["started_at"] and not t["ended_at"])


def test_a_circle_breaks_into_pairs_speaks_in_turn_and_comes_back(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle(client, app_key)
    by_id = {p["id"]: name for name, p in people.items()}
    keeper = people["Kim"]["token"]
    breakout = ok(_start(client, keeper, circle_id, keepers_float=True, grouping="by_seat", prompt="What helps?"), 201)
    groups = breakout["groups"]
    assert [[by_id[m] for m in g["members"]] for g in groups] == [["M0", "M1"], ["M2", "M3"], ["M4", "M5"]]
    assert [by_id[g["holder"]] for g in groups] == ["M0", "M2", "M4"]
    assert breakout["ended_at"] is None and breakout["prompt"] == "What helps?"
    assert state(client, people["M3"]["token"], circle_id)["breakout"] == breakout  # every screen learns it

    for group in groups:
        for member in group["members"]:
            current = ok(client.get(f"/v1/circles/{circle_id}/breakouts/{breakout['id']}", headers=auth(app_key)))
            turn = _open(next(g for g in current["groups"] if g["id"] == group["id"]))
            assert turn["participant_id"] == member
            answer = ok(_finish(client, people[by_id[member]]["token"], circle_id, turn["id"]))
    assert answer["end_reason"] == "completed" and answer["ended_at"] is not None
    assert all(t["outcome"] == "spoke" for g in answer["groups"] for t in g["turns"])
    assert state(client, app_key, circle_id)["breakout"] is None  # back in the circle

    log = events(client, app_key, circle_id)
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))
    names = [e["name"] for e in log if e["name"].startswith("breakout.")]
    assert names[0] == "breakout.started" and names[-1] == "breakout.ended"
    assert names.count("breakout.turn_started") == 6 and names.count("breakout.turn_ended") == 6
    assert names.count("breakout.group_done") == 3
    start_round(client, app_key, circle_id)  # the circle goes on


def test_nobody_is_alone_and_witnesses_are_never_grouped(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle(client, app_key, members=4)  # Kim + 4 members: five to group
    breakout = ok(_start(client, app_key, circle_id, size=2), 201)
    sizes = sorted(len(g["members"]) for g in breakout["groups"])
    assert sizes == [2, 3]
    grouped = {m for g in breakout["groups"] for m in g["members"]}
    assert people["Wren"]["id"] not in grouped and people["Kim"]["id"] in grouped


def test_who_may_act_where(client: TestClient, app_key: str, other_app_key: str) -> None:
    circle_id, people = _circle(client, app_key, members=4)
    ids = [people[n]["id"] for n in ("M0", "M1", "M2", "M3")]
    groups = [[ids[0], ids[1]], [ids[2], ids[3]]]
    problem(_start(client, people["M0"]["token"], circle_id, grouping="explicit", groups=groups), 403, "keeper_only")
    problem(_start(client, people["Wren"]["token"], circle_id, grouping="explicit", groups=groups), 403, "keeper_only")
    problem(_start(client, other_app_key, circle_id, grouping="explicit", groups=groups), 404, "circle_not_found")
    breakout = ok(_start(client, app_key, circle_id, grouping="explicit", groups=groups, keepers_float=True), 201)
    problem(_start(client, app_key, circle_id), 409, "breakout_already_active")
    problem(client.post(f"/v1/circles/{circle_id}/rounds", json={}, headers=auth(app_key)), 409, "breakout_under_way")
    group_a, group_b = breakout["groups"]
    turn_b = _open(group_b)
    # A person in group A cannot act in group B; a witness cannot act; another app does not see it.
    problem(_finish(client, people["M0"]["token"], circle_id, turn_b["id"]), 403, "not_your_turn")
    problem(_finish(client, people["M1"]["token"], circle_id, turn_b["id"]), 403, "not_your_turn")
    problem(_finish(client, people["Wren"]["token"], circle_id, turn_b["id"]), 403, "not_your_turn")
    problem(_finish(client, other_app_key, circle_id, turn_b["id"]), 404, "circle_not_found")
    url = f"/v1/circles/{circle_id}/breakouts/{breakout['id']}"
    problem(client.get(url, headers=auth(other_app_key)), 404, "circle_not_found")
    problem(client.post(f"{url}/end", headers=auth(people["M0"]["token"])), 403, "keeper_only")
    problem(client.post(f"{url}/end", headers=auth(people["Wren"]["token"])), 403, "keeper_only")
    ref = f"/v1/circles/{circle_id}/breakout-groups/{group_a['id']}"
    problem(client.patch(ref, json={"external_ref": "room-1"}, headers=auth(people["Kim"]["token"])), 403, "app_only")
    problem(client.patch(ref, json={"external_ref": "room-1"}, headers=auth(other_app_key)), 404, "circle_not_found")
    other_circle = create_circle(client, app_key)["id"]
    problem(_finish(client, app_key, other_circle, turn_b["id"]), 404, "breakout_turn_not_found")

    # The holder in B ends their own turn; the app names group A's room; the keeper brings everyone back.
    moved = ok(_finish(client, people["M2"]["token"], circle_id, turn_b["id"], "passed"))
    assert moved["groups"][1]["holder"] == ids[3]
    named = ok(client.patch(ref, json={"external_ref": "room-1"}, headers=auth(app_key)))
    assert named["groups"][0]["external_ref"] == "room-1"
    ended = ok(client.post(f"{url}/end", headers=auth(people["Kim"]["token"])))
    assert ended["end_reason"] == "ended"
    assert [t["outcome"] for t in ended["groups"][1]["turns"]] == ["passed", "ended"]
    problem(_finish(client, people["M3"]["token"], circle_id, _open(moved["groups"][1])["id"]), 409, "breakout_ended")
    problem(client.post(f"{url}/end", headers=auth(app_key)), 409, "breakout_ended")
    log = events(client, app_key, circle_id)
    updated = next(e for e in log if e["name"] == "breakout.group_updated")
    assert updated["data"]["group"]["external_ref"] == "room-1"
    assert log[-1]["name"] == "breakout.ended"


def test_grouping_is_checked(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle(client, app_key, members=3)
    ids = [people[n]["id"] for n in ("M0", "M1", "M2")]
    problem(_start(client, app_key, circle_id, grouping="explicit", groups=[ids[:2]]), 422, "cannot_group")
    problem(
        _start(client, app_key, circle_id, grouping="explicit", groups=[[ids[0], people["Wren"]["id"]], ids[1:]]),
        422,
        "cannot_group",
    )
    problem(_start(client, app_key, circle_id, grouping="explicit"), 422, "bad_breakout_clock")
    problem(_start(client, app_key, circle_id, size=4), 422, "validation_error")
    problem(_start(client, app_key, circle_id, seconds_each=5), 422, "validation_error")
    problem(_start(client, app_key, circle_id, ends_at="2001-01-01T00:00:00Z"), 422, "bad_breakout_clock")
    lonely = create_circle(client, app_key)["id"]
    seat(client, app_key, lonely, "Solo")
    problem(_start(client, app_key, lonely), 422, "cannot_group")
    ok(client.post(f"/v1/circles/{circle_id}/close", headers=auth(app_key)))
    problem(_start(client, app_key, circle_id), 409, "circle_closed")


def test_closing_the_circle_brings_everyone_back(client: TestClient, app_key: str) -> None:
    circle_id, _ = _circle(client, app_key, members=2)
    breakout = ok(_start(client, app_key, circle_id, duration_seconds=600), 201)
    assert breakout["ends_at"] is not None
    ok(client.post(f"/v1/circles/{circle_id}/close", headers=auth(app_key)))
    ended = ok(client.get(f"/v1/circles/{circle_id}/breakouts/{breakout['id']}", headers=auth(app_key)))
    assert ended["end_reason"] == "circle_closed"
    assert [e["name"] for e in events(client, app_key, circle_id)][-2:] == ["breakout.ended", "circle.closed"]


def test_one_who_leaves_is_done_in_their_pair_their_partner_moves_and_erasing_the_circle_erases_it(
    client: TestClient, app_key: str, database_url: str
) -> None:
    circle_id, people = _circle(client, app_key, members=4)
    breakout = ok(_start(client, app_key, circle_id, grouping="by_seat", keepers_float=True), 201)
    first, second = breakout["groups"]
    leaver, partner = people["M0"], people["M1"]
    seen = len(events(client, app_key, circle_id))
    url = f"/v1/circles/{circle_id}/participants/{leaver['id']}"
    assert client.delete(url, headers=auth(leaver["token"])).status_code == 204
    # M1 would be alone in the pair: they join the other pair, at the end, and speak there in their turn.
    kept = ok(client.get(f"/v1/circles/{circle_id}/breakouts/{breakout['id']}", headers=auth(partner["token"])))
    pair, three = kept["groups"]
    assert pair["members"] == [leaver["id"], partner["id"]]  # their places in the pair stay, under ids
    assert [t["outcome"] for t in pair["turns"]] == ["left", "moved"] and pair["done_at"] is not None
    assert pair["holder"] is None
    assert three["members"] == [people["M2"]["id"], people["M3"]["id"], partner["id"]]
    assert [t["outcome"] for t in three["turns"]] == [None, None, None] and three["holder"] == people["M2"]["id"]
    assert three["turns"][2]["position"] == 2 and kept["ended_at"] is None
    assert state(client, partner["token"], circle_id)["breakout"] == kept  # the snapshot says the same
    # Every screen learns it from the log: both groups updated, then the pair done.
    log = [e for e in events(client, app_key, circle_id)[seen:] if e["name"].startswith("breakout.")]
    assert [(e["name"], e["data"]["group"]["id"]) for e in log] == [
        ("breakout.turn_ended", first["id"]),
        ("breakout.group_updated", first["id"]),
        ("breakout.group_updated", second["id"]),
        ("breakout.group_done", first["id"]),
    ]
    assert log[2]["data"]["group"] == three
    # Made a witness, M3 is done in their group too, before their turn came; M2 and M1 are still two.
    m3 = f"/v1/circles/{circle_id}/participants/{people['M3']['id']}"
    ok(client.patch(m3, json={"role": "witness"}, headers=auth(app_key)))
    later = ok(client.get(f"/v1/circles/{circle_id}/breakouts/{breakout['id']}", headers=auth(app_key)))
    assert [t["outcome"] for t in later["groups"][1]["turns"]] == [None, "left", None]
    assert later["groups"][1]["holder"] == people["M2"]["id"]
    names = [e["name"] for e in events(client, app_key, circle_id)]
    assert names[-2:] == ["participant.updated", "breakout.turn_ended"]
    # M2 speaks, then the piece comes to M1 in their new group, for the same time.
    turn = _open(later["groups"][1])
    after = ok(_finish(client, people["M2"]["token"], circle_id, turn["id"]))
    moved = _open(after["groups"][1])
    assert moved["participant_id"] == partner["id"]
    ok(_finish(client, partner["token"], circle_id, moved["id"]))
    done = ok(client.get(f"/v1/circles/{circle_id}/breakouts/{breakout['id']}", headers=auth(app_key)))
    assert done["end_reason"] == "completed"
    assert client.delete(f"/v1/circles/{circle_id}", headers=auth(app_key)).status_code == 204
    problem(
        client.get(f"/v1/circles/{circle_id}/breakouts/{breakout['id']}", headers=auth(app_key)),
        404,
        "circle_not_found",
    )
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            for table in ("breakout", "breakout_group", "breakout_turn"):
                query = sa.text(f"SELECT count(*) FROM {table} WHERE circle_id = :c").bindparams(
                    sa.bindparam("c", type_=sa.Uuid)
                )
                assert connection.execute(query, {"c": uuid.UUID(circle_id)}).scalar_one() == 0, table
    finally:
        engine.dispose()

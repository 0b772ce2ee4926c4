"""Commands over the live socket, through a real server and real sockets: every REST command works the same
way on the socket, with the same authorization and the same 409s, and every reply carries the command's id."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import sqlalchemy as sa

from tests.factories import auth, create_circle, events, ok, state
from tests.live.client import LiveClient, assert_gapless, full_log, seat_people
from tests.live.conftest import Connect, Server

People = dict[str, dict[str, Any]]
_ids = itertools.count(1)


def command(client: LiveClient, name: str, **arguments: Any) -> dict[str, Any]:
    """Send one command and return its reply (the first reply frame naming its id)."""
    command_id = f"c-{next(_ids)}"
    client.send({"type": "command", "id": command_id, "name": name, **arguments})
    return client.wait_for(lambda f: f["type"] == "reply" and f["id"] == command_id, what=f"reply to {name}")


def result(reply: dict[str, Any]) -> Any:
    assert reply["ok"] is True and reply["error"] is None, reply
    return reply["result"]


def refused(reply: dict[str, Any], status: int, code: str) -> dict[str, Any]:
    assert reply["ok"] is False and reply["result"] is None, reply
    assert reply["error"]["status"] == status and reply["error"]["code"] == code, reply
    assert reply["error"]["type"] == f"urn:circles:problem:{code}"
    return reply["error"]


def _circle(http: httpx.Client, key: str) -> tuple[str, People]:
    circle = create_circle(http, key)
    people = seat_people(http, key, circle["id"], ("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member"))
    return circle["id"], people


def test_every_command_works_on_the_keepers_socket_and_is_seen_by_everyone(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id, people = _circle(http, key)
    keeper = live(circle_id, people["Keeper"]["token"], name="keeper")
    ana = live(circle_id, people["Ana"]["token"], name="ana")

    assert result(command(keeper, "get_circle"))["id"] == circle_id
    assert result(command(keeper, "get_state"))["seq"] == 3
    changed = result(command(keeper, "update_circle", intention="To listen", agreements=["Speak from the heart"]))
    assert changed["intention"] == "To listen"
    # An argument named like a frame field (the circle's `name`) travels in `args`.
    assert result(command(keeper, "update_circle", args={"name": "Thursday circle"}))["name"] == "Thursday circle"
    assert ana.wait_for_event("circle.updated")["data"]["circle"]["agreements"] == ["Speak from the heart"]
    # Only those who accepted the agreements are given the piece: each accepts for themselves.
    version = changed["agreements_version"]
    accepted = command(keeper, "accept_agreements", participant_id=people["Keeper"]["id"], agreements_version=version)
    assert result(accepted)["agreed_version"] == version
    for person in ("Ana", "Ben"):
        accepts = f"/v1/circles/{circle_id}/participants/{people[person]['id']}/agreement"
        ok(http.post(accepts, json={"agreements_version": version}, headers=auth(people[person]["token"])))

    cai = result(command(keeper, "seat_participant", display_name="Cai", seat=7))
    assert cai["seat"] == 7 and cai["token"].startswith("cpt_") and cai["online"] is False
    names = [p["display_name"] for p in result(command(keeper, "list_participants", limit=10))["items"]]
    assert names == ["Keeper", "Ana", "Ben", "Cai"]
    moved = result(command(keeper, "update_participant", participant_id=cai["id"], seat=9))
    assert moved["seat"] == 9
    renewed = result(command(keeper, "renew_token", participant_id=cai["id"]))
    assert renewed["token"] != cai["token"]
    assert http.get(f"/v1/circles/{circle_id}", headers=auth(cai["token"])).status_code == 401
    assert result(command(keeper, "remove_participant", participant_id=cai["id"])) is None
    ana.wait_for_event("participant.left", where=lambda f: f["data"]["participant_id"] == cai["id"])

    round_ = result(command(keeper, "start_round", prompt="How are you arriving?", turn_seconds=60))
    assert round_["status"] == "active" and round_["prompt"] == "How are you arriving?"
    first = round_["turns"][0]
    assert first["participant_id"] == people["Keeper"]["id"]
    assert result(command(keeper, "get_round", round_id=round_["id"]))["turns"] == round_["turns"]
    assert result(command(keeper, "pause_round", round_id=round_["id"]))["status"] == "paused"
    assert result(command(keeper, "resume_round", round_id=round_["id"]))["status"] == "active"
    after_finish = result(command(keeper, "finish_turn", turn_id=first["id"], outcome="spoke"))
    second = after_finish["turns"][1]
    assert second["participant_id"] == people["Ana"]["id"] and second["ended_at"] is None
    ana.wait_for_event("turn.started", where=lambda f: f["data"]["turn"]["id"] == second["id"])
    after_skip = result(command(keeper, "skip_turn", turn_id=second["id"]))
    assert after_skip["turns"][1]["outcome"] == "skipped"
    ended = result(command(keeper, "end_round", round_id=round_["id"]))
    assert ended["status"] == "ended" and ended["end_reason"] == "ended"
    ana.wait_for_event("round.ended")
    airtime = result(command(keeper, "get_round_airtime", round_id=round_["id"]))
    assert airtime == ok(http.get(f"/v1/circles/{circle_id}/rounds/{round_['id']}/airtime", headers=auth(key)))
    gathering = result(command(keeper, "get_airtime", since=round_["started_at"]))
    assert [r["round_id"] for r in gathering["rounds"]] == [round_["id"]]
    refused(command(ana, "get_airtime"), 403, "keeper_only")

    # The socket's commands reached the log like REST's, gapless, and the app's audit names them.
    log = full_log(http, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    assert ana.live_events == [{"type": "event", **e} for e in log if e["seq"] > 3]
    audit = ok(http.get("/v1/app/audit", params={"limit": 200}, headers=auth(key)))["items"]
    socket_actions = {e["action"] for e in audit if e["request_id"].startswith("ws:")}
    assert socket_actions == {
        "update_circle",
        "seat_participant",
        "update_participant",
        "renew_token",
        "remove_participant",
        "accept_agreements",
        "start_round",
        "pause_round",
        "resume_round",
        "finish_turn",
        "skip_turn",
        "end_round",
    }
    assert all(e["actor_id"] == people["Keeper"]["id"] for e in audit if e["request_id"].startswith("ws:"))

    # Closing the circle by command: everyone is told and the sockets close with 4410.
    keeper.send({"type": "command", "id": "close-it", "name": "close_circle"})
    assert ana.wait_for_event("circle.closed")["data"]["circle"]["status"] == "closed"
    assert ana.wait_closed() == 4410
    assert keeper.wait_closed() == 4410
    assert ok(http.get(f"/v1/circles/{circle_id}", headers=auth(key)))["status"] == "closed"


def test_a_stale_turn_command_is_answered_409_and_changes_nothing(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id, people = _circle(http, key)
    keeper = live(circle_id, people["Keeper"]["token"], name="keeper")
    app = live(circle_id, key, name="app")
    round_ = result(command(keeper, "start_round"))
    first = round_["turns"][0]
    result(command(keeper, "finish_turn", turn_id=first["id"], outcome="spoke"))
    before = state(http, key, circle_id)

    # A second press on the same turn, from the keeper and from the app: 409, as over REST.
    error = refused(command(keeper, "finish_turn", turn_id=first["id"], outcome="spoke"), 409, "turn_not_open")
    rest = http.post(
        f"/v1/circles/{circle_id}/turns/{first['id']}/finish",
        json={"outcome": "spoke"},
        headers=auth(people["Keeper"]["token"]),
    )
    assert rest.status_code == 409 and {k: rest.json()[k] for k in error if k != "errors"} == {
        k: v for k, v in error.items() if k != "errors"
    }
    refused(command(app, "skip_turn", turn_id=first["id"]), 409, "turn_not_open")
    after = state(http, key, circle_id)
    assert after["seq"] == before["seq"] and after["turn"] == before["turn"]
    assert len(events(http, key, circle_id)) == before["seq"]


def test_a_member_may_do_only_what_a_member_may_do(server: Server, http: httpx.Client, live: Connect) -> None:
    key = server.app_key
    circle_id, people = _circle(http, key)
    ana = live(circle_id, people["Ana"]["token"], name="ana")
    ben = live(circle_id, people["Ben"]["token"], name="ben")
    seq = state(http, key, circle_id)["seq"]

    refused(command(ana, "start_round"), 403, "keeper_only")
    refused(command(ana, "update_circle", args={"name": "Mine now"}), 403, "keeper_only")
    refused(command(ana, "close_circle"), 403, "keeper_only")
    refused(command(ana, "seat_participant", display_name="Guest"), 403, "keeper_only")
    refused(command(ana, "update_participant", participant_id=people["Ben"]["id"], role="keeper"), 403, "forbidden")
    refused(command(ana, "remove_participant", participant_id=people["Ben"]["id"]), 403, "forbidden")
    assert state(http, key, circle_id)["seq"] == seq  # none of it changed anything

    # What a member may do: rename themselves, and end their own turn, but not someone else's.
    renamed = result(command(ana, "update_participant", participant_id=people["Ana"]["id"], display_name="Ana B."))
    assert renamed["display_name"] == "Ana B." and renamed["online"] is True
    round_ = ok(
        http.post(f"/v1/circles/{circle_id}/rounds", json={"starts_with": people["Ana"]["id"]}, headers=auth(key)),
        201,
    )
    turn = round_["turns"][0]
    refused(command(ben, "finish_turn", turn_id=turn["id"], outcome="spoke"), 403, "not_your_turn")
    refused(command(ben, "skip_turn", turn_id=turn["id"]), 403, "keeper_only")
    refused(command(ben, "end_round", round_id=round_["id"]), 403, "keeper_only")
    passed = result(command(ana, "finish_turn", turn_id=turn["id"], outcome="passed"))
    assert passed["turns"][0]["outcome"] == "passed"
    ben.wait_for_event("turn.started", where=lambda f: f["data"]["turn"]["participant_id"] == people["Ben"]["id"])


def test_every_reply_names_its_command_and_malformed_commands_change_nothing(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id, people = _circle(http, key)
    keeper = live(circle_id, people["Keeper"]["token"], name="keeper")
    seq = state(http, key, circle_id)["seq"]

    refused(command(keeper, "fly_away"), 422, "unknown_command")
    bad = refused(command(keeper, "finish_turn", turn_id="not-a-uuid", outcome="sang"), 422, "validation_error")
    assert {tuple(e["loc"]) for e in bad["errors"]} == {("turn_id",), ("outcome",)}
    missing = refused(command(keeper, "skip_turn"), 422, "validation_error")
    assert missing["errors"] == [
        {"field": "turn_id", "msg": "turn_id is required", "loc": ["turn_id"], "type": "missing"}
    ]
    assert missing["detail"] == "turn_id is required."
    extra = refused(command(keeper, "close_circle", now=True), 422, "validation_error")
    assert extra["errors"][0]["type"] == "extra_forbidden"
    refused(command(keeper, "start_round", kind="lottery"), 422, "validation_error")
    refused(command(keeper, "get_round", round_id="00000000-0000-4000-8000-000000000000"), 404, "round_not_found")

    # A command frame with no usable id is still answered, with a null id.
    keeper.send({"type": "command", "name": "get_circle"})
    nameless = keeper.wait_for(lambda f: f["type"] == "reply", what="reply to a command without an id")
    assert nameless["id"] is None and nameless["error"]["code"] == "validation_error"

    # Replies are matched by id, whatever order the client sent them in.
    sent = [f"batch-{n}" for n in range(5)]
    for command_id in sent:
        keeper.send({"type": "command", "id": command_id, "name": "get_state"})
    replies = [keeper.wait_for(lambda f, i=i: f["type"] == "reply" and f["id"] == i) for i in sent]
    assert [r["id"] for r in replies] == sent and all(r["ok"] for r in replies)
    assert state(http, key, circle_id)["seq"] == seq


def test_authorization_follows_the_role_as_it_is_when_the_command_runs(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    """The socket's credential is checked again for each command, and the role read then, as for REST."""
    key = server.app_key
    circle_id, people = _circle(http, key)
    ana = live(circle_id, people["Ana"]["token"], name="ana")
    refused(command(ana, "start_round"), 403, "keeper_only")
    ok(
        http.patch(
            f"/v1/circles/{circle_id}/participants/{people['Ana']['id']}", json={"role": "keeper"}, headers=auth(key)
        )
    )
    assert result(command(ana, "start_round"))["status"] == "active"


def test_the_apps_socket_may_do_what_only_the_app_may(server: Server, http: httpx.Client, live: Connect) -> None:
    key = server.app_key
    circle_id, people = _circle(http, key)
    app = live(circle_id, key, name="app")
    keeper = live(circle_id, people["Keeper"]["token"], name="keeper")
    page = result(command(app, "list_events", after=1, limit=1))
    assert [e["seq"] for e in page["items"]] == [2] and page["next_after"] == 2 and page["last_seq"] == 3
    assert result(command(keeper, "list_events"))["items"] == full_log(http, key, circle_id)

    refused(command(keeper, "erase_participant", participant_id=people["Ben"]["id"]), 403, "app_only")
    assert result(command(app, "erase_participant", participant_id=people["Ben"]["id"])) is None
    joined = next(
        e
        for e in full_log(http, key, circle_id)
        if e["name"] == "participant.joined" and e["data"]["participant"]["id"] == people["Ben"]["id"]
    )
    assert joined["data"]["participant"]["display_name"] == "(erased)"

    refused(command(keeper, "erase_circle"), 403, "app_only")
    app.send({"type": "command", "id": "erase", "name": "erase_circle"})
    assert keeper.wait_closed() == 4410
    assert http.get(f"/v1/circles/{circle_id}", headers=auth(key)).status_code == 404


def test_a_command_id_is_echoed_but_never_stored(server: Server, http: httpx.Client, live: Connect) -> None:
    """The id is the client's own text: it comes back in the reply and is kept nowhere."""
    key = server.app_key
    circle_id, people = _circle(http, key)
    keeper = live(circle_id, people["Keeper"]["token"], name="keeper")
    words = "I feel so alone today"
    keeper.send({"type": "command", "id": words, "name": "start_round"})
    reply = keeper.wait_for(lambda f: f["type"] == "reply")
    assert reply["id"] == words and reply["ok"] is True
    keeper.send({"type": "command", "id": words + "!", "name": "finish_turn", "turn_id": "x", "outcome": words})
    assert keeper.wait_for(lambda f: f["type"] == "reply")["id"] == words + "!"
    engine = sa.create_engine(server.database_url)
    try:
        with engine.connect() as connection:
            tables = [name for name in sa.inspect(connection).get_table_names() if name != "alembic_version"]
            for table in tables:
                for row in connection.execute(sa.text(f"SELECT * FROM {table}")):
                    assert words not in str(tuple(row)), table
    finally:
        engine.dispose()


def test_two_keepers_pressing_finish_at_once_on_their_sockets_end_one_turn(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id = create_circle(http, key)["id"]
    people = seat_people(http, key, circle_id, ("Kim", "keeper"), ("Kai", "keeper"), ("Ana", "member"))
    kim = live(circle_id, people["Kim"]["token"], name="kim")
    kai = live(circle_id, people["Kai"]["token"], name="kai")
    for attempt in range(3):
        round_ = result(command(kim, "start_round"))
        turn_id = round_["turns"][0]["id"]
        for client in (kim, kai):  # both sent before either is answered
            client.send({"type": "command", "id": f"race-{attempt}", "name": "skip_turn", "turn_id": turn_id})
        replies = [c.wait_for(lambda f, a=attempt: f["type"] == "reply" and f["id"] == f"race-{a}") for c in (kim, kai)]
        assert sorted(r["ok"] for r in replies) == [False, True], replies
        assert next(r for r in replies if not r["ok"])["error"]["code"] == "turn_not_open"
        round_ = result(command(kim, "get_round", round_id=round_["id"]))
        assert [t["outcome"] for t in round_["turns"]][:1] == ["skipped"] and len(round_["turns"]) == 2
        result(command(kai, "end_round", round_id=round_["id"]))

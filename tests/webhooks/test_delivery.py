"""Delivery to a real receiver: every event arrives, in order, signed; outages, hangs, 410s, rolls and replays."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from circles.db import Database, create_db_engine
from circles.retention import purge
from circles.schema import utc_now
from tests.conftest import make_settings
from tests.factories import auth, create_circle, events, finish, ok, open_turn, seat, start_round
from tests.webhook_receiver import Receiver


def register(client: TestClient, key: str, receiver: Receiver, **fields: Any) -> dict[str, Any]:
    created = ok(client.post("/v1/app/webhooks", json={"url": receiver.url, **fields}, headers=auth(key)), 201)
    receiver.secrets.append(created["secret"])
    return created


def a_round(client: TestClient, key: str, people: int = 3) -> str:
    """A circle with `people` seated and a round run to its end: a few dozen events."""
    circle = create_circle(client, key)
    for index in range(people):
        seat(client, key, circle["id"], f"P{index}")
    round_ = start_round(client, key, circle["id"])
    while (turn := open_turn(round_)) is not None:
        ok(finish(client, key, circle["id"], turn["id"]))
        round_ = ok(client.get(f"/v1/circles/{circle['id']}/rounds/{round_['id']}", headers=auth(key)))
    return str(circle["id"])


def logged(client: TestClient, key: str, circle_id: str) -> list[dict[str, Any]]:
    return events(client, key, circle_id)


def all_arrived(client: TestClient, key: str, circle_id: str) -> Callable[[Receiver], bool]:
    last = logged(client, key, circle_id)[-1]["seq"]
    return lambda r: (circle_id, last) in r.events()


def test_every_event_arrives_once_in_order_signed_as_the_socket_carries_it(
    client: TestClient, app_key: str, receiver: Receiver
) -> None:
    register(client, app_key, receiver)
    circle_id = a_round(client, app_key)
    receiver.wait_for(all_arrived(client, app_key, circle_id))

    log = logged(client, app_key, circle_id)
    assert [seq for _, seq in receiver.events()] == [e["seq"] for e in log]  # each once, in seq order
    for delivery, event in zip(receiver.accepted(), log, strict=True):
        assert delivery.verified_by == tuple(receiver.secrets)  # signed with standardwebhooks
        assert delivery.body == {"type": "event", "circle_id": circle_id, **event}  # the socket's event, and its circle
        assert delivery.headers["content-type"] == "application/json"
        assert delivery.headers["webhook-id"] == f"msg_{circle_id.replace('-', '')}_{event['seq']}"
        assert delivery.headers["webhook-timestamp"].isdigit()


def test_an_endpoint_gets_only_what_it_asks_for_and_support_only_by_name(
    client: TestClient, app_key: str, receiver: Receiver
) -> None:
    everything = register(client, app_key, receiver)
    chosen = register(client, app_key, receiver, events=["support.requested", "participant.joined"])
    circle = create_circle(client, app_key)
    member = seat(client, app_key, circle["id"], "Ana")
    asked = ok(client.post(f"/v1/circles/{circle['id']}/support", headers=auth(member["token"])), 201)
    seat(client, app_key, circle["id"], "Bo")

    def by_name(r: Receiver) -> Counter[str]:
        return Counter(d.body["name"] for d in r.accepted())

    receiver.wait_for(lambda r: by_name(r)["participant.joined"] == 4 and by_name(r)["support.requested"] == 1)
    support = [d for d in receiver.accepted() if d.body["name"] == "support.requested"]
    assert support[0].body["type"] == "notice" and support[0].body["seq"] is None
    assert support[0].body["data"] == {"signal_id": asked["id"], "participant_id": member["id"]}
    assert support[0].verified_by == (chosen["secret"],)  # to the endpoint that named it, and no other
    assert "circle.updated" not in by_name(receiver)
    joined_everything = [d for d in receiver.accepted() if everything["secret"] in d.verified_by]
    assert {d.body["name"] for d in joined_everything} == {"participant.joined"}


def test_a_receiver_down_for_a_while_gets_everything_once_it_is_back(
    client: TestClient, app_key: str, receiver: Receiver
) -> None:
    endpoint = register(client, app_key, receiver)
    receiver.mode = "fail"
    circle_id = a_round(client, app_key)
    receiver.wait_for(lambda r: len(r.deliveries) >= 4)  # the first event, tried and tried again
    failing = ok(client.get(f"/v1/app/webhooks/{endpoint['id']}", headers=auth(app_key)))
    assert failing["enabled"] and failing["failing_since"] is not None
    attempts = ok(client.get(f"/v1/app/webhooks/{endpoint['id']}/attempts", headers=auth(app_key)))["items"]
    assert attempts[0]["status_code"] == 500 and attempts[0]["error"] == "the receiver answered 500"
    assert set(attempts[0]) == {
        "id",
        "at",
        "message_id",
        "name",
        "circle_id",
        "seq",
        "status_code",
        "duration_ms",
        "error",
    }

    receiver.mode = "ok"
    receiver.wait_for(all_arrived(client, app_key, circle_id))
    assert [seq for _, seq in receiver.events()] == [e["seq"] for e in logged(client, app_key, circle_id)]
    healthy = ok(client.get(f"/v1/app/webhooks/{endpoint['id']}", headers=auth(app_key)))
    assert healthy["failing_since"] is None and healthy["next_attempt_at"] is None


def test_a_receiver_that_hangs_is_a_failed_try_and_does_not_slow_the_api(
    start_client: Callable[..., TestClient], app_key: str, receiver: Receiver
) -> None:
    client = start_client(webhooks_timeout_seconds=0.5)
    endpoint = register(client, app_key, receiver)
    receiver.mode = "hang"
    circle = create_circle(client, app_key)
    seat(client, app_key, circle["id"], "First")
    receiver.wait_for(lambda r: len(r.deliveries) >= 1)
    for index in range(19):  # the API answers while a delivery waits on the hung receiver
        seat(client, app_key, circle["id"], f"P{index}")
    attempts_path = f"/v1/app/webhooks/{endpoint['id']}/attempts"
    receiver.wait_for(lambda r: len(ok(client.get(attempts_path, headers=auth(app_key)))["items"]) >= 1)
    attempt = ok(client.get(attempts_path, headers=auth(app_key)))["items"][-1]
    assert attempt["status_code"] is None and attempt["error"] == "no answer within 0.5 s"
    receiver.mode = "ok"
    receiver.wait_for(all_arrived(client, app_key, circle["id"]))
    assert [seq for _, seq in receiver.events()] == list(range(1, 21))


def test_a_410_disables_the_endpoint_at_once_and_the_apps_other_endpoints_are_told(
    client: TestClient, app_key: str, receiver: Receiver
) -> None:
    gone = register(client, app_key, receiver, events=["participant.joined"])
    other = register(client, app_key, receiver, events=["endpoint.disabled"])
    receiver.mode = "gone"
    circle = create_circle(client, app_key)
    seat(client, app_key, circle["id"], "Ana")
    receiver.wait_for(lambda r: any(d.answered == 410 for d in r.deliveries))
    receiver.mode = "ok"
    receiver.wait_for(lambda r: any(d.body["name"] == "endpoint.disabled" for d in r.accepted()))
    notice = next(d for d in receiver.accepted() if d.body["name"] == "endpoint.disabled")
    assert notice.verified_by == (other["secret"],)
    assert notice.body["data"] == {"endpoint_id": gone["id"], "url": receiver.url, "reason": "gone"}
    disabled = ok(client.get(f"/v1/app/webhooks/{gone['id']}", headers=auth(app_key)))
    assert disabled["enabled"] is False and disabled["disabled_reason"] == "gone"
    assert len([d for d in receiver.deliveries if d.answered == 410]) == 1  # never tried again
    audit = ok(client.get("/v1/app/audit", headers=auth(app_key)))["items"]
    assert any(e["action"] == "disable_webhook_gone" and e["object_id"] == gone["id"] for e in audit)

    # Enabled again, it goes on from the last event it acknowledged: the one it refused.
    ok(client.patch(f"/v1/app/webhooks/{gone['id']}", json={"enabled": True}, headers=auth(app_key)))
    receiver.wait_for(lambda r: any(d.body["name"] == "participant.joined" for d in r.accepted()))


def test_a_day_of_failures_disables_the_endpoint(
    start_client: Callable[..., TestClient], app_key: str, receiver: Receiver
) -> None:
    client = start_client(webhooks_give_up_seconds=0.5)
    failing = register(client, app_key, receiver)
    receiver.mode = "fail"
    seat(client, app_key, create_circle(client, app_key)["id"], "Ana")
    path = f"/v1/app/webhooks/{failing['id']}"
    receiver.wait_for(lambda r: ok(client.get(path, headers=auth(app_key)))["enabled"] is False)
    assert ok(client.get(path, headers=auth(app_key)))["disabled_reason"] == "failing"
    tries = len(receiver.deliveries)
    assert tries >= 2
    audit = ok(client.get("/v1/app/audit", headers=auth(app_key)))["items"]
    assert any(e["action"] == "disable_webhook_failing" and e["actor"] == "webhooks" for e in audit)


def test_a_secret_roll_loses_nothing_and_both_secrets_sign_meanwhile(
    client: TestClient, app_key: str, receiver: Receiver
) -> None:
    endpoint = register(client, app_key, receiver)
    old = receiver.secrets[0]
    circle = create_circle(client, app_key)
    seat(client, app_key, circle["id"], "Before")
    receiver.wait_for(lambda r: len(r.events()) == 1)

    rolled = ok(client.post(f"/v1/app/webhooks/{endpoint['id']}/secret", headers=auth(app_key)))
    new = rolled["secret"]
    assert new.startswith("whsec_") and new != old
    receiver.secrets.append(new)
    for index in range(5):
        seat(client, app_key, circle["id"], f"During {index}")
    receiver.wait_for(lambda r: len(r.events()) == 6)
    receiver.secrets.remove(old)  # the receiver moves to the new secret at once
    seat(client, app_key, circle["id"], "After")
    receiver.wait_for(lambda r: len(r.events()) == 7)

    accepted = receiver.accepted()
    assert [d.body["seq"] for d in accepted] == list(range(1, 8))
    assert accepted[0].verified_by == (old,)
    assert all(set(d.verified_by) == {old, new} for d in accepted[1:6])  # two signatures in one header
    assert accepted[6].verified_by == (new,)
    assert len(accepted[3].headers["webhook-signature"].split(" ")) == 2


def test_replay_sends_a_circles_events_again_in_order(client: TestClient, app_key: str, receiver: Receiver) -> None:
    endpoint = register(client, app_key, receiver)
    circle = create_circle(client, app_key)
    for index in range(4):
        seat(client, app_key, circle["id"], f"P{index}")
    receiver.wait_for(lambda r: len(r.events()) == 4)
    replayed = ok(
        client.post(
            f"/v1/app/webhooks/{endpoint['id']}/replay",
            params={"circle_id": circle["id"], "after": 1},
            headers=auth(app_key),
        )
    )
    assert replayed == {"circle_id": circle["id"], "after": 1, "pending": 3}
    receiver.wait_for(lambda r: len(r.events()) == 7)
    assert [seq for _, seq in receiver.events()] == [1, 2, 3, 4, 2, 3, 4]
    first, again = receiver.accepted()[1], receiver.accepted()[4]
    assert first.message_id == again.message_id  # the same message: a receiver that keeps ids drops it


def test_a_test_message_is_sent_signed(client: TestClient, app_key: str, receiver: Receiver) -> None:
    endpoint = register(client, app_key, receiver, events=["round.started"])
    sent = ok(client.post(f"/v1/app/webhooks/{endpoint['id']}/test", headers=auth(app_key)), 202)
    receiver.wait_for(lambda r: len(r.accepted()) == 1)
    delivery = receiver.accepted()[0]
    assert delivery.message_id == sent["message_id"]
    assert delivery.verified_by == (endpoint["secret"],)
    assert delivery.body["name"] == "webhook.test" and delivery.body["data"] == {"endpoint_id": endpoint["id"]}
    assert delivery.body["circle_id"] is None and delivery.body["seq"] is None
    path = f"/v1/app/webhooks/{endpoint['id']}/attempts"
    receiver.wait_for(lambda r: len(ok(client.get(path, headers=auth(app_key)))["items"]) == 1)  # recorded after
    attempts = ok(client.get(path, headers=auth(app_key)))["items"]
    assert attempts[0]["status_code"] == 204 and attempts[0]["error"] is None


def test_an_endpoint_is_sent_what_happens_after_it_was_registered(
    client: TestClient, app_key: str, receiver: Receiver
) -> None:
    circle = create_circle(client, app_key)
    seat(client, app_key, circle["id"], "Before")
    register(client, app_key, receiver)
    seat(client, app_key, circle["id"], "After")
    receiver.wait_for(lambda r: len(r.events()) == 1)
    assert receiver.events() == [(circle["id"], 2)]


def test_a_request_for_support_not_yet_sent_is_dropped_when_its_participant_is_erased(
    start_client: Callable[..., TestClient], app_key: str, receiver: Receiver
) -> None:
    holding = start_client(webhooks_deliver=False)  # an instance that delivers nothing: the messages wait
    endpoint = register(holding, app_key, receiver, events=["support.requested"])
    circle = create_circle(holding, app_key)
    erased, kept = (seat(holding, app_key, circle["id"], name) for name in ("Ana", "Bo"))
    for person in (erased, kept):
        ok(holding.post(f"/v1/circles/{circle['id']}/support", headers=auth(person["token"])), 201)
    erase = f"/v1/circles/{circle['id']}/participants/{erased['id']}/erase"
    assert holding.post(erase, headers=auth(app_key)).status_code == 204

    delivering = start_client()
    ok(delivering.post(f"/v1/app/webhooks/{endpoint['id']}/test", headers=auth(app_key)), 202)
    receiver.wait_for(lambda r: any(d.body["name"] == "webhook.test" for d in r.accepted()))  # sent after the rest
    support = [d.body["data"]["participant_id"] for d in receiver.accepted() if d.body["name"] == "support.requested"]
    assert support == [kept["id"]]


def test_circles_purge_drops_attempts_past_their_retention(
    client: TestClient, app_key: str, receiver: Receiver, database_url: str
) -> None:
    endpoint = register(client, app_key, receiver)
    ok(client.post(f"/v1/app/webhooks/{endpoint['id']}/test", headers=auth(app_key)), 202)
    path = f"/v1/app/webhooks/{endpoint['id']}/attempts"
    receiver.wait_for(lambda r: len(ok(client.get(path, headers=auth(app_key)))["items"]) == 1)

    settings = make_settings(database_url)
    database = Database(create_db_engine(database_url))
    try:
        with database.write_session() as session:
            assert purge(session, settings, utc_now()).webhook_attempts == 0  # a fresh one stays
        later = utc_now() + timedelta(days=settings.webhooks_attempt_retention_days, seconds=1)
        with database.write_session() as session:
            assert purge(session, settings, later).webhook_attempts == 1
    finally:
        database.dispose()
    assert ok(client.get(path, headers=auth(app_key)))["items"] == []


def test_a_replay_in_the_middle_of_a_stream_starts_it_again_in_order(
    client: TestClient, app_key: str, receiver: Receiver
) -> None:
    endpoint = register(client, app_key, receiver)
    receiver.delay = 0.05  # a stream that takes a second, so the replay lands in it
    circle = create_circle(client, app_key)
    for index in range(20):
        seat(client, app_key, circle["id"], f"P{index}")
    receiver.wait_for(lambda r: len(r.events()) >= 5)
    replay = f"/v1/app/webhooks/{endpoint['id']}/replay"
    ok(client.post(replay, params={"circle_id": circle["id"], "after": 0}, headers=auth(app_key)))

    def restarted_and_done(r: Receiver) -> bool:
        seqs = [seq for _, seq in r.events()]
        return 1 in seqs[1:] and 20 in seqs[seqs.index(1, 1) :]

    receiver.wait_for(restarted_and_done)
    seqs = [seq for _, seq in receiver.events()]
    again = seqs.index(1, 1)
    assert seqs[:again] == list(range(1, again + 1))  # the stream as it was, up to where the replay cut in
    assert seqs[again:] == list(range(1, 21))  # then all of it again, in order, with nothing of the old plan

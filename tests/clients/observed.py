"""What each client library saw of a circle, held against the circle's event log.

A round is driven through a client, and everything that observes the circle (the client's live socket, and
any other observer a test adds, such as a webhook receiver) must have seen the log itself: every event, once,
in seq order."""

from __future__ import annotations

import httpx

from tests.webhook_receiver import Receiver

Seen = list[tuple[int, str]]  # (seq, event name), in the order observed


def circle_log(http: httpx.Client, app_key: str, circle_id: str) -> Seen:
    """The circle's whole event log, read over REST by the app (page by page)."""
    log: Seen = []
    after: int | None = 0
    while after is not None:
        page = http.get(
            f"/v1/circles/{circle_id}/events",
            params={"after": after, "limit": 200},
            headers={"Authorization": f"Bearer {app_key}"},
        )
        assert page.status_code == 200, page.text
        body = page.json()
        log += [(item["seq"], item["name"]) for item in body["items"]]
        after = body["next_after"]
    return log


def assert_each_saw_the_log(log: Seen, **observers: Seen) -> None:
    """Each observer saw exactly the log: no event missed, none twice, none out of order."""
    assert [seq for seq, _ in log] == list(range(1, len(log) + 1)), log
    for observer, seen in observers.items():
        assert seen == log, f"{observer} saw {seen}, the log is {log}"


def webhook_saw(receiver: Receiver, circle_id: str, secret: str, log: Seen) -> Seen:
    """What a webhook endpoint of the app was sent of the circle, once the receiver has acknowledged as many
    messages as the log has events: each signed with the endpoint's `secret` (verified by `standardwebhooks`),
    in the order they came. Delivery is at least once, so a message sent again (the same `webhook-id`, the same
    body) counts where it first came."""

    def of_circle(seen_by: Receiver) -> list[tuple[str, bytes]]:
        return [
            (delivery.message_id, delivery.raw)
            for delivery in seen_by.accepted()
            if delivery.body["type"] == "event" and delivery.body["circle_id"] == circle_id
        ]

    receiver.wait_for(lambda seen_by: len(dict(of_circle(seen_by))) >= len(log))
    deliveries = [d for d in receiver.accepted() if d.body["type"] == "event" and d.body["circle_id"] == circle_id]
    unsigned = [d.message_id for d in deliveries if not d.signed_with(secret)]
    assert unsigned == [], f"not signed with the endpoint's secret: {unsigned}"
    first: dict[str, bytes] = {}
    seen: Seen = []
    for delivery in deliveries:
        if delivery.message_id in first:
            assert first[delivery.message_id] == delivery.raw, f"{delivery.message_id} came again, changed"
            continue
        first[delivery.message_id] = delivery.raw
        seen.append((delivery.body["seq"], delivery.body["name"]))
    return seen

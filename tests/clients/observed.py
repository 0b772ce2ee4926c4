"""What each client library saw of a circle, held against the circle's event log.

A round is driven through a client, and everything that observes the circle (the client's live socket, and
any other observer a test adds, such as a webhook receiver) must have seen the log itself: every event, once,
in seq order."""

from __future__ import annotations

import httpx

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

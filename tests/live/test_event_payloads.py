"""What a real server really sends is what the AsyncAPI document and the event registry say.

One circle's whole life through a real server process and real sockets: every frame a keeper's and a
member's screens receive, and every event in the log, is checked against the AsyncAPI document's schema
for its message and against its registered payload model; no event name is missing from the registry.
"""

from __future__ import annotations

from typing import Any

import httpx

from circles.event.payloads import EVENTS
from tests.asyncapi_validation import DocumentedFrames
from tests.factories import auth, create_circle, finish, ok, open_turn, start_round
from tests.live.client import Frame, full_log, seat_people
from tests.live.conftest import Connect, Server

TURN_SECONDS = 5  # the shortest limit a round may have; the soft deadline's turn.overtime is awaited
# The events SPEC.md names that a sequential round can cause (hands belong to open rounds).
CORE_EVENTS = {
    "circle.updated",
    "circle.closed",
    "participant.joined",
    "participant.updated",
    "participant.left",
    "round.started",
    "round.paused",
    "round.resumed",
    "round.ended",
    "turn.started",
    "turn.ended",
    "turn.overtime",
}


def _command(http: httpx.Client, key: str, path: str, **body: Any) -> Any:
    return ok(http.post(path, json=body or None, headers=auth(key)))


def test_every_frame_of_a_circles_life_is_what_the_documents_say(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id = create_circle(http, key)["id"]
    base = f"/v1/circles/{circle_id}"
    people = seat_people(http, key, circle_id, ("Kim", "keeper"), ("Ana", "member"), ("Ben", "member"))
    kim = live(circle_id, people["Kim"]["token"], name="kim")

    ok(http.patch(base, json={"intention": "To listen"}, headers=auth(key)))
    ok(http.patch(f"{base}/participants/{people['Ben']['id']}", json={"display_name": "Benji"}, headers=auth(key)))
    round_id = start_round(http, key, circle_id, prompt="How are you arriving?", turn_seconds=None)["id"]
    _command(http, key, f"{base}/rounds/{round_id}/pause")
    resumed = _command(http, key, f"{base}/rounds/{round_id}/resume")
    ok(finish(http, people["Kim"]["token"], circle_id, open_turn(resumed)["id"]))  # Ana holds the piece

    # Ana's screen drops, misses a turn.ended and a turn.started, and resumes with `after`.
    ana = live(circle_id, people["Ana"]["token"], name="ana")
    ana_last = ana.snapshot["seq"] if ana.snapshot else 0
    ana.close()
    ana_turn = open_turn(ok(http.get(f"{base}/rounds/{round_id}", headers=auth(key))))
    ok(finish(http, people["Ana"]["token"], circle_id, ana_turn["id"], "passed"))
    ana = live(circle_id, people["Ana"]["token"], after=ana_last, name="ana again")
    assert ana.online_after_replay is not None and ana.replay, "a resume replays what was missed"

    # Ben holds the piece and leaves: his turn ends `left`; everyone has had a turn, so the round ends.
    ok(http.delete(f"{base}/participants/{people['Ben']['id']}", headers=auth(key)), 204)
    kim.wait_for_event("round.ended")
    # A second round with a soft limit: its holder goes over time, is skipped, and the round is ended.
    second = start_round(http, key, circle_id, turn_seconds=TURN_SECONDS, time_limit="soft")
    kim.wait_for_event("turn.overtime", TURN_SECONDS + 5)
    _command(http, key, f"{base}/turns/{open_turn(second)['id']}/skip")
    _command(http, key, f"{base}/rounds/{second['id']}/end")
    _command(http, key, f"{base}/close")
    assert kim.wait_closed() == 4410
    assert ana.wait_closed() == 4410

    documented = DocumentedFrames()
    log = full_log(http, key, circle_id)
    frames = [*kim.frames, *ana.frames, *({"type": "event", **event} for event in log)]
    for frame in frames:
        assert documented.errors(frame) == [], frame
    emitted = {event["name"] for event in log}
    assert emitted <= set(EVENTS), f"events missing from circles.event.payloads.EVENTS: {emitted - set(EVENTS)}"
    assert emitted >= CORE_EVENTS, f"the scenario no longer causes {CORE_EVENTS - emitted}"
    for event in log:
        EVENTS[event["name"]].data.model_validate(event["data"])  # extra fields forbidden: exactly the model
    assert [f["seq"] for f in kim.events] == [e["seq"] for e in log if e["seq"] > kim.snapshot["seq"]]
    kinds = {frame["type"] for frame in kim.frames + ana.frames}
    assert kinds == {"welcome", "snapshot", "event", "presence", "audience"}  # the audience: after Ana's resume
    assert any("participants_online" in f for f in ana.frames) and any("participant_id" in f for f in kim.presence())


def test_a_frame_off_the_document_is_caught() -> None:
    """The check above can fail: a frame whose data strays from its event's schema is reported."""
    documented = DocumentedFrames()
    turn = {
        "id": "00000000-0000-4000-8000-000000000001",
        "round_id": "00000000-0000-4000-8000-000000000002",
        "participant_id": "00000000-0000-4000-8000-000000000003",
        "started_at": "2026-11-24T20:00:00Z",
        "deadline": None,
        "ended_at": None,
        "outcome": None,
        "overtime_at": None,
        "accepted_at": None,
        "silent_until": None,
        "away_until": None,
        "how": "in_turn",
    }
    at = "2026-11-24T20:00:00Z"
    good: Frame = {"type": "event", "seq": 7, "name": "turn.started", "at": at, "data": {"turn": turn}}
    assert documented.errors(good) == []
    assert documented.errors({**good, "data": {"turn": {**turn, "outcome": "mumbled"}}})
    assert documented.errors({**good, "data": {"round": turn}})
    assert documented.errors({**good, "name": "turn.wobbled"})
    assert documented.errors({"type": "presence", "participant_id": turn["id"]})  # `online` is missing

"""A small live-protocol client over websockets' sync API, and helpers for reading the event log.

Every wait is bounded: a frame that does not come in time fails the test rather than hanging it.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.factories import auth, ok, seat

Frame = dict[str, Any]
WAIT = 5.0  # seconds a test waits for a frame it expects


def shows_presence(participant_id: str, online: bool) -> Callable[[Frame], bool]:
    """A frame that tells the participant is (or is not) online: a `presence` frame naming them, or one listing
    everyone online (several changes that settled together are sent as that list: the latest state)."""

    def shows(frame: Frame) -> bool:
        if frame["type"] != "presence":
            return False
        if "participants_online" in frame:
            return (participant_id in frame["participants_online"]) is online
        return bool(frame["participant_id"] == participant_id and frame["online"] is online)

    return shows


class LiveClient:
    """One socket. Keeps every frame it received, in order; `events` are the event frames among them."""

    def __init__(self, ws: ClientConnection, name: str = "") -> None:
        self.ws = ws
        self.name = name
        self.frames: list[Frame] = []
        self.close_code: int | None = None
        self.welcome: Frame | None = None
        self.snapshot: Frame | None = None
        self.replay: list[Frame] = []
        self.online_after_replay: list[str] | None = None
        self.audience_after_replay: Frame | None = None
        self.from_seq: int | None = None  # after the catch-up, every event after this seq must follow
        self._next = 0  # frames before this index were consumed by the read/wait helpers

    @classmethod
    def connect(cls, url: str, *, origin: str | None = None, name: str = "") -> LiveClient:
        ws = connect(
            url,
            origin=origin,  # type: ignore[arg-type]
            proxy=None,
            compression=None,
            open_timeout=WAIT,
            close_timeout=2.0,
            max_queue=4096,
            legacy=True,  # a connection object now; the test closes it itself
        )
        return cls(ws, name)

    def __enter__(self) -> LiveClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"LiveClient({self.name or id(self)})"

    # -- sending ------------------------------------------------------------------------------------------
    def send(self, message: Frame | str) -> None:
        self.ws.send(message if isinstance(message, str) else json.dumps(message))

    def authenticate(self, token: str, after: int | None = None) -> None:
        message: Frame = {"type": "auth", "token": token}
        if after is not None:
            message["after"] = after
        self.send(message)

    # -- receiving ----------------------------------------------------------------------------------------
    def recv(self, timeout: float = WAIT) -> Frame:
        """The next frame. Raises TimeoutError, or ConnectionClosed (with close_code set)."""
        try:
            raw = self.ws.recv(timeout=timeout)
        except ConnectionClosed as closed:
            self.close_code = closed.rcvd.code if closed.rcvd is not None else None
            raise
        frame = json.loads(raw)
        self.frames.append(frame)
        return frame

    def expect(self, frame_type: str, timeout: float = WAIT) -> Frame:
        frame = self.recv(timeout)
        assert frame["type"] == frame_type, f"{self}: expected {frame_type}, got {frame}"
        return frame

    def read_catch_up(self, after: int | None) -> None:
        """Read the welcome, then the snapshot (no `after`) or the replay, its presence list and audience."""
        self.welcome = self.expect("welcome")
        if after is None:
            self.snapshot = self.expect("snapshot")
            self.from_seq = self.snapshot["seq"]
        else:
            while True:
                frame = self.recv()
                if frame["type"] == "snapshot":  # the log no longer holds what was missed
                    self.snapshot = frame
                    self.from_seq = frame["seq"]
                    break
                if frame["type"] == "presence":
                    assert "participants_online" in frame, f"{self}: a replay ends with the presence list: {frame}"
                    self.online_after_replay = frame["participants_online"]
                    self.audience_after_replay = self.expect("audience")
                    self.from_seq = after
                    break
                assert frame["type"] == "event", f"{self}: expected a replayed event, got {frame}"
                self.replay.append(frame)
        self._next = len(self.frames)

    def wait_for(
        self, predicate: Callable[[Frame], bool], timeout: float = WAIT, what: str = "", *, anywhere: bool = False
    ) -> Frame:
        """The first frame not yet consumed by a wait that satisfies `predicate`, receiving as needed; frames
        passed over stay in `frames` but are consumed. With `anywhere`, every frame received counts, and
        none is consumed."""
        give_up = time.monotonic() + timeout
        position = 0 if anywhere else self._next
        while True:
            while position < len(self.frames):
                frame = self.frames[position]
                position += 1
                if not anywhere:
                    self._next = position
                if predicate(frame):
                    return frame
            left = give_up - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{self}: no {what or 'matching frame'} within {timeout} s; got {self.frames}")
            try:
                self.recv(left)
            except TimeoutError:
                continue

    def wait_for_event(
        self, name: str, timeout: float = WAIT, where: Callable[[Frame], bool] = lambda frame: True
    ) -> Frame:
        return self.wait_for(
            lambda f: f["type"] == "event" and f["name"] == name and where(f), timeout, what=f"event {name}"
        )

    def wait_for_seq(self, seq: int, timeout: float = WAIT) -> None:
        """Until this client has everything up to `seq` (from its catch-up or live); consumes nothing."""
        if self.from_seq is not None and self.from_seq >= seq:
            return
        self.wait_for(lambda f: f["type"] == "event" and f["seq"] >= seq, timeout, what=f"seq {seq}", anywhere=True)

    def sees_online(self, participant_id: str) -> bool:
        """Whether this screen, from everything it was sent so far, shows the participant online."""
        online = False
        for frame in self.frames:
            if frame["type"] == "snapshot":
                online = any(p["id"] == participant_id and p["online"] for p in frame["state"]["participants"])
            elif frame["type"] == "presence" and "participants_online" in frame:
                online = participant_id in frame["participants_online"]
            elif frame["type"] == "presence" and frame["participant_id"] == participant_id:
                online = frame["online"]
        return online

    def wait_until_online(self, participant_id: str, timeout: float = WAIT) -> None:
        """Until this screen shows the participant online (presence settles before it is sent); consumes nothing."""
        give_up = time.monotonic() + timeout
        while not self.sees_online(participant_id):
            left = give_up - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{self}: {participant_id} not shown online within {timeout} s; got {self.frames}")
            with contextlib.suppress(TimeoutError):
                self.recv(left)

    def wait_closed(self, timeout: float = WAIT) -> int | None:
        """Receive (keeping frames) until the server closes the socket; returns the close code."""
        give_up = time.monotonic() + timeout
        while True:
            left = give_up - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{self}: still open after {timeout} s; got {self.frames}")
            try:
                self.recv(left)
            except TimeoutError:
                continue
            except ConnectionClosed:
                return self.close_code

    def drain(self, timeout: float) -> list[Frame]:
        """Whatever arrives within `timeout` seconds (for checking that nothing does)."""
        give_up = time.monotonic() + timeout
        got: list[Frame] = []
        while (left := give_up - time.monotonic()) > 0:
            try:
                got.append(self.recv(left))
            except TimeoutError:
                break
        return got

    def close(self) -> None:
        self.ws.close()

    # -- what was seen --------------------------------------------------------------------------------------
    @property
    def events(self) -> list[Frame]:
        """Every event frame, the replay's included, in the order received."""
        return [f for f in self.frames if f["type"] == "event"]

    @property
    def live_events(self) -> list[Frame]:
        """The event frames after the catch-up."""
        replayed = {id(f) for f in self.replay}
        return [f for f in self.events if id(f) not in replayed]

    def seen(self) -> list[tuple[int, str]]:
        return [(f["seq"], f["name"]) for f in self.events]

    def presence(self) -> list[Frame]:
        """The presence changes received since the catch-up, one frame a change: a frame listing everyone
        online (several changes settled together) counts as the changes from what this screen showed before."""
        changes: list[Frame] = []
        online: set[str] = set(self.online_after_replay or ())
        if self.snapshot is not None:
            online = {p["id"] for p in self.snapshot["state"]["participants"] if p["online"]}
        for frame in self.frames:
            if frame["type"] != "presence":
                continue
            if "participant_id" in frame:
                changes.append(frame)
                (online.add if frame["online"] else online.discard)(frame["participant_id"])
                continue
            listed = set(frame["participants_online"])
            for participant_id in sorted(listed ^ online):
                changes.append(
                    {"type": "presence", "participant_id": participant_id, "online": participant_id in listed}
                )
            online = listed
        return changes

    def audience(self) -> list[Frame]:
        """The audience frames received since the catch-up."""
        return [f for f in self.frames if f["type"] == "audience" and f is not self.audience_after_replay]


def open_live(url: str, token: str, after: int | None = None, name: str = "") -> LiveClient:
    """Connect, authenticate and read the welcome and catch-up."""
    client = LiveClient.connect(url, name=name)
    try:
        client.authenticate(token, after)
        client.read_catch_up(after)
    except BaseException:
        client.close()
        raise
    return client


def close_code_for(url: str, first_message: Frame | str | None, timeout: float = WAIT) -> int | None:
    """Open a socket, send `first_message` (or nothing), and return the code the server closes it with."""
    with LiveClient.connect(url) as client:
        if first_message is not None:
            client.send(first_message)
        return client.wait_closed(timeout)


# -- the log over REST -------------------------------------------------------------------------------------
def full_log(http: httpx.Client, credential: str, circle_id: str, after: int = 0) -> list[Frame]:
    """Every event after `after`, following the pages."""
    items: list[Frame] = []
    while True:
        page = ok(http.get(f"/v1/circles/{circle_id}/events", params={"after": after}, headers=auth(credential)))
        items += page["items"]
        if page["next_after"] is None:
            return items
        after = page["next_after"]


def assert_gapless(seqs: list[int], first: int = 1) -> None:
    assert seqs == list(range(first, first + len(seqs))), f"seqs not gapless from {first}: {seqs}"


def assert_saw_log(client: LiveClient, log: list[Frame], upto: int | None = None) -> None:
    """The client saw, in order and once each, exactly the log's events (seq, name, time and data) from
    its catch-up point up to `upto` (default: the last event it received)."""
    assert client.from_seq is not None
    seen = [{k: v for k, v in f.items() if k != "type"} for f in client.events]
    if upto is None:
        assert seen, f"{client} saw no events"
        upto = seen[-1]["seq"]
    expected = [e for e in log if client.from_seq < e["seq"] <= upto]
    assert [(e["seq"], e["name"]) for e in seen] == [(e["seq"], e["name"]) for e in expected], client
    assert seen == expected, f"{client}: the frames differ from the log"


def turn_events(log: list[Frame], name: str, turn_id: str) -> list[Frame]:
    return [e for e in log if e["name"] == name and e["data"].get("turn", {}).get("id") == turn_id]


def wait_until(condition: Callable[[], Any], timeout: float = WAIT, interval: float = 0.05, what: str = "") -> Any:
    """Poll `condition` until it returns something truthy; fail after `timeout`."""
    give_up = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > give_up:
            raise AssertionError(f"not within {timeout} s: {what or condition}")
        time.sleep(interval)


def seat_people(http: httpx.Client, key: str, circle_id: str, *people: tuple[str, str]) -> dict[str, dict[str, Any]]:
    """Seat (name, role) pairs in order; name -> the participant with its token."""
    return {name: seat(http, key, circle_id, name, role=role) for name, role in people}

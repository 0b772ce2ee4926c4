"""A circle's live socket as an async iterator (written by hand; everything else in this package is generated).

    from circles_client.live import CirclesLive

    async with CirclesLive("https://circles.example", circle_id, token, after=last_seq) as live:
        async for event in live.events():
            print(event.seq, event.name, event.data)   # each seq once, in order, across reconnects

It follows docs/protocol.md, as the circle page's circles-live.js does:
- opens `/v1/circles/{circle_id}/live` and sends the credential (a participant's token, or an app key) as the
  first message, never in the URL, with `after`: the last seq it holds;
- catches up: the server replays every event after `after`, or sends a snapshot (`Snapshot`) when it cannot
  (or when no `after` was given);
- when the socket drops or the server restarts, reconnects with capped exponential backoff and jitter, and
  resumes from the last seq it delivered; a repeat is dropped, and a gap makes it reconnect and resume, so a
  gap or a repeat never reaches your code;
- stops, raising `LiveStopped`, on the close codes that mean "not with this credential" (docs/protocol.md §5).
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

GAP_CLOSE_CODE = 4000  # ours: the client closes to resume after it saw a gap (as circles-live.js)
STOP_REASONS = {
    1007: "A frame was not valid UTF-8.",
    1008: "The server refused this connection (too many open screens or messages).",
    1009: "A message was too big.",
    4401: "This credential is not valid (unknown or revoked).",
    4403: "You are no longer seated in this circle.",
    4404: "There is no such circle, or this credential does not belong to it.",
    4410: "This circle has closed.",
}


@dataclass(frozen=True)
class Event:
    """One entry of the circle's event log (docs/protocol.md §3): the same the REST event list and webhooks carry."""

    seq: int
    name: str
    at: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Snapshot:
    """The whole circle as of `seq` (what GET /v1/circles/{id}/state answers): sent instead of a replay."""

    seq: int
    state: dict[str, Any]


@dataclass(frozen=True)
class Welcome:
    participant_id: str | None
    role: str  # keeper, member, witness, or app
    server_time: str


Frame = Event | Snapshot | Welcome | dict[str, Any]  # a dict: presence, audience, support… as sent


class LiveStopped(Exception):
    """The server closed the socket with a code after which retrying with this credential cannot help."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"{code}: {STOP_REASONS.get(code) or reason or 'closed'}")
        self.code = code
        self.reason = reason


def live_url(base_url: str, circle_id: str) -> str:
    """The circle's socket under `base_url` (http(s):// or ws(s)://, with or without a path prefix)."""
    base = base_url.rstrip("/")
    for plain, secure in (("http://", "ws://"), ("https://", "wss://")):
        if base.startswith(plain):
            base = secure + base.removeprefix(plain)
    return f"{base}/v1/circles/{quote(circle_id, safe='')}/live"


class CirclesLive:
    """The live connection to one circle, reconnecting until `close()` or a stopping close code."""

    def __init__(
        self,
        base_url: str,
        circle_id: str,
        token: str,
        *,
        after: int | None = None,
        initial_delay: float = 0.5,
        max_delay: float = 30.0,
        max_attempts: int | None = None,
        connect_options: Mapping[str, Any] | None = None,
    ) -> None:
        """`after`: the last seq you already have (stored from an earlier run), so that you get every event
        after it; None: start from a snapshot of the circle now. `max_attempts`: failed connections in a row
        before giving up (None: never). `connect_options` go to websockets' `connect` (`proxy`, `ssl`…)."""
        self.url = live_url(base_url, circle_id)
        self.last_seq = after
        self.welcome: Welcome | None = None
        self.attempt = 0  # failed connections in a row (0 while live)
        self._token = token
        self._initial_delay = initial_delay
        self._max_delay = max_delay
        self._max_attempts = max_attempts
        self._connect_options = dict(connect_options or {})
        self._socket: ClientConnection | None = None
        self._closed = False

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Stop: the iterators end (no further reconnects)."""
        self._closed = True
        if self._socket is not None:
            await self._socket.close(1000, "client stopped")

    async def events(self) -> AsyncIterator[Event]:
        """Each event once, in seq order, across reconnects (snapshots and other frames are left out)."""
        async for frame in self.frames():
            if isinstance(frame, Event):
                yield frame

    async def frames(self) -> AsyncIterator[Frame]:
        """Every frame the server sends, with events checked for order: a `Welcome` on each (re)connect, then a
        `Snapshot` or the replayed `Event`s, then live frames (events, and presence, audience, support… as
        dicts)."""
        while not self._closed:
            try:
                async with connect(self.url, open_timeout=10, **self._connect_options) as socket:
                    self._socket = socket
                    auth: dict[str, Any] = {"type": "auth", "token": self._token}
                    if self.last_seq is not None:
                        auth["after"] = self.last_seq
                    await socket.send(json.dumps(auth))
                    gap = False
                    async for message in socket:
                        frame = self._read(message)
                        if frame is None:
                            continue
                        if isinstance(frame, Event) and self._gap(frame):
                            gap = True
                            await socket.close(GAP_CLOSE_CODE, "gap in seq")  # resume from what we have
                            break
                        yield frame
                code = GAP_CLOSE_CODE if gap else socket.close_code or 1006
                reason = socket.close_reason or ""
            except ConnectionClosed as closed:
                code, reason = (closed.rcvd.code, closed.rcvd.reason) if closed.rcvd else (1006, "")
            except (OSError, InvalidHandshake, TimeoutError) as failure:
                if isinstance(failure, InvalidURI):
                    raise
                code, reason = 1006, str(failure)
            finally:
                self._socket = None
            if self._closed:
                return
            if code in STOP_REASONS or (4400 <= code <= 4499 and code != 4408):  # 4408: late auth, retry at once
                raise LiveStopped(code, reason)
            await self._wait_to_reconnect(code)

    def _read(self, message: str | bytes) -> Frame | None:
        try:
            frame = json.loads(message)
        except ValueError:
            return None
        if not isinstance(frame, dict):
            return None
        kind = frame.get("type")
        if kind == "welcome":
            self.attempt = 0
            self.welcome = Welcome(frame.get("participant_id"), str(frame.get("role")), str(frame.get("server_time")))
            return self.welcome
        if kind == "snapshot":
            self.last_seq = int(frame["seq"])
            return Snapshot(self.last_seq, frame["state"])
        if kind == "event":
            seq = int(frame["seq"])
            if self.last_seq is not None and seq <= self.last_seq:
                return None  # already delivered
            return Event(seq, str(frame["name"]), str(frame["at"]), frame.get("data") or {})
        return frame

    def _gap(self, event: Event) -> bool:
        """False, and the event is now the last one held, when it follows the last seq; True on a gap."""
        if self.last_seq is not None and event.seq != self.last_seq + 1:
            return True
        self.last_seq = event.seq
        return False

    async def _wait_to_reconnect(self, code: int) -> None:
        if code == GAP_CLOSE_CODE:
            return  # our own close, to resume at once
        self.attempt += 1
        if self._max_attempts is not None and self.attempt > self._max_attempts:
            raise LiveStopped(code, f"no connection after {self._max_attempts} attempts")
        await asyncio.sleep(self.backoff(self.attempt))

    def backoff(self, attempt: int) -> float:
        """Seconds before attempt `attempt`: exponential, capped, with "equal jitter" (half fixed, half random),
        so clients that lost the same server do not all come back at once."""
        ceiling = min(self._max_delay, self._initial_delay * 2.0 ** (attempt - 1))
        return ceiling / 2 + random.random() * ceiling / 2

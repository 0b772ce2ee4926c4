"""One live socket as the hub sees it: whose it is, the newest seq it has, and its outlet.

A socket is attached to its circle's channel before its catch-up is read, so nothing committed in between
is missed. Until the catch-up has been sent, what the hub offers is held here (up to the queue size); then
it follows: held and new frames go to the outlet, skipping any seq the catch-up already brought.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from circles.event.private_notices import PrivateNotice
from circles.live.outlet import Close, Frame, Outgoing, Outlet
from circles.live.protocol import CloseCode
from circles.metrics.instruments import FRAMES_DROPPED

__all__ = ["Close", "Connection", "Frame", "Outgoing"]


@dataclass(eq=False, slots=True)
class Connection:
    outlet: Outlet
    circle_id: uuid.UUID
    participant_id: uuid.UUID | None
    queue_size: int  # how many frames may be held while the catch-up is sent
    credential_hash: str = ""  # of the key or token it authenticated with: revoking it closes the socket
    max_wait_seconds: float = 1.5  # a frame unsent for longer than this means the client is behind
    admitted: bool = True  # False while its credential is being read (attached first, so nothing is missed)
    last_seq: int | None = None  # the newest seq this client has; set once its catch-up is sent
    closed: bool = False
    # Private notices that came while it was being admitted (whom it belongs to, and so whether they are for
    # it, is known only then), and the private frames its catch-up brought (a notice saying the same again is
    # not sent: a request for support asked for as the socket was admitted is both pending and announced).
    notices_before_admission: list[PrivateNotice] = field(default_factory=list)
    replayed: frozenset[str] = frozenset()
    _held: list[tuple[float, Outgoing]] | None = field(default_factory=list)  # None once following

    def offer(self, item: Outgoing, now: float | None = None) -> bool:
        """Take a frame without waiting. False when the client has fallen too far behind. `now` is
        time.monotonic(), read once by a caller offering one frame to many connections."""
        if self.closed:
            return True
        now = time.monotonic() if now is None else now
        if self._held is not None:
            self._held.append((now, item))
            return len(self._held) <= self.queue_size or _dropped(item)
        if isinstance(item, Close):  # after what was offered before it; at once if that cannot wait
            self.closed = True
            if not self.outlet.offer(item, now):
                self.outlet.close_soon(item.code, item.reason)
            return True
        if item.seq is not None and self.last_seq is not None:
            if item.seq <= self.last_seq:
                return True  # the client already has it from its snapshot or replay
            if item.first_seq is not None and item.first_seq <= self.last_seq:  # a batch it has the start of
                return all(self.offer(part, now) for part in item.parts)
            self.last_seq = item.seq
        elif item.seq is not None:
            self.last_seq = item.seq
        return (not self.waited_too_long(now) and self.outlet.offer(item, now)) or _dropped(item)

    def catch_up(self, frame: Frame, last_seq: int) -> bool:
        """Send `frame` (the welcome and the catch-up, up to `last_seq`) ahead of everything held since the
        connection was attached, then follow. False when the client has already fallen too far behind."""
        if not self.closed and not self.outlet.offer(frame, time.monotonic()):
            return False
        return self.follow(last_seq)

    def follow(self, last_seq: int) -> bool:
        """The catch-up up to `last_seq` has been sent: send what was held since, and all that follows.
        False when the client has already fallen too far behind."""
        self.last_seq = last_seq
        held, self._held = self._held or [], None
        return all(self.offer(item, offered_at) for offered_at, item in held)

    def waited(self, now: float) -> float:
        """How long the oldest frame not yet handed to the kernel has waited, in seconds."""
        return self.outlet.waited(now)

    def watch_stall(self, on_stalled: Callable[[], None]) -> bool:
        """Have the outlet call `on_stalled` as soon as a frame has waited `max_wait_seconds`, once and only
        while this connection is open; False when it cannot, and the hub's sweep must find it."""

        def stalled() -> None:
            if not self.closed:
                on_stalled()

        return self.outlet.watch_stall(self.max_wait_seconds, stalled)

    def waited_too_long(self, now: float) -> bool:
        return self.outlet.waited(now) > self.max_wait_seconds

    def close_soon(self, code: CloseCode, reason: str = "") -> None:
        """Close at once, skipping what is queued (for a client that fell behind, or shutdown); also when a
        close was queued already but cannot be reached (the outlet closes once)."""
        self.closed = True
        self.outlet.close_soon(code, reason)

    async def stop(self) -> None:
        await self.outlet.stop()


def _dropped(item: Outgoing) -> bool:
    """Count the messages of a frame the client was too far behind to take; False, as the offer answers."""
    FRAMES_DROPPED.inc((len(item.parts) or 1) if isinstance(item, Frame) else 0)
    return False

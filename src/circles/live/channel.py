"""One circle's channel: its sockets, and the seq order its events reach them in.

Two transactions can commit in one order and reach the hub in the other, and a publication can be lost.
A channel holds back an event that arrives early, waits briefly for the missing seq and then reads it from
the log, serializes each event once and offers the same frame to every socket of the circle. What an event
does beyond being sent (closing sockets, a change of seating) it takes from circles.live.event_effects.
Who of its sockets' owners is online is not kept here but by circles.live.circle_presence.

A circle of a few hundred sockets is sent each frame at once, on the loop turn that received it. A larger one
(ten thousand witnesses) is sent by a task of the channel's own, which first lets the loop run the callbacks
already waiting (among them the resumption of the request whose commit caused the event, which answers it)
and then sends each frame in slices of FANOUT_SLICE sockets, letting the loop turn between them: the answer
no longer waits for the last socket, nor does the next request wait for a whole pass. What is handed to a
channel (events, closes, notices, the audience) still reaches each socket in the order it was handed over:
once anything waits for that task, everything after it waits behind it.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool

from circles.event.models import EventPublic
from circles.event.payloads import LoggedEvent
from circles.live.connection import Close, Connection, Frame
from circles.live.event_effects import Closure, Reseating, closure_of, reseating_of
from circles.live.protocol import CloseCode, EventFrame

logger = logging.getLogger(__name__)

ReadLastSeq = Callable[[uuid.UUID], int | None]
ReadEvents = Callable[[uuid.UUID, int, int], list[EventPublic]]
Delivery = Callable[[Connection, float], None]  # (a socket, time.monotonic() read once for the slice)

FANOUT_AT_ONCE = 256  # sockets a circle may have for a frame to go to them at once, before the writer's answer
ANSWER_FIRST_TURNS = 2  # turns of the loop a larger circle's fan-out waits: the committing request answers first
FANOUT_SLICE = 1000  # sockets a larger circle's fan-out offers a frame to between two turns of the loop


@dataclass(frozen=True, slots=True)
class _Sent:
    """A mark in a channel's fan-out queue: what was queued before it has been handed to the sockets."""

    callback: Callable[[], None]


@dataclass(frozen=True)
class LogSource:
    """Where a channel reads what it did not receive: the circle's newest seq, and events after a seq (both
    blocking reads, run in a thread); and how long it waits for a missing seq before it reads the log."""

    read_last_seq: ReadLastSeq
    read_events: ReadEvents
    gap_fill_seconds: float


class Channel:
    """The sockets of one circle and the seq the next event must have."""

    def __init__(
        self,
        circle_id: uuid.UUID,
        log: LogSource,
        on_slow: Callable[[Connection], None],
        on_reseated: Callable[[uuid.UUID, Reseating], None],
    ) -> None:
        self.circle_id = circle_id
        self.connections: set[Connection] = set()
        self.departed: set[uuid.UUID] = set()  # removed while this channel lived (for sockets being admitted)
        self.next_seq: int | None = None  # None until the log's newest seq has been read
        self.ready = asyncio.Event()
        self._log = log
        self._on_slow = on_slow  # a socket that fell too far behind: the hub drops it
        self._on_reseated = on_reseated  # the seating changed: presence and the audience look again
        self._held: dict[int, EventPublic] = {}
        self._gap_task: asyncio.Task[None] | None = None
        self._sending: deque[Delivery | _Sent] = deque()  # deliveries waiting for (or in) the fan-out task, in order
        self._fanout_task: asyncio.Task[None] | None = None

    async def initialize(self) -> None:
        last_seq = await run_in_threadpool(self._log.read_last_seq, self.circle_id)
        self.next_seq = (last_seq or 0) + 1
        for seq in [seq for seq in self._held if seq < self.next_seq]:
            del self._held[seq]
        self.ready.set()
        self._flush()

    def receive(self, *events: EventPublic) -> None:
        """Take events in any order; what is next in seq order goes out, in one write per socket."""
        for event in events:
            if self.next_seq is None or event.seq >= self.next_seq:  # else delivered already (a gap fill
                self._held[event.seq] = event  # and the broker can both bring it)
        if self.next_seq is not None:
            self._flush()

    def broadcast(self, frame: Frame) -> None:
        self.each(lambda connection, now: self.offer(connection, frame, now))

    def offer(self, connection: Connection, frame: Frame, now: float) -> None:
        if not connection.offer(frame, now):
            self._on_slow(connection)

    def each(self, deliver: Delivery) -> None:
        """Call `deliver` for each socket of the circle, after every delivery handed over before it: at once
        in a circle of up to FANOUT_AT_ONCE sockets with nothing waiting, else from the fan-out task. The
        sockets are those attached when its turn comes (one attached later has what it was sent in its
        catch-up, read after it was attached), less any detached meanwhile."""
        if not self._sending and len(self.connections) <= FANOUT_AT_ONCE:
            now = time.monotonic()
            for connection in list(self.connections):
                deliver(connection, now)
            return
        self._sending.append(deliver)
        if self._fanout_task is None:
            self._fanout_task = asyncio.get_running_loop().create_task(self._fan_out())

    def when_sent(self, callback: Callable[[], None]) -> None:
        """Call `callback` once everything handed to the sockets before now has been handed to them: at once
        when nothing waits for the fan-out task, else from it, in turn (the fan-out lag metric)."""
        if not self._sending:
            callback()
        else:
            self._sending.append(_Sent(callback))

    async def _fan_out(self) -> None:
        try:
            for _ in range(ANSWER_FIRST_TURNS):
                await asyncio.sleep(0)  # the callbacks queued meanwhile run first: the request's answer among them
            while self._sending:
                deliver = self._sending[0]  # left in the queue while it runs: a delivery it causes waits behind it
                if isinstance(deliver, _Sent):
                    self._sending.popleft()
                    deliver.callback()
                    continue
                connections = list(self.connections)
                for start in range(0, len(connections), FANOUT_SLICE):
                    if start:
                        await asyncio.sleep(0)  # requests and socket reads are served between slices
                    now = time.monotonic()
                    for connection in connections[start : start + FANOUT_SLICE]:
                        if connection in self.connections:
                            deliver(connection, now)
                self._sending.popleft()
        finally:
            self._fanout_task = None

    def close(self, closure: Closure) -> None:
        """Close the sockets `closure` names, after what they were offered before."""

        def deliver(connection: Connection, now: float) -> None:
            if closure.closes(connection.participant_id) and not connection.offer(Close(closure.code), now):
                connection.close_soon(closure.code)

        self.each(deliver)

    def close_all(self, code: CloseCode) -> None:
        self.close(Closure(code))

    def discard(self) -> None:
        if self._gap_task is not None:
            self._gap_task.cancel()
        if self._fanout_task is not None:
            self._fanout_task.cancel()
        self._sending.clear()

    def _flush(self) -> None:
        assert self.next_seq is not None
        ready: list[EventPublic] = []
        while self.next_seq in self._held:
            ready.append(self._held.pop(self.next_seq))
            self.next_seq += 1
        if ready:
            self._deliver(ready)
        if self._held and (self._gap_task is None or self._gap_task.done()):
            self._gap_task = asyncio.get_running_loop().create_task(self._fill_gap())

    def _deliver(self, events: list[EventPublic]) -> None:
        """Send the events in one write per socket; an event that closes sockets (someone removed, the
        circle closed) ends a write, so those sockets get it last, then their close."""
        batch: list[Frame] = []
        for event in events:
            text = EventFrame(seq=event.seq, name=event.name, at=event.at, data=event.data).model_dump_json()
            batch.append(Frame.of(text, seq=event.seq))
            logged = LoggedEvent(self.circle_id, event)
            closure = closure_of(logged)
            if closure is not None:
                self.broadcast(Frame.joined(batch))
                batch = []
            if (reseating := reseating_of(logged)) is not None:
                self._on_reseated(self.circle_id, reseating)
            if closure is not None:
                if closure.participant_id is not None:
                    self.departed.add(closure.participant_id)
                self.close(closure)
        if batch:
            self.broadcast(Frame.joined(batch))

    async def _fill_gap(self) -> None:
        await asyncio.sleep(self._log.gap_fill_seconds)
        while self._held and self.next_seq is not None and self.next_seq not in self._held:
            if not await self.read_log(upto=min(self._held) - 1):
                return

    async def read_log(self, upto: int) -> bool:
        """Deliver what the log holds from the next expected seq up to `upto`. False if it held nothing."""
        assert self.next_seq is not None
        missing_from = self.next_seq
        events = await run_in_threadpool(
            self._log.read_events, self.circle_id, missing_from - 1, upto - missing_from + 1
        )
        if not events:
            logger.warning("circle %s: seq %d..%d missing from the log", self.circle_id, missing_from, upto)
            return False
        self.receive(*events)
        return True

"""One circle's channel: its sockets, and the seq order its events reach them in.

Two transactions can commit in one order and reach the hub in the other, and a publication can be lost.
A channel holds back an event that arrives early, waits briefly for the missing seq and then reads it from
the log, serializes each event once and offers the same frame to every socket of the circle.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import Counter
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool

from circles.event.models import EventPublic
from circles.live.connection import Close, Connection, Frame
from circles.live.protocol import CloseCode, EventFrame, PresenceFrame

if TYPE_CHECKING:
    from circles.live.hub import Hub

logger = logging.getLogger(__name__)

CLOSING_EVENTS = frozenset({"participant.left", "circle.closed"})
SEATING_EVENTS = frozenset({"participant.joined", "participant.updated", "participant.left"})


class Channel:
    """The sockets of one circle and the seq the next event must have."""

    def __init__(self, hub: Hub, circle_id: uuid.UUID) -> None:
        self.hub = hub
        self.circle_id = circle_id
        self.connections: set[Connection] = set()
        self.sockets_per_participant: Counter[uuid.UUID] = Counter()  # presence: who has a socket here
        self.witnesses: set[uuid.UUID] = set()  # those of them who are witnesses: counted, not announced
        self.announced: set[uuid.UUID] = set()  # who this channel's sockets were last told is online
        self.announcing = False  # a presence announcement is gathering changes (see Hub._announce_changes)
        self.listeners_due = False  # a socket of this instance came or went since the listeners last ran
        # Sockets that caught up since the last announcement, and who their catch-up said was online (None
        # until it is read): they get the changes to that, not the channel's (see Hub._tell_presence).
        self.newcomers: dict[Connection, set[uuid.UUID] | None] = {}
        self.departed: set[uuid.UUID] = set()  # removed while this channel lived (for sockets being admitted)
        self.next_seq: int | None = None  # None until the log's newest seq has been read
        self.ready = asyncio.Event()
        self._held: dict[int, EventPublic] = {}
        self._gap_task: asyncio.Task[None] | None = None

    async def initialize(self) -> None:
        self.announced = await self.hub.board.online(self.circle_id, set())
        last_seq = await run_in_threadpool(self.hub.read_last_seq, self.circle_id)
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

    def holders_here(self) -> set[uuid.UUID]:
        """The keepers and members with a socket on this instance."""
        return set(self.sockets_per_participant) - self.witnesses

    def broadcast(self, frame: Frame) -> None:
        now = time.monotonic()
        for connection in list(self.connections):
            self._offer(connection, frame, now)

    def announce(self, online: set[uuid.UUID]) -> bool:
        """Tell each socket which keepers and members came online or went offline since it was last told:
        the channel's changes to most, and to a socket that caught up since the last announcement, the
        changes to what its catch-up said. True when the channel's own view changed."""
        frames: dict[tuple[uuid.UUID, bool], Frame] = {}

        def frames_of(changes: list[tuple[uuid.UUID, bool]]) -> Frame | None:
            for participant_id, is_online in changes:
                if (participant_id, is_online) not in frames:
                    text = PresenceFrame(participant_id=participant_id, online=is_online).model_dump_json()
                    frames[(participant_id, is_online)] = Frame.of(text)
            return Frame.joined([frames[change] for change in changes]) if changes else None

        changes = _changes(self.announced, online)
        self.announced = online
        common = frames_of(changes)
        newcomers = self.newcomers
        self.newcomers = {connection: told for connection, told in newcomers.items() if told is None}
        now = time.monotonic()
        for connection in list(self.connections):
            if connection not in newcomers:
                frame = common
            elif (told := newcomers[connection]) is not None:
                frame = frames_of(_changes(told, online))
            else:
                continue  # its catch-up, still to come, will say who is online then
            if frame is not None:
                self._offer(connection, frame, now)
        return bool(changes)

    def _offer(self, connection: Connection, frame: Frame, now: float) -> None:
        if not connection.offer(frame, now):
            self.hub.drop_slow(connection)

    def close_all(self, code: CloseCode, participant_id: uuid.UUID | None = None) -> None:
        for connection in list(self.connections):
            wanted = participant_id is None or connection.participant_id == participant_id
            if wanted and not connection.offer(Close(code)):
                connection.close_soon(code)

    def discard(self) -> None:
        if self._gap_task is not None:
            self._gap_task.cancel()

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
            if event.name in CLOSING_EVENTS:
                self.broadcast(Frame.joined(batch))
                batch = []
            if event.name in SEATING_EVENTS:
                self.hub.seating_changed(self, event.data.get("participant") or {})
            if event.name == "circle.closed":
                self.close_all(CloseCode.CIRCLE_GONE)
            elif event.name == "participant.left":
                departed = uuid.UUID(str(event.data["participant_id"]))
                self.departed.add(departed)
                self.close_all(CloseCode.REMOVED, departed)
        if batch:
            self.broadcast(Frame.joined(batch))

    async def _fill_gap(self) -> None:
        await asyncio.sleep(self.hub.gap_fill_seconds)
        while self._held and self.next_seq is not None and self.next_seq not in self._held:
            if not await self.read_log(upto=min(self._held) - 1):
                return

    async def read_log(self, upto: int) -> bool:
        """Deliver what the log holds from the next expected seq up to `upto`. False if it held nothing."""
        assert self.next_seq is not None
        missing_from = self.next_seq
        events = await run_in_threadpool(
            self.hub.read_events, self.circle_id, missing_from - 1, upto - missing_from + 1
        )
        if not events:
            logger.warning("circle %s: seq %d..%d missing from the log", self.circle_id, missing_from, upto)
            return False
        self.receive(*events)
        return True


def _changes(told: set[uuid.UUID], online: set[uuid.UUID]) -> list[tuple[uuid.UUID, bool]]:
    return [(p, True) for p in online - told] + [(p, False) for p in told - online]

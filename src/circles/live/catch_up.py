"""What a socket is sent right after its welcome: the events it missed, or a fresh snapshot.

It is read in two steps. `read_catch_up` runs in the admission's read session (a threadpool thread) and reads
what only the database knows: the events after the client's seq, ready as frames, or the circle's state.
`CatchUp.frames` then adds, on the event loop, what only the hub knows at that moment: who is online.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter
from sqlmodel import Session

from circles.circle.snapshot import CircleState, read_state
from circles.errors import CircleNotFound
from circles.event import log as event_log
from circles.live.protocol import AudienceFrame, EventFrame, PresenceListFrame
from circles.records.circle import repository as circle_repository
from circles.records.participant.repository import count_witnesses

MAX_REPLAY = 5000  # further behind than this, a snapshot is cheaper than the replay
READ_WAIT_SECONDS = 5.0  # how long an admission waits for another's read of the same state before its own

T = TypeVar("T")
_TIME: TypeAdapter[datetime] = TypeAdapter(datetime)


_SLOT = f"\ue000circles-{uuid.uuid4().hex}-"  # marks where a kept state's frame takes this moment's values
_PARTICIPANTS, _AUDIENCE, _SERVER_TIME = (f"{_SLOT}{name}" for name in ("participants", "audience", "server_time"))


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class KeptState:
    """A circle's state as of a seq, kept as its snapshot frame's JSON with three slots for what changes
    between arrivals at that seq: who is online, the audience online and the clock. The JSON is encoded once,
    when the state is read; each participant's as online and as offline too. The frame for one who is online
    and one audience figure is then built once, and kept until either changes (`_built`): an arrival at an
    unchanged moment only adds the clock. No model is copied or validated per arrival."""

    seq: int
    witnesses: int
    data: dict[str, Any]  # CircleState.model_dump(mode="json")
    participants: tuple[tuple[uuid.UUID, str, str], ...]  # (id, JSON as online, JSON as offline)
    pieces: tuple[str, ...]  # the frame's JSON around its slots, which `slots` names in order
    slots: tuple[str, ...]
    # The frame last built: (who was online and the audience online, its JSON before the clock, after it).
    _built: list[tuple[tuple[frozenset[uuid.UUID], int], str, str]]

    @classmethod
    def of(cls, state: CircleState) -> KeptState:
        data = state.model_dump(mode="json")
        participants = tuple(
            (p.id, _json({**shown, "online": True}), _json({**shown, "online": False}))
            for p, shown in zip(state.participants, data["participants"], strict=True)
        )
        slotted = {**data, "server_time": _SERVER_TIME, "participants": _PARTICIPANTS, "audience": _AUDIENCE}
        text = _json({"type": "snapshot", "seq": state.seq, "state": slotted})
        found = sorted((text.index(_json(slot)), slot) for slot in (_PARTICIPANTS, _AUDIENCE, _SERVER_TIME))
        pieces, start = [], 0
        for at, slot in found:
            pieces.append(text[start:at])
            start = at + len(_json(slot))
        pieces.append(text[start:])
        slots = tuple(slot for _, slot in found)
        return cls(state.seq, state.audience.witnesses, data, participants, tuple(pieces), slots, [])

    def frame(self, online: Collection[uuid.UUID], witnesses_online: int, now: datetime) -> str:
        """The `snapshot` frame (circles.live.protocol.SnapshotFrame) as of this moment."""
        moment = (frozenset(online), witnesses_online)
        if not self._built or self._built[0][0] != moment:
            values = {
                _PARTICIPANTS: "[" + ",".join(on if id_ in online else off for id_, on, off in self.participants) + "]",
                _AUDIENCE: _json({**self.data["audience"], "online": witnesses_online}),
            }
            chunks: tuple[list[str], list[str]] = ([], [])  # before the clock, after it
            side = 0
            for piece, slot in zip(self.pieces, (*self.slots, None), strict=True):
                chunks[side].append(piece)
                if slot == _SERVER_TIME:
                    side = 1
                elif slot is not None:
                    chunks[side].append(values[slot])
            self._built[:] = [(moment, "".join(chunks[0]), "".join(chunks[1]))]
        _, before_clock, after_clock = self._built[0]
        return before_clock + _json(_TIME.dump_python(now, mode="json")) + after_clock


@dataclass(frozen=True, slots=True)
class CatchUp:
    """The events after the client's seq (`events`, as frames) and how many witnesses are seated; or, when
    those cannot be replayed, the circle's `state`. `seq`: the seq it brings the client to."""

    seq: int
    events: list[str]
    witnesses: int
    state: KeptState | None = None

    def frames(self, online: Collection[uuid.UUID], witnesses_online: int, now: datetime) -> list[str]:
        """The frames to send. `online`: the circle's keepers and members with a live socket now;
        `witnesses_online`: how many of its witnesses have one."""
        if self.state is not None:
            return [self.state.frame(online, witnesses_online, now)]
        return [
            *self.events,
            PresenceListFrame(participants_online=sorted(online)).model_dump_json(),
            AudienceFrame(witnesses=self.witnesses, online=witnesses_online).model_dump_json(),
        ]


def read_catch_up(session: Session, circle_id: uuid.UUID, last_seq: int, after: int | None, now: datetime) -> CatchUp:
    """What a client that has every event up to `after` (None: nothing) missed of an open circle whose newest
    seq is `last_seq`, read in `session`: a replay when the log still holds every event after `after`, else
    a snapshot. The log is gapless from its oldest seq on (retention prunes from the start), so the events it
    returns are all the client missed exactly when the first is the one right after `after`."""
    if after is not None and after <= last_seq and last_seq - after <= MAX_REPLAY:
        events = event_log.events_after(session, circle_id, after, MAX_REPLAY)
        if (events[0].seq if events else last_seq + 1) == after + 1:
            witnesses = _witness_counts.get_or_read(circle_id, last_seq, lambda: count_witnesses(session, circle_id))
            frames = [EventFrame(seq=e.seq, name=e.name, at=e.at, data=e.data).model_dump_json() for e in events]
            return CatchUp(seq=max([last_seq, *(e.seq for e in events)]), events=frames, witnesses=witnesses)

    def read() -> KeptState:
        circle = circle_repository.get(session, circle_id)
        if circle is None:
            raise CircleNotFound()
        return KeptState.of(read_state(session, circle, set(), now, witnesses_online=0))

    state = _states.get_or_read(circle_id, last_seq, read)
    return CatchUp(seq=state.seq, events=[], witnesses=state.witnesses, state=state)


class _AsOfSeq(Generic[T]):
    """Something about a circle as of a seq, read from the database, the newest few kept. Everything in a
    circle's state but who is online and the clock changes only with an event, so (circle, seq) names it
    exactly: a thousand sockets arriving at one seq read it once, the first of them, while the others wait."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._kept: OrderedDict[tuple[uuid.UUID, int], T] = OrderedDict()
        self._reading: dict[tuple[uuid.UUID, int], threading.Event] = {}
        self._lock = threading.Lock()  # catch-ups are read on threadpool threads

    def get_or_read(self, circle_id: uuid.UUID, seq: int, read: Callable[[], T]) -> T:
        key = (circle_id, seq)
        while True:
            with self._lock:
                if key in self._kept:
                    self._kept.move_to_end(key)
                    return self._kept[key]
                done = self._reading.get(key)
                reader = done is None
                if done is None:
                    done = self._reading[key] = threading.Event()
            if not reader:
                done.wait(READ_WAIT_SECONDS)
                continue  # kept now; or the reader failed, and this thread reads it itself
            try:
                value = read()
                with self._lock:
                    self._kept[key] = value
                    while len(self._kept) > self._size:
                        self._kept.popitem(last=False)
                return value
            finally:
                with self._lock:
                    del self._reading[key]
                done.set()


_states: _AsOfSeq[KeptState] = _AsOfSeq(size=64)
_witness_counts: _AsOfSeq[int] = _AsOfSeq(size=1024)

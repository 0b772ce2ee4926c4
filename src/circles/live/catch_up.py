"""What a socket is sent right after its welcome: the events it missed, or a fresh snapshot.

It is read in two steps. `read_catch_up` runs in the admission's read session (a threadpool thread) and reads
what only the database knows: the events after the client's seq, ready as frames, or the circle's state.
`CatchUp.frames` then adds, on the event loop, what only the hub knows at that moment: who is online.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from sqlmodel import Session

from circles.circle import repository as circle_repository
from circles.circle.snapshot import CircleState, count_witnesses, read_state
from circles.errors import CircleNotFound
from circles.event import log as event_log
from circles.live.protocol import AudienceFrame, EventFrame, PresenceListFrame, SnapshotFrame

MAX_REPLAY = 5000  # further behind than this, a snapshot is cheaper than the replay

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CatchUp:
    """The events after the client's seq (`events`, as frames) and how many witnesses are seated; or, when
    those cannot be replayed, the circle's `state`. `seq`: the seq it brings the client to."""

    seq: int
    events: list[str]
    witnesses: int
    state: CircleState | None = None

    def frames(self, online: Collection[uuid.UUID], witnesses_online: int, now: datetime) -> list[str]:
        """The frames to send. `online`: the circle's keepers and members with a live socket now;
        `witnesses_online`: how many of its witnesses have one."""
        if self.state is not None:
            state = _as_of(self.state, online, now, witnesses_online)
            return [SnapshotFrame(seq=state.seq, state=state).model_dump_json()]
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
            witnesses = _witness_counts.get(circle_id, last_seq)
            if witnesses is None:
                witnesses = count_witnesses(session, circle_id)
                _witness_counts.keep(circle_id, last_seq, witnesses)
            frames = [EventFrame(seq=e.seq, name=e.name, at=e.at, data=e.data).model_dump_json() for e in events]
            return CatchUp(seq=max([last_seq, *(e.seq for e in events)]), events=frames, witnesses=witnesses)
    state = _states.get(circle_id, last_seq)
    if state is None:
        circle = circle_repository.get(session, circle_id)
        if circle is None:
            raise CircleNotFound()
        state = read_state(session, circle, set(), now, witnesses_online=0)
        _states.keep(circle_id, last_seq, state)
    return CatchUp(seq=state.seq, events=[], witnesses=state.audience.witnesses, state=state)


class _AsOfSeq(Generic[T]):
    """Something about a circle as of a seq, read from the database, the newest few kept. Everything in a
    circle's state but who is online and the clock changes only with an event, so (circle, seq) names it
    exactly; a thousand sockets arriving at one seq read it once."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._kept: OrderedDict[tuple[uuid.UUID, int], T] = OrderedDict()
        self._lock = threading.Lock()  # catch-ups are read on threadpool threads

    def get(self, circle_id: uuid.UUID, seq: int) -> T | None:
        with self._lock:
            value = self._kept.get((circle_id, seq))
            if value is not None:
                self._kept.move_to_end((circle_id, seq))
            return value

    def keep(self, circle_id: uuid.UUID, seq: int, value: T) -> None:
        with self._lock:
            self._kept[(circle_id, seq)] = value
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)


_states: _AsOfSeq[CircleState] = _AsOfSeq(size=64)
_witness_counts: _AsOfSeq[int] = _AsOfSeq(size=1024)


def _as_of(state: CircleState, online: Collection[uuid.UUID], now: datetime, witnesses_online: int) -> CircleState:
    """A kept state with this moment's presence and clock (copies: the kept one is never changed)."""
    return state.model_copy(
        update={
            "server_time": now,
            "participants": [p.model_copy(update={"online": p.id in online}) for p in state.participants],
            "audience": state.audience.model_copy(update={"online": witnesses_online}),
        }
    )

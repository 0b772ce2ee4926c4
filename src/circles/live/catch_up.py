"""What a socket is sent right after its welcome: the events it missed, or a fresh snapshot."""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Collection
from datetime import datetime

import sqlalchemy as sa

from circles.circle import repository as circle_repository
from circles.circle.models import Circle, CircleStatus
from circles.circle.snapshot import CircleState, count_witnesses, read_state
from circles.db import Database
from circles.errors import CircleClosed, CircleNotFound
from circles.event import log as event_log
from circles.live.protocol import AudienceFrame, EventFrame, PresenceListFrame, SnapshotFrame

MAX_REPLAY = 5000  # further behind than this, a snapshot is cheaper than the replay

# A resume is the common case (every reconnect): two lean reads, the circle's status and newest seq, and the
# events after the client's. The log is gapless from its oldest seq on (retention prunes from the start), so
# the events it returns are all the client missed exactly when the first is the one right after `after`.
_circles: sa.Table = Circle.__table__  # type: ignore[attr-defined]
_CIRCLE_POSITION = sa.select(_circles.c.status, _circles.c.last_seq).where(_circles.c.id == sa.bindparam("circle_id"))


def read_catch_up(
    database: Database,
    circle_id: uuid.UUID,
    after: int | None,
    online: Collection[uuid.UUID],
    now: datetime,
    *,
    witnesses_online: int,
) -> tuple[list[str], int]:
    """(frames to send, the seq they bring the client to). Replays when the log still holds every event
    after `after`; otherwise (or with no `after`) sends a snapshot. `online`: this circle's keepers and
    members with a live socket; `witnesses_online`: how many of its witnesses have one."""
    with database.read_session() as session:
        connection = session.connection()
        position = connection.execute(_CIRCLE_POSITION, {"circle_id": circle_id}).first()
        if position is None:
            raise CircleNotFound()
        status, last_seq = position
        if status == CircleStatus.CLOSED:
            raise CircleClosed()
        if after is not None and after <= last_seq and last_seq - after <= MAX_REPLAY:
            events = event_log.events_after(session, circle_id, after, MAX_REPLAY)
            if (events[0].seq if events else last_seq + 1) == after + 1:
                frames = [EventFrame(seq=e.seq, name=e.name, at=e.at, data=e.data).model_dump_json() for e in events]
                frames.append(PresenceListFrame(participants_online=sorted(online)).model_dump_json())
                audience = AudienceFrame(witnesses=count_witnesses(session, circle_id), online=witnesses_online)
                frames.append(audience.model_dump_json())
                return frames, max([last_seq, *(e.seq for e in events)])
        state = _states.get(circle_id, last_seq)
        if state is None:
            circle = circle_repository.get(session, circle_id)
            if circle is None:
                raise CircleNotFound()
            state = read_state(session, circle, set(), now, witnesses_online=0)
            _states.keep(circle_id, last_seq, state)
        state = _as_of(state, online, now, witnesses_online)
        return [SnapshotFrame(seq=state.seq, state=state).model_dump_json()], state.seq


class _States:
    """The circles' states as of a seq, read from the database, the newest few kept. Everything in a state
    but who is online and the clock changes only with an event, so (circle, seq) names it exactly; a
    thousand sockets arriving at one seq read it once."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._states: OrderedDict[tuple[uuid.UUID, int], CircleState] = OrderedDict()
        self._lock = threading.Lock()  # catch-ups read on threadpool threads

    def get(self, circle_id: uuid.UUID, seq: int) -> CircleState | None:
        with self._lock:
            state = self._states.get((circle_id, seq))
            if state is not None:
                self._states.move_to_end((circle_id, seq))
            return state

    def keep(self, circle_id: uuid.UUID, seq: int, state: CircleState) -> None:
        with self._lock:
            self._states[(circle_id, seq)] = state
            while len(self._states) > self._size:
                self._states.popitem(last=False)


_states = _States(size=64)


def _as_of(state: CircleState, online: Collection[uuid.UUID], now: datetime, witnesses_online: int) -> CircleState:
    """A kept state with this moment's presence and clock (copies: the kept one is never changed)."""
    return state.model_copy(
        update={
            "server_time": now,
            "participants": [p.model_copy(update={"online": p.id in online}) for p in state.participants],
            "audience": state.audience.model_copy(update={"online": witnesses_online}),
        }
    )

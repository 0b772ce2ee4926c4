"""What a socket is sent right after its welcome: the events it missed, or a fresh snapshot."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from circles.circle import repository as circle_repository
from circles.circle.models import CircleStatus
from circles.circle.snapshot import count_witnesses, read_state
from circles.db import Database
from circles.errors import CircleClosed, CircleNotFound
from circles.event import log as event_log
from circles.live.protocol import AudienceFrame, EventFrame, PresenceListFrame, SnapshotFrame

MAX_REPLAY = 5000  # further behind than this, a snapshot is cheaper than the replay


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
        circle = circle_repository.get(session, circle_id)
        if circle is None:
            raise CircleNotFound()
        if circle.status == CircleStatus.CLOSED:
            raise CircleClosed()
        if after is not None and after <= circle.last_seq and circle.last_seq - after <= MAX_REPLAY:
            oldest = event_log.first_seq(session, circle_id)
            if after == circle.last_seq or (oldest is not None and oldest <= after + 1):
                events = event_log.events_after(session, circle_id, after, MAX_REPLAY)
                frames = [EventFrame(seq=e.seq, name=e.name, at=e.at, data=e.data).model_dump_json() for e in events]
                frames.append(PresenceListFrame(participants_online=sorted(online)).model_dump_json())
                audience = AudienceFrame(witnesses=count_witnesses(session, circle_id), online=witnesses_online)
                frames.append(audience.model_dump_json())
                return frames, max([circle.last_seq, *(e.seq for e in events)])
        state = read_state(session, circle, online, now, witnesses_online=witnesses_online)
        return [SnapshotFrame(seq=state.seq, state=state).model_dump_json()], state.seq

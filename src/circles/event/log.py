"""Appending to and reading a circle's event log.

`append` gives the event the circle's next seq inside the caller's transaction (the caller holds the
circle's write lock), so a change, its events and their seqs commit together or not at all. What was
appended is kept in the write's outbox (see `circles.unit_of_work`) and handed to the hub only after the commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from circles import unit_of_work
from circles.event.models import Event, EventPage, EventPublic
from circles.event.outbox import Outbox
from circles.event.payloads import EventData, EventName, event_data
from circles.records.circle.models import Circle

_events: sa.Table = Event.__table__  # type: ignore[attr-defined]
_circles: sa.Table = Circle.__table__  # type: ignore[attr-defined]


def outbox(session: Session) -> Outbox:
    """The outbox of the write `session` belongs to."""
    return unit_of_work.of(session).outbox


def append(session: Session, circle: Circle, name: EventName, payload: EventData, at: datetime) -> EventPublic:
    """Log the event `name`, whose data is its `payloads.EVENTS` entry's model."""
    data = event_data(name, payload)
    circle.last_seq += 1
    event = Event(circle_id=circle.id, seq=circle.last_seq, name=name.value, at=at, data=data)
    session.add(circle)
    session.add(event)
    public = EventPublic(seq=event.seq, name=name.value, at=at, data=data)
    outbox(session).events.setdefault(circle.id, []).append(public)
    return public


# Built once: a statement built per call costs its construction on every command.
_INSERT_EVENT = sa.insert(_events)
_SET_LAST_SEQ = sa.update(_circles).where(_circles.c.id == sa.bindparam("circle_id"))  # SET: last_seq


def append_all(
    session: Session, circle: Circle, records: Sequence[tuple[EventName, EventData]], at: datetime
) -> list[EventPublic]:
    """As `append` for several events at once (a command's), with one INSERT and one UPDATE of the circle's
    seq: the circle's `last_seq` is written directly and set on `circle` as committed."""
    if not records:
        return []
    session.flush()  # anything the ORM holds for this circle first (an event appended one at a time)
    first = circle.last_seq + 1
    published = [
        EventPublic.model_construct(seq=first + index, name=name.value, at=at, data=event_data(name, payload))
        for index, (name, payload) in enumerate(records)
    ]
    connection = session.connection()
    connection.execute(
        _INSERT_EVENT,
        [{"circle_id": circle.id, "seq": e.seq, "name": e.name, "at": at, "data": e.data} for e in published],
    )
    last = published[-1].seq
    connection.execute(_SET_LAST_SEQ, {"circle_id": circle.id, "last_seq": last})
    set_committed_value(circle, "last_seq", last)
    outbox(session).events.setdefault(circle.id, []).extend(published)
    return published


def note_erased(session: Session, circle_id: uuid.UUID) -> None:
    outbox(session).erased_circles.append(circle_id)


def note_participant_erased(session: Session, circle_id: uuid.UUID, participant_id: uuid.UUID) -> None:
    """After the commit, copies of the events that named them outside the database go too (the Redis stream)."""
    outbox(session).erased_participants.append((circle_id, participant_id))


def note_revoked(session: Session, credential_hash: str) -> None:
    outbox(session).revoked_credentials.append(credential_hash)


def rewrite_participant(
    session: Session, circle_id: uuid.UUID, participant_id: uuid.UUID, changes: dict[str, Any]
) -> int:
    """Change what the log says about one participant in the events that describe them (joined, updated);
    seqs and everything else stay as they were. Returns how many events changed."""
    rows = session.exec(
        select(Event).where(
            Event.circle_id == circle_id, col(Event.name).in_(["participant.joined", "participant.updated"])
        )
    ).all()
    changed = 0
    for row in rows:
        described = row.data.get("participant", {})
        if described.get("id") == str(participant_id):
            row.data = {**row.data, "participant": {**described, **changes}}  # a new dict: the JSON column saves it
            session.add(row)
            changed += 1
    return changed


_EVENTS_AFTER = (
    sa.select(_events.c.seq, _events.c.name, _events.c.at, _events.c.data)
    .where(_events.c.circle_id == sa.bindparam("circle_id"), _events.c.seq > sa.bindparam("after"))
    .order_by(_events.c.seq)
    .limit(sa.bindparam("limit"))
)


def events_after(session: Session, circle_id: uuid.UUID, after: int, limit: int) -> list[EventPublic]:
    """Up to `limit` events after seq `after`, in order: read as columns (every resume and log page reads
    here). The log is gapless from its oldest seq on, so the first one says whether any were pruned."""
    rows = session.connection().execute(_EVENTS_AFTER, {"circle_id": circle_id, "after": after, "limit": limit})
    return [EventPublic(seq=seq, name=name, at=at, data=data) for seq, name, at, data in rows]


def page_after(session: Session, circle: Circle, after: int, limit: int) -> EventPage:
    events = events_after(session, circle.id, after, limit)
    more = bool(events) and events[-1].seq < circle.last_seq
    return EventPage(items=events, next_after=events[-1].seq if more else None, last_seq=circle.last_seq)

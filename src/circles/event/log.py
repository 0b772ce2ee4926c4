"""Appending to and reading a circle's event log.

`append` gives the event the circle's next seq inside the caller's transaction (the caller holds the
circle's write lock), so a change, its events and their seqs commit together or not at all. What was
appended is kept in the session's outbox and handed to the hub only after the commit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from circles.circle.models import Circle
from circles.event.models import Event, EventPage, EventPublic
from circles.event.payloads import EventData, event_data

_OUTBOX_KEY = "circles.outbox"


@dataclass
class Outbox:
    """What a write transaction tells the hub once it has committed."""

    events: dict[uuid.UUID, list[EventPublic]] = field(default_factory=dict)
    erased_circles: list[uuid.UUID] = field(default_factory=list)
    revoked_credentials: list[str] = field(default_factory=list)  # hashes: sockets opened with them close

    def __bool__(self) -> bool:
        return bool(self.events or self.erased_circles or self.revoked_credentials)


def outbox(session: Session) -> Outbox:
    return session.info.setdefault(_OUTBOX_KEY, Outbox())


def take_outbox(session: Session) -> Outbox:
    return session.info.pop(_OUTBOX_KEY, None) or Outbox()


def append(session: Session, circle: Circle, name: str, payload: EventData, at: datetime) -> EventPublic:
    """Log the event `name` (one of `payloads.EVENTS`, with that entry's data model)."""
    data = event_data(name, payload)
    circle.last_seq += 1
    event = Event(circle_id=circle.id, seq=circle.last_seq, name=name, at=at, data=data)
    session.add(circle)
    session.add(event)
    public = EventPublic(seq=event.seq, name=name, at=at, data=data)
    outbox(session).events.setdefault(circle.id, []).append(public)
    return public


def note_erased(session: Session, circle_id: uuid.UUID) -> None:
    outbox(session).erased_circles.append(circle_id)


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


def events_after(session: Session, circle_id: uuid.UUID, after: int, limit: int) -> list[EventPublic]:
    rows = session.exec(
        select(Event).where(Event.circle_id == circle_id, Event.seq > after).order_by(col(Event.seq)).limit(limit)
    ).all()
    return [EventPublic(seq=row.seq, name=row.name, at=row.at, data=row.data) for row in rows]


def page_after(session: Session, circle: Circle, after: int, limit: int) -> EventPage:
    events = events_after(session, circle.id, after, limit)
    more = bool(events) and events[-1].seq < circle.last_seq
    return EventPage(items=events, next_after=events[-1].seq if more else None, last_seq=circle.last_seq)


def first_seq(session: Session, circle_id: uuid.UUID) -> int | None:
    """The oldest seq the log still holds (None when it holds none)."""
    return session.exec(select(func.min(Event.seq)).where(Event.circle_id == circle_id)).one()

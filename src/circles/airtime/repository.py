"""Every query the airtime reads make: rounds in a window, and each round's pause and resume marks.

Pauses are not stored with the round (it keeps only the pause in progress); the event log, which keeps
every change for as long as the circle exists, has each `round.paused` and `round.resumed` with its time.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session, col, select

from circles.event.models import Event
from circles.records.round.models import Round

MAX_ROUNDS = 1000  # a gathering larger than this is refused: ask for a narrower window


def rounds_started(
    session: Session, circle_id: uuid.UUID, since: datetime | None, until: datetime | None, limit: int
) -> list[Round]:
    statement = select(Round).where(Round.circle_id == circle_id)
    if since is not None:
        statement = statement.where(col(Round.started_at) >= since)
    if until is not None:
        statement = statement.where(col(Round.started_at) < until)
    return list(session.exec(statement.order_by(col(Round.started_at), col(Round.id)).limit(limit)).all())


def pause_marks(session: Session, circle_id: uuid.UUID) -> dict[uuid.UUID, list[tuple[str, datetime]]]:
    """round_id -> its ("paused" | "resumed", at) marks in log order."""
    rows = session.exec(
        select(Event.name, Event.at, Event.data)
        .where(Event.circle_id == circle_id, col(Event.name).in_(["round.paused", "round.resumed"]))
        .order_by(col(Event.seq))
    ).all()
    marks: dict[uuid.UUID, list[tuple[str, datetime]]] = {}
    for name, at, data in rows:
        round_id = uuid.UUID(str(data["round"]["id"]))
        marks.setdefault(round_id, []).append(("paused" if name == "round.paused" else "resumed", at))
    return marks

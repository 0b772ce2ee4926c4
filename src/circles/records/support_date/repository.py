"""Every query about support dates."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from circles.records.participant.models import Participant
from circles.records.support_date.models import SupportDate, SupportDateDue, SupportDateStatus


def get(session: Session, date_id: uuid.UUID) -> SupportDate | None:
    return session.get(SupportDate, date_id)


def of_circle(session: Session, circle_id: uuid.UUID) -> SupportDate | None:
    return session.exec(select(SupportDate).where(SupportDate.circle_id == circle_id)).first()


def page_for_app(
    session: Session,
    app_id: uuid.UUID,
    external_id: str | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[SupportDate]:
    """The app's dates, oldest first; with `external_id`, only those where a person with it is seated."""
    statement = select(SupportDate).where(SupportDate.app_id == app_id)
    if external_id is not None:
        people = select(Participant.circle_id).where(Participant.external_id == external_id)
        statement = statement.where(col(SupportDate.circle_id).in_(people))
    if after is not None:
        statement = statement.where(sa.tuple_(col(SupportDate.created_at), col(SupportDate.id)) > sa.tuple_(*after))
    statement = statement.order_by(col(SupportDate.created_at), col(SupportDate.id)).limit(limit)
    return list(session.exec(statement).all())


def upcoming(session: Session, before: datetime | None) -> list[tuple[uuid.UUID, uuid.UUID, datetime]]:
    """(date, circle, next_due_at) of every active date with a meeting to announce (before `before`, if given)."""
    statement = select(SupportDate.id, SupportDate.circle_id, SupportDate.next_due_at).where(
        SupportDate.status == SupportDateStatus.ACTIVE, col(SupportDate.next_due_at).is_not(None)
    )
    if before is not None:
        statement = statement.where(col(SupportDate.next_due_at) < before)
    return [(date_id, circle_id, at) for date_id, circle_id, at in session.exec(statement).all() if at is not None]


def mark_announced(session: Session, date_id: uuid.UUID, occurrence_at: datetime, now: datetime) -> bool:
    """Record that the occurrence was announced, unless it already was: True for the one who recorded it.
    The primary key decides between two instances; the date's circle lock makes the loser wait, not fail."""
    exists = session.get(SupportDateDue, (date_id, occurrence_at))
    if exists is not None:
        return False
    session.add(SupportDateDue(support_date_id=date_id, occurrence_at=occurrence_at, announced_at=now))
    session.flush()
    return True

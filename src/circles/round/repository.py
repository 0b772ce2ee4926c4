"""Every query about rounds and turns."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from circles.round.models import Hand, Round, Turn
from circles.talking_piece.model import RoundStatus


def unended(session: Session, circle_id: uuid.UUID) -> Round | None:
    """The circle's active or paused round, if any (there is at most one)."""
    return session.exec(select(Round).where(Round.circle_id == circle_id, Round.status != RoundStatus.ENDED)).first()


def get(session: Session, circle_id: uuid.UUID, round_id: uuid.UUID) -> Round | None:
    return session.exec(select(Round).where(Round.id == round_id, Round.circle_id == circle_id)).first()


def turns_of(session: Session, round_id: uuid.UUID) -> list[Turn]:
    return list(session.exec(select(Turn).where(Turn.round_id == round_id).order_by(col(Turn.position))).all())


def hands_of(session: Session, round_id: uuid.UUID) -> list[Hand]:
    """The round's raised hands, first in line first."""
    return list(session.exec(select(Hand).where(Hand.round_id == round_id).order_by(col(Hand.position))).all())


def get_turn(session: Session, circle_id: uuid.UUID, turn_id: uuid.UUID) -> Turn | None:
    return session.exec(select(Turn).where(Turn.id == turn_id, Turn.circle_id == circle_id)).first()


def round_of_turn(session: Session, circle_id: uuid.UUID, turn_id: uuid.UUID) -> Round | None:
    """The round the turn belongs to, when the turn is in this circle (one query, not the turn then its round)."""
    statement = (
        select(Round)
        .join(Turn, col(Turn.round_id) == col(Round.id))
        .where(Turn.id == turn_id, Turn.circle_id == circle_id, Round.circle_id == circle_id)
    )
    return session.exec(statement).first()


def open_turn(session: Session, round_id: uuid.UUID) -> Turn | None:
    return session.exec(select(Turn).where(Turn.round_id == round_id, col(Turn.ended_at).is_(None))).first()


def absence_round_in_progress(session: Session, circle_id: uuid.UUID) -> bool:
    """Whether the circle's round in progress (active or paused), if any, is an absence round."""
    statement = select(Round.id).where(
        Round.circle_id == circle_id, Round.status != RoundStatus.ENDED, col(Round.absence).is_(True)
    )
    return session.exec(statement).first() is not None


def circles_with_absence_rounds(session: Session) -> list[uuid.UUID]:
    """The circles whose round in progress (active or paused) is an absence round."""
    statement = select(Round.circle_id).where(Round.status != RoundStatus.ENDED, col(Round.absence).is_(True))
    return list(session.exec(statement).all())


def due_deadlines(session: Session, before: datetime | None) -> list[tuple[uuid.UUID, uuid.UUID, datetime]]:
    """(circle_id, turn_id, when) of open turns in active rounds with a time that still needs handling: a
    hard limit not yet enforced, a soft one whose overtime was not yet announced, or the end of an away
    holder's grace (absence rounds); `when` is the earliest of them."""
    deadline_pending = sa.and_(col(Turn.deadline).is_not(None), col(Turn.overtime_at).is_(None))
    statement = (
        select(Turn.circle_id, Turn.id, Turn.deadline, Turn.overtime_at, Turn.away_until)
        .join(Round, col(Round.id) == col(Turn.round_id))
        .where(
            col(Turn.ended_at).is_(None),
            sa.or_(deadline_pending, col(Turn.away_until).is_not(None)),
            Round.status == RoundStatus.ACTIVE,
        )
    )
    if before is not None:
        statement = statement.where(
            sa.or_(sa.and_(deadline_pending, col(Turn.deadline) <= before), col(Turn.away_until) <= before)
        )
    due: list[tuple[uuid.UUID, uuid.UUID, datetime]] = []
    for circle_id, turn_id, deadline, overtime_at, away_until in session.exec(statement).all():
        times = [t for t in (deadline if overtime_at is None else None, away_until) if t is not None]
        if times:
            due.append((circle_id, turn_id, min(times)))
    return due

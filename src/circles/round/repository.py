"""Every query about rounds and turns."""

from __future__ import annotations

import uuid
from datetime import datetime

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


def open_turn(session: Session, round_id: uuid.UUID) -> Turn | None:
    return session.exec(select(Turn).where(Turn.round_id == round_id, col(Turn.ended_at).is_(None))).first()


def due_deadlines(session: Session, before: datetime | None) -> list[tuple[uuid.UUID, uuid.UUID, datetime]]:
    """(circle_id, turn_id, deadline) of open turns in active rounds whose deadline still needs handling:
    a hard limit not yet enforced, or a soft one whose overtime was not yet announced."""
    statement = (
        select(Turn.circle_id, Turn.id, Turn.deadline)
        .join(Round, col(Round.id) == col(Turn.round_id))
        .where(
            col(Turn.ended_at).is_(None),
            col(Turn.deadline).is_not(None),
            col(Turn.overtime_at).is_(None),
            Round.status == RoundStatus.ACTIVE,
        )
    )
    if before is not None:
        statement = statement.where(col(Turn.deadline) <= before)
    rows = session.exec(statement).all()
    return [(circle_id, turn_id, deadline) for circle_id, turn_id, deadline in rows if deadline is not None]

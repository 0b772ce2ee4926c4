"""Every query about circles."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from circles.records.circle.models import Circle, CircleStatus


def get(session: Session, circle_id: uuid.UUID, *, lock: bool = False) -> Circle | None:
    """The circle; with `lock`, its row is locked for this transaction (PostgreSQL: FOR UPDATE).

    Every change in a circle takes this lock first, so changes in one circle are serialized and its seqs
    stay gapless. (SQLite's write transactions are serialized already: BEGIN IMMEDIATE.)
    """
    return session.exec(_LOCKED if lock else _CIRCLE, params={"circle_id": circle_id}).first()


# Built once: every command in a circle begins with the locked one.
_CIRCLE = select(Circle).where(Circle.id == sa.bindparam("circle_id"))
_LOCKED = _CIRCLE.with_for_update()


def last_seqs(session: Session, circle_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """The newest seq of each circle that still exists."""
    rows = session.exec(select(Circle.id, Circle.last_seq).where(col(Circle.id).in_(circle_ids))).all()
    return dict(rows)


def page_for_app(
    session: Session, app_id: uuid.UUID, after: tuple[datetime, uuid.UUID] | None, limit: int
) -> list[Circle]:
    statement = select(Circle).where(Circle.app_id == app_id)
    if after is not None:
        statement = statement.where(sa.tuple_(col(Circle.created_at), col(Circle.id)) > sa.tuple_(*after))
    statement = statement.order_by(col(Circle.created_at), col(Circle.id)).limit(limit)
    return list(session.exec(statement).all())


def erase(session: Session, circle_id: uuid.UUID) -> None:
    """Delete the circle; the database's cascades delete everything in it."""
    session.exec(sa.delete(Circle).where(col(Circle.id) == circle_id))  # type: ignore[call-overload]


def closed_before(session: Session, cutoff: datetime) -> list[uuid.UUID]:
    """The circles closed before `cutoff`."""
    return list(
        session.exec(
            select(Circle.id).where(Circle.status == CircleStatus.CLOSED, col(Circle.closed_at) < cutoff)
        ).all()
    )


def erase_all(session: Session, circle_ids: list[uuid.UUID]) -> None:
    """Delete these circles; the database's cascades delete everything in them."""
    session.exec(sa.delete(Circle).where(col(Circle.id).in_(circle_ids)))  # type: ignore[call-overload]

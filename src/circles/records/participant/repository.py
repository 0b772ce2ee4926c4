"""Every query about participants."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from circles.records.participant.models import Participant
from circles.talking_piece.model import Role


def get_present(session: Session, circle_id: uuid.UUID, participant_id: uuid.UUID) -> Participant | None:
    return session.exec(
        select(Participant).where(
            Participant.id == participant_id,
            Participant.circle_id == circle_id,
            col(Participant.left_at).is_(None),
        )
    ).first()


def get_any(session: Session, circle_id: uuid.UUID, participant_id: uuid.UUID) -> Participant | None:
    """The participant, present or not."""
    return session.exec(
        select(Participant).where(Participant.id == participant_id, Participant.circle_id == circle_id)
    ).first()


def present(session: Session, circle_id: uuid.UUID) -> list[Participant]:
    """Everyone seated in the circle now, in seat order."""
    return list(
        session.exec(
            select(Participant)
            .where(Participant.circle_id == circle_id, col(Participant.left_at).is_(None))
            .order_by(col(Participant.seat))
        ).all()
    )


def seats_present(session: Session, circle_id: uuid.UUID) -> list[sa.Row[uuid.UUID, int, str, int | None]]:
    """Everyone seated in the circle now, in seat order, as only what the talking piece needs (id, seat, role,
    agreed_version): a command in a large circle reads every witness's seat, and building a full Participant
    for each was most of that cost."""
    statement = (
        select(Participant.id, Participant.seat, Participant.role, Participant.agreed_version)
        .where(Participant.circle_id == circle_id, col(Participant.left_at).is_(None))
        .order_by(col(Participant.seat))
    )
    # sqlmodel types a multi-column select's results as plain tuples; they are sa.Row, as annotated (and the
    # callers read them by name). Its overloads also split the nullable column into two tuple types.
    return list(session.exec(statement).all())  # type: ignore[arg-type]


_participants: sa.Table = Participant.__table__  # type: ignore[attr-defined]
_HOLDERS_PRESENT = (
    sa.select(_participants.c.id, _participants.c.seat, _participants.c.role, _participants.c.agreed_version)
    .where(
        _participants.c.circle_id == sa.bindparam("circle_id"),
        _participants.c.left_at.is_(None),
        _participants.c.role != Role.WITNESS.value,
    )
    .order_by(_participants.c.seat)
)


def holders_present(session: Session, circle_id: uuid.UUID) -> list[sa.Row[uuid.UUID, int, str, int | None]]:
    """As seats_present, but only those who may hold the piece (keepers and members): what a round command
    needs, whatever the number of witnesses. (The talking piece never gives the piece to a witness; only a
    seating change must see them, to tell a holder who became a witness from one who left.)"""
    session.flush()  # read past the ORM: a seating change the caller has not flushed yet comes first
    return list(session.connection().execute(_HOLDERS_PRESENT, {"circle_id": circle_id}).all())


def page_present(
    session: Session, circle_id: uuid.UUID, after_seat: int | None, limit: int, external_id: str | None = None
) -> list[Participant]:
    statement = select(Participant).where(Participant.circle_id == circle_id, col(Participant.left_at).is_(None))
    if external_id is not None:
        statement = statement.where(Participant.external_id == external_id)
    if after_seat is not None:
        statement = statement.where(Participant.seat > after_seat)
    return list(session.exec(statement.order_by(col(Participant.seat)).limit(limit)).all())


def highest_seat(session: Session, circle_id: uuid.UUID) -> int | None:
    return session.exec(
        select(func.max(Participant.seat)).where(Participant.circle_id == circle_id, col(Participant.left_at).is_(None))
    ).one()


def seat_holder(session: Session, circle_id: uuid.UUID, seat: int) -> Participant | None:
    return session.exec(
        select(Participant).where(
            Participant.circle_id == circle_id, Participant.seat == seat, col(Participant.left_at).is_(None)
        )
    ).first()


def external_id_holder(session: Session, circle_id: uuid.UUID, external_id: str) -> Participant | None:
    return session.exec(
        select(Participant).where(
            Participant.circle_id == circle_id,
            Participant.external_id == external_id,
            col(Participant.left_at).is_(None),
        )
    ).first()


def keepers_and_members(session: Session, circle_id: uuid.UUID) -> list[Participant]:
    """Everyone seated in the circle now who can hold the piece (keepers and members), in seat order."""
    statement = (
        select(Participant)
        .where(
            Participant.circle_id == circle_id,
            col(Participant.left_at).is_(None),
            col(Participant.role).in_([Role.KEEPER, Role.MEMBER]),  # all but witnesses, as an index can look up
        )
        .order_by(col(Participant.seat))
    )
    return list(session.exec(statement).all())


def count_witnesses(session: Session, circle_id: uuid.UUID) -> int:
    """How many witnesses are seated in the circle now."""
    statement = (
        select(sa.func.count())
        .select_from(Participant)
        .where(Participant.circle_id == circle_id, col(Participant.left_at).is_(None), Participant.role == Role.WITNESS)
    )
    return int(session.exec(statement).one())


def witness_ids(session: Session, circle_id: uuid.UUID) -> list[uuid.UUID]:
    """The ids of the circle's seated witnesses."""
    statement = select(Participant.id).where(
        Participant.circle_id == circle_id, col(Participant.left_at).is_(None), Participant.role == Role.WITNESS
    )
    return list(session.exec(statement).all())

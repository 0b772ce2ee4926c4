"""Every query about rounds and turns.

A round command reads the round's turns and hands as plain rows and writes what changed with single
statements (the `lean_` and `write_` functions below): building ORM instances for every turn of the round and
running the unit of work's flush for them was most of a command's cost. The round's own row stays an ORM
instance (its callers share it), but its new values are written with one UPDATE and set on it as committed, so
the session has nothing left to flush for it.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from circles.records.round.models import Hand, Round, Turn
from circles.talking_piece.model import RoundStatus
from circles.talking_piece.model import Turn as PieceTurn


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


_ROUND_OF_TURN = (
    select(Round)
    .join(Turn, col(Turn.round_id) == col(Round.id))
    .where(
        col(Turn.id) == sa.bindparam("turn_id"),
        col(Turn.circle_id) == sa.bindparam("circle_id"),
        col(Round.circle_id) == sa.bindparam("circle_id"),
    )
)


def round_of_turn(session: Session, circle_id: uuid.UUID, turn_id: uuid.UUID) -> Round | None:
    """The round the turn belongs to, when the turn is in this circle (one prepared query, not the turn then
    its round)."""
    return session.exec(_ROUND_OF_TURN, params={"turn_id": turn_id, "circle_id": circle_id}).first()


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
    statement = (  # five columns: more than sqlmodel's select is typed for, so SQLAlchemy's, run as Core
        sa.select(col(Turn.circle_id), col(Turn.id), col(Turn.deadline), col(Turn.overtime_at), col(Turn.away_until))
        .join(Round, col(Round.id) == col(Turn.round_id))
        .where(
            col(Turn.ended_at).is_(None),
            sa.or_(deadline_pending, col(Turn.away_until).is_not(None)),
            col(Round.status) == RoundStatus.ACTIVE,
        )
    )
    if before is not None:
        statement = statement.where(
            sa.or_(sa.and_(deadline_pending, col(Turn.deadline) <= before), col(Turn.away_until) <= before)
        )
    due: list[tuple[uuid.UUID, uuid.UUID, datetime]] = []
    for circle_id, turn_id, deadline, overtime_at, away_until in session.connection().execute(statement).all():
        times = [t for t in (deadline if overtime_at is None else None, away_until) if t is not None]
        if times:
            due.append((circle_id, turn_id, min(times)))
    return due


_rounds: sa.Table = Round.__table__  # type: ignore[attr-defined]
_turns: sa.Table = Turn.__table__  # type: ignore[attr-defined]
_hands: sa.Table = Hand.__table__  # type: ignore[attr-defined]

# What a command may change in a round's row (the rest is fixed when the round starts).
ROUND_CHANGES = (
    "status",
    "turn_seconds",
    "time_limit",
    "pass_back",
    "cursor_seat",
    "phase",
    "paused_at",
    "ended_at",
    "end_reason",
    "returns_to",
    "offer_seconds",
    "pause_seconds",
    "absence",
)
# What a command may change in a turn's row.
TURN_CHANGES = ("deadline", "ended_at", "outcome", "overtime_at", "accepted_at", "silent_until", "away_until")


# A turn's fields are declared once, by the talking piece (`talking_piece.model.Turn`): the table's columns
# and the public view's fields carry the same names (tests/db/test_turn_fields.py holds them to it), and what
# is read, mapped and shown is derived from this list.
TURN_FIELDS = tuple(field.name for field in dataclasses.fields(PieceTurn))

# What a command reads of each turn: the talking piece's fields (the round and circle are the command's own).
_TURNS_OF = (
    sa.select(*(_turns.c[name] for name in TURN_FIELDS))
    .where(_turns.c.round_id == sa.bindparam("round_id"))
    .order_by(_turns.c.position)
)
_HANDS_OF = sa.select(_hands).where(_hands.c.round_id == sa.bindparam("round_id")).order_by(_hands.c.position)


def lean_turns_of(session: Session, round_id: uuid.UUID) -> list[sa.Row[Any]]:
    """The round's turns in the order they were held, as rows with the attributes the talking piece needs
    (`TURN_FIELDS`, named as the talking piece's Turn names them)."""
    return list(session.connection().execute(_TURNS_OF, {"round_id": round_id}).all())


def lean_hands_of(session: Session, round_id: uuid.UUID) -> list[sa.Row[Any]]:
    """The round's raised hands, first in line first, as rows (attributes named as Hand's)."""
    return list(session.connection().execute(_HANDS_OF, {"round_id": round_id}).all())


_UPDATE_ROUND = sa.update(_rounds).where(_rounds.c.id == sa.bindparam("round_id"))  # SET: the parameters' keys


def write_round(session: Session, row: Round, values: dict[str, Any]) -> None:
    """Write a command's new values for the round (`ROUND_CHANGES`) and set them on `row` as committed."""
    session.connection().execute(_UPDATE_ROUND, {**values, "round_id": row.id})
    for name, value in values.items():
        set_committed_value(row, name, value)


_UPDATE_TURN = sa.update(_turns).where(_turns.c.id == sa.bindparam("turn_id"))  # SET: the parameters' keys
_INSERT_TURN = sa.insert(_turns)


def write_turns(session: Session, updated: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]]) -> None:
    """Update the turns that changed (each dict: `id` and `TURN_CHANGES`), then insert the new ones: the turn
    that ended is closed before its successor opens (one open turn per round)."""
    connection = session.connection()
    if updated:
        # The turn's id travels as `turn_id`.
        connection.execute(
            _UPDATE_TURN, [{name: t[name] for name in TURN_CHANGES} | {"turn_id": t["id"]} for t in updated]
        )
    if new:
        connection.execute(_INSERT_TURN, list(new))


_DELETE_HANDS = sa.delete(_hands).where(_hands.c.round_id == sa.bindparam("round_id"))
_INSERT_HAND = sa.insert(_hands)


def write_hands(session: Session, round_id: uuid.UUID, line: Sequence[dict[str, Any]]) -> None:
    """Replace the round's line of hands (it is small: written whole, old rows out first, as positions are
    unique)."""
    connection = session.connection()
    connection.execute(_DELETE_HANDS, {"round_id": round_id})
    if line:
        connection.execute(_INSERT_HAND, list(line))

"""Every query about breakouts, and the mapping between their rows and the talking piece's `Breakout`.

A breakout is small (a circle's people, in twos and threes), so a command loads its rows as ORM instances,
hands the state to the talking piece, and writes back what changed on the same instances."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from circles.records.breakout.models import Breakout, BreakoutGroup, BreakoutTurn
from circles.talking_piece.groups import BreakoutState, Group, GroupTurn


def get(session: Session, circle_id: uuid.UUID, breakout_id: uuid.UUID) -> Breakout | None:
    return session.exec(select(Breakout).where(Breakout.id == breakout_id, Breakout.circle_id == circle_id)).first()


def unended(session: Session, circle_id: uuid.UUID) -> Breakout | None:
    """The circle's breakout under way, if any (there is at most one)."""
    return session.exec(
        select(Breakout).where(Breakout.circle_id == circle_id, col(Breakout.ended_at).is_(None))
    ).first()


def of_group(session: Session, circle_id: uuid.UUID, group_id: uuid.UUID) -> Breakout | None:
    return session.exec(
        select(Breakout)
        .join(BreakoutGroup, col(BreakoutGroup.breakout_id) == col(Breakout.id))
        .where(BreakoutGroup.id == group_id, BreakoutGroup.circle_id == circle_id)
    ).first()


def of_turn(session: Session, circle_id: uuid.UUID, turn_id: uuid.UUID) -> Breakout | None:
    return session.exec(
        select(Breakout)
        .join(BreakoutTurn, col(BreakoutTurn.breakout_id) == col(Breakout.id))
        .where(BreakoutTurn.id == turn_id, BreakoutTurn.circle_id == circle_id)
    ).first()


def rows_of(session: Session, breakout_id: uuid.UUID) -> tuple[list[BreakoutGroup], list[BreakoutTurn]]:
    groups = session.exec(
        select(BreakoutGroup).where(BreakoutGroup.breakout_id == breakout_id).order_by(col(BreakoutGroup.index))
    ).all()
    turns = session.exec(
        select(BreakoutTurn).where(BreakoutTurn.breakout_id == breakout_id).order_by(col(BreakoutTurn.position))
    ).all()
    return list(groups), list(turns)


def due(session: Session, before: datetime | None) -> list[tuple[uuid.UUID, uuid.UUID, datetime]]:
    """(circle, breakout, when next due) for each breakout under way with something due before `before` (or
    at all): a speaker's deadline or its `ends_at`."""
    deadlines = (
        select(BreakoutTurn.circle_id, BreakoutTurn.breakout_id, sa.func.min(BreakoutTurn.deadline).label("at"))
        .where(col(BreakoutTurn.started_at).is_not(None), col(BreakoutTurn.ended_at).is_(None))
        .group_by(col(BreakoutTurn.circle_id), col(BreakoutTurn.breakout_id))
    )
    ends = select(Breakout.circle_id, Breakout.id, Breakout.ends_at).where(
        col(Breakout.ended_at).is_(None), col(Breakout.ends_at).is_not(None)
    )
    found: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID, datetime]] = {}
    for circle_id, breakout_id, at in [*session.exec(deadlines).all(), *session.exec(ends).all()]:
        if at is None or (before is not None and at > before):
            continue
        if breakout_id not in found or at < found[breakout_id][2]:
            found[breakout_id] = (circle_id, breakout_id, at)
    return list(found.values())


def to_state(row: Breakout, groups: list[BreakoutGroup], turns: list[BreakoutTurn]) -> BreakoutState:
    return BreakoutState(
        id=row.id,
        seconds_each=row.seconds_each,
        started_at=row.started_at,
        ends_at=row.ends_at,
        ended_at=row.ended_at,
        end_reason=row.end_reason,
        groups=[
            Group(
                id=group.id,
                index=group.index,
                external_ref=group.external_ref,
                done_at=group.done_at,
                turns=[
                    GroupTurn(
                        id=t.id,
                        participant_id=t.participant_id,
                        position=t.position,
                        started_at=t.started_at,
                        deadline=t.deadline,
                        ended_at=t.ended_at,
                        outcome=t.outcome,
                    )
                    for t in turns
                    if t.group_id == group.id
                ],
            )
            for group in groups
        ],
    )


def write_state(
    session: Session, row: Breakout, groups: list[BreakoutGroup], turns: list[BreakoutTurn], state: BreakoutState
) -> None:
    """Put what the talking piece decided on the rows (new ones are added): one flush writes it."""
    row.ended_at, row.end_reason = state.ended_at, state.end_reason
    session.add(row)
    group_rows = {g.id: g for g in groups}
    turn_rows = {t.id: t for t in turns}
    for group in state.groups:
        group_row = group_rows.get(group.id)
        if group_row is None:
            group_row = BreakoutGroup(id=group.id, breakout_id=row.id, circle_id=row.circle_id, index=group.index)
        group_row.external_ref, group_row.done_at = group.external_ref, group.done_at
        session.add(group_row)
    session.flush()  # the groups first: the turns refer to them
    for group in state.groups:
        for turn in group.turns:
            turn_row = turn_rows.get(turn.id)
            if turn_row is None:
                turn_row = BreakoutTurn(
                    id=turn.id,
                    group_id=group.id,
                    breakout_id=row.id,
                    circle_id=row.circle_id,
                    participant_id=turn.participant_id,
                    position=turn.position,
                )
            turn_row.started_at, turn_row.deadline = turn.started_at, turn.deadline
            turn_row.ended_at, turn_row.outcome = turn.ended_at, turn.outcome
            session.add(turn_row)
    session.flush()

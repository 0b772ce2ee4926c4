"""Every query about gatherings and their planned rounds."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from circles.records.gathering.models import Gathering, PlannedRound


def current(session: Session, circle_id: uuid.UUID) -> Gathering | None:
    return session.exec(
        select(Gathering).where(Gathering.circle_id == circle_id, col(Gathering.replaced_at).is_(None))
    ).first()


def get(session: Session, circle_id: uuid.UUID, gathering_id: uuid.UUID) -> Gathering | None:
    return session.exec(select(Gathering).where(Gathering.id == gathering_id, Gathering.circle_id == circle_id)).first()


def planned_rounds(session: Session, gathering_id: uuid.UUID) -> list[PlannedRound]:
    return list(
        session.exec(
            select(PlannedRound).where(PlannedRound.gathering_id == gathering_id).order_by(col(PlannedRound.position))
        ).all()
    )


def started_round_ids(session: Session, gathering_id: uuid.UUID) -> list[uuid.UUID]:
    """The rounds the gathering started, in its order."""
    return [row.round_id for row in planned_rounds(session, gathering_id) if row.round_id is not None]

"""Every query about support signals."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from circles.pagination import newest_first_page
from circles.records.support.models import SupportSignal, SupportStatus

_signals: sa.Table = SupportSignal.__table__  # type: ignore[attr-defined]


def page(
    session: Session, circle_id: uuid.UUID, status: SupportStatus | None, cursor: str | None, limit: int
) -> tuple[list[SupportSignal], str | None]:
    """The circle's signals (those with `status`, or all), newest first, and the cursor of the next page
    (None on the last)."""
    statement = select(SupportSignal).where(SupportSignal.circle_id == circle_id)
    if status == SupportStatus.PENDING:
        statement = statement.where(col(SupportSignal.acknowledged_at).is_(None))
    elif status == SupportStatus.ACKNOWLEDGED:
        statement = statement.where(col(SupportSignal.acknowledged_at).is_not(None))
    return newest_first_page(session, statement, col(SupportSignal.at), col(SupportSignal.id), cursor, limit)


def get(session: Session, circle_id: uuid.UUID, signal_id: uuid.UUID) -> SupportSignal | None:
    signal = session.get(SupportSignal, signal_id)
    return signal if signal is not None and signal.circle_id == circle_id else None


def mark_acknowledged(session: Session, signal_id: uuid.UUID, by: uuid.UUID | None, at: datetime) -> bool:
    """Mark the signal acknowledged unless it already is, in one statement, so that of two keepers pressing
    at once exactly one does it. True for the one who did."""
    result = session.connection().execute(
        sa.update(_signals)
        .where(_signals.c.id == signal_id, _signals.c.acknowledged_at.is_(None))
        .values(acknowledged_at=at, acknowledged_by=by)
    )
    return bool(result.rowcount)


# The pending signals a keeper's or the app's socket is sent after its catch-up (lean columns: it is read for
# every such socket that connects).
_PENDING = (
    sa.select(_signals.c.id, _signals.c.participant_id, _signals.c.at)
    .where(_signals.c.circle_id == sa.bindparam("circle_id"), _signals.c.acknowledged_at.is_(None))
    .order_by(_signals.c.at.desc(), _signals.c.id.desc())
    .limit(sa.bindparam("limit"))
)


def pending(session: Session, circle_id: uuid.UUID, limit: int) -> list[sa.Row[tuple[uuid.UUID, uuid.UUID, datetime]]]:
    """The newest `limit` signals no one has acknowledged, oldest first."""
    rows = session.connection().execute(_PENDING, {"circle_id": circle_id, "limit": limit}).all()
    return list(reversed(rows))


def erase_participant(session: Session, circle_id: uuid.UUID, participant_id: uuid.UUID) -> None:
    """Forget every request the participant made (for their erasure)."""
    session.execute(
        sa.delete(SupportSignal).where(
            col(SupportSignal.circle_id) == circle_id, col(SupportSignal.participant_id) == participant_id
        )
    )

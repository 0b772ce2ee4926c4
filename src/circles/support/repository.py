"""Every query about support signals."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlmodel import Session, col, select

from circles.pagination import decode_time_cursor, encode_time_cursor
from circles.support.models import SupportSignal


def page(
    session: Session, circle_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[SupportSignal], str | None]:
    """The circle's signals, newest first, and the cursor of the next page (None on the last)."""
    statement = select(SupportSignal).where(SupportSignal.circle_id == circle_id)
    if cursor is not None:
        before = decode_time_cursor(cursor)
        statement = statement.where(sa.tuple_(col(SupportSignal.at), col(SupportSignal.id)) < sa.tuple_(*before))
    statement = statement.order_by(col(SupportSignal.at).desc(), col(SupportSignal.id).desc()).limit(limit + 1)
    signals = list(session.exec(statement).all())
    if len(signals) <= limit:
        return signals, None
    return signals[:limit], encode_time_cursor(signals[limit - 1].at, signals[limit - 1].id)

"""Every query about support signals."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from circles.pagination import newest_first_page
from circles.support.models import SupportSignal


def page(
    session: Session, circle_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[SupportSignal], str | None]:
    """The circle's signals, newest first, and the cursor of the next page (None on the last)."""
    statement = select(SupportSignal).where(SupportSignal.circle_id == circle_id)
    return newest_first_page(session, statement, col(SupportSignal.at), col(SupportSignal.id), cursor, limit)

"""Every query about the audit log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from circles import unit_of_work
from circles.audit.models import AuditEntry
from circles.pagination import newest_first_page


def note_created(session: Session, object_id: uuid.UUID) -> None:
    """A service created this object: the audit entry names it (a create's path does not)."""
    unit_of_work.of(session).created_id = object_id


_entries: sa.Table = AuditEntry.__table__  # type: ignore[attr-defined]
_INSERT = sa.insert(_entries)


def record(session: Session, entry: AuditEntry) -> None:
    record_values(session, {column.name: getattr(entry, column.name) for column in _entries.columns})


def record_values(session: Session, values: dict[str, Any]) -> None:
    """Write an entry (every column's value) at once, as one INSERT: it names only ids, so it depends on
    nothing the session has not flushed yet, and no ORM instance need be built for it."""
    session.connection().execute(_INSERT, values)


def page_for_app(
    session: Session, app_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[AuditEntry], str | None]:
    """The app's entries, newest first, and the cursor of the next page (None on the last)."""
    statement = select(AuditEntry).where(AuditEntry.app_id == app_id)
    return newest_first_page(session, statement, col(AuditEntry.at), col(AuditEntry.id), cursor, limit)


def forget_older_than(session: Session, cutoff: datetime) -> int:
    result = session.exec(sa.delete(AuditEntry).where(col(AuditEntry.at) < cutoff))  # type: ignore[call-overload]
    return int(result.rowcount or 0)

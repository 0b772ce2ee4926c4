"""What the service forgets, and when: `circles purge`.

Closed circles older than the retention period are erased with everything in them (as DELETE would);
audit entries and idempotency records older than theirs are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from circles.audit import repository as audit_repository
from circles.circle.models import Circle, CircleStatus
from circles.idempotency import repository as idempotency_repository
from circles.settings import Settings


@dataclass(frozen=True)
class PurgeReport:
    circles: int
    audit_entries: int
    idempotency_records: int


def purge(session: Session, settings: Settings, now: datetime, *, dry_run: bool = False) -> PurgeReport:
    circle_cutoff = now - timedelta(days=settings.retention_days)
    closed = list(
        session.exec(
            select(Circle.id).where(Circle.status == CircleStatus.CLOSED, col(Circle.closed_at) < circle_cutoff)
        ).all()
    )
    if dry_run:
        return PurgeReport(circles=len(closed), audit_entries=0, idempotency_records=0)
    if closed:
        session.exec(sa.delete(Circle).where(col(Circle.id).in_(closed)))  # type: ignore[call-overload]
    return PurgeReport(
        circles=len(closed),
        audit_entries=audit_repository.forget_older_than(session, now - timedelta(days=settings.audit_retention_days)),
        idempotency_records=idempotency_repository.forget_older_than(
            session, now - timedelta(hours=settings.idempotency_retention_hours)
        ),
    )

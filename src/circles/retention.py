"""What the service forgets, and when: `circles purge`.

Closed circles older than the retention period are erased with everything in them (as DELETE would);
audit entries, idempotency records and webhook attempts older than theirs are dropped.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from circles.audit import repository as audit_repository
from circles.idempotency import repository as idempotency_repository
from circles.records.circle import repository as circle_repository
from circles.records.webhook import repository as webhook_repository
from circles.settings import Settings


@dataclass(frozen=True)
class PurgeReport:
    circles: int
    audit_entries: int
    idempotency_records: int
    erased_circle_ids: tuple[uuid.UUID, ...] = ()  # for what else holds copies of their events (the Redis stream)
    webhook_attempts: int = 0


def purge(session: Session, settings: Settings, now: datetime, *, dry_run: bool = False) -> PurgeReport:
    circle_cutoff = now - timedelta(days=settings.retention_days)
    closed = circle_repository.closed_before(session, circle_cutoff)
    if dry_run:
        return PurgeReport(circles=len(closed), audit_entries=0, idempotency_records=0)
    if closed:
        circle_repository.erase_all(session, closed)
    return PurgeReport(
        circles=len(closed),
        erased_circle_ids=tuple(closed),
        audit_entries=audit_repository.forget_older_than(session, now - timedelta(days=settings.audit_retention_days)),
        idempotency_records=idempotency_repository.forget_older_than(
            session, now - timedelta(hours=settings.idempotency_retention_hours)
        ),
        webhook_attempts=webhook_repository.forget_attempts_older_than(
            session, now - timedelta(days=settings.webhooks_attempt_retention_days)
        ),
    )

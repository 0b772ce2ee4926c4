"""Every query about idempotency records."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from circles.idempotency.errors import IdempotencyKeyInUse
from circles.idempotency.models import IdempotencyClaim, IdempotencyRecord


def find(session: Session, credential_hash: str, key: str) -> IdempotencyRecord | None:
    return session.exec(
        select(IdempotencyRecord).where(
            IdempotencyRecord.credential_hash == credential_hash, IdempotencyRecord.key == key
        )
    ).first()


def claim(session: Session, claim: IdempotencyClaim, about: Mapping[str, Any]) -> None:
    """Record the key in the caller's transaction, with what it is `about` (the audit entry's `circle_id`,
    `actor_id` and `object_id`). A concurrent request with the same key that got here first makes this
    fail, and the caller's whole change is rolled back."""
    record = IdempotencyRecord(
        credential_hash=claim.credential_hash,
        key=claim.key,
        fingerprint=claim.fingerprint,
        circle_id=about.get("circle_id"),
        actor_id=about.get("actor_id"),
        object_id=about.get("object_id"),
    )
    try:
        with session.begin_nested():
            session.add(record)
    except IntegrityError as exc:
        raise IdempotencyKeyInUse() from exc
    claim.recorded = True


def store_answer(session: Session, claim: IdempotencyClaim, status_code: int, content_type: str, body: str) -> None:
    record = find(session, claim.credential_hash, claim.key)
    if record is not None and record.status_code is None:
        record.status_code, record.content_type, record.body = status_code, content_type, body
        session.add(record)


def forget_older_than(session: Session, cutoff: datetime) -> int:
    result = session.exec(sa.delete(IdempotencyRecord).where(col(IdempotencyRecord.created_at) < cutoff))  # type: ignore[call-overload]
    return int(result.rowcount or 0)


def forget_participant(session: Session, participant_id: uuid.UUID) -> int:
    """Every record a participant sent, or that is about them (its answer may carry their name)."""
    statement = sa.delete(IdempotencyRecord).where(
        sa.or_(col(IdempotencyRecord.actor_id) == participant_id, col(IdempotencyRecord.object_id) == participant_id)
    )
    return int(session.exec(statement).rowcount or 0)  # type: ignore[call-overload]


def forget_circle(session: Session, circle_id: uuid.UUID) -> int:
    """Every record about a circle (the circle's deletion cascades to them too; this says so where it happens)."""
    statement = sa.delete(IdempotencyRecord).where(col(IdempotencyRecord.circle_id) == circle_id)
    return int(session.exec(statement).rowcount or 0)  # type: ignore[call-overload]

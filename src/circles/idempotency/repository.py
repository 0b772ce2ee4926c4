"""Every query about idempotency records."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from circles.errors import IdempotencyKeyInUse
from circles.idempotency.models import IdempotencyClaim, IdempotencyRecord


def find(session: Session, credential_hash: str, key: str) -> IdempotencyRecord | None:
    return session.exec(
        select(IdempotencyRecord).where(
            IdempotencyRecord.credential_hash == credential_hash, IdempotencyRecord.key == key
        )
    ).first()


def claim(session: Session, claim: IdempotencyClaim) -> None:
    """Record the key in the caller's transaction. A concurrent request with the same key that got here
    first makes this fail, and the caller's whole change is rolled back."""
    try:
        with session.begin_nested():
            session.add(
                IdempotencyRecord(credential_hash=claim.credential_hash, key=claim.key, fingerprint=claim.fingerprint)
            )
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

"""Every query about webhook endpoints: the app's side (endpoints, secrets, attempts) and the delivery's
(leases, cursors, what is due)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from circles.pagination import newest_first_page
from circles.records.circle.models import Circle
from circles.records.webhook.models import (
    SIGNALS,
    WebhookAttempt,
    WebhookCursor,
    WebhookEndpoint,
    WebhookLease,
    WebhookMessage,
    WebhookSecret,
)

_endpoints: sa.Table = WebhookEndpoint.__table__  # type: ignore[attr-defined]
_secrets: sa.Table = WebhookSecret.__table__  # type: ignore[attr-defined]
_cursors: sa.Table = WebhookCursor.__table__  # type: ignore[attr-defined]
_messages: sa.Table = WebhookMessage.__table__  # type: ignore[attr-defined]
_leases: sa.Table = WebhookLease.__table__  # type: ignore[attr-defined]
_circles: sa.Table = Circle.__table__  # type: ignore[attr-defined]
_attempts: sa.Table = WebhookAttempt.__table__  # type: ignore[attr-defined]


# The app's side


def page(
    session: Session, app_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[WebhookEndpoint], str | None]:
    statement = select(WebhookEndpoint).where(WebhookEndpoint.app_id == app_id)
    return newest_first_page(
        session, statement, col(WebhookEndpoint.created_at), col(WebhookEndpoint.id), cursor, limit
    )


def get(session: Session, app_id: uuid.UUID, endpoint_id: uuid.UUID, *, lock: bool = False) -> WebhookEndpoint | None:
    statement = select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.app_id == app_id)
    return session.exec(statement.with_for_update() if lock else statement).first()


def endpoints_of(session: Session, app_id: uuid.UUID) -> list[WebhookEndpoint]:
    return list(session.exec(select(WebhookEndpoint).where(WebhookEndpoint.app_id == app_id)).all())


def add(session: Session, endpoint: WebhookEndpoint, secret: str) -> None:
    """A new endpoint with its secret, its lease row, and a cursor at the newest seq of each of the app's
    circles: it is sent what happens from now on (a circle made later starts from its first event)."""
    session.add(endpoint)
    session.flush()
    session.add(WebhookSecret(endpoint_id=endpoint.id, secret=secret, created_at=endpoint.created_at))
    session.add(WebhookLease(endpoint_id=endpoint.id))
    session.flush()
    existing = sa.select(sa.literal(endpoint.id, sa.Uuid), _circles.c.id, _circles.c.last_seq).where(
        _circles.c.app_id == endpoint.app_id
    )
    session.connection().execute(sa.insert(_cursors).from_select(["endpoint_id", "circle_id", "last_seq"], existing))


def roll_secret(session: Session, endpoint_id: uuid.UUID, secret: str, now: datetime, old_until: datetime) -> None:
    """`secret` signs from now on; the current one goes on signing until `old_until`; older ones stop now."""
    session.connection().execute(
        sa.delete(_secrets).where(_secrets.c.endpoint_id == endpoint_id, _secrets.c.expires_at.is_not(None))
    )
    session.connection().execute(
        sa.update(_secrets)
        .where(_secrets.c.endpoint_id == endpoint_id, _secrets.c.expires_at.is_(None))
        .values(expires_at=old_until)
    )
    session.add(WebhookSecret(endpoint_id=endpoint_id, secret=secret, created_at=now))


def signing_secrets(session: Session, endpoint_id: uuid.UUID, now: datetime) -> list[str]:
    """The secrets that sign now, newest first."""
    rows = session.exec(
        select(WebhookSecret)
        .where(WebhookSecret.endpoint_id == endpoint_id)
        .order_by(col(WebhookSecret.created_at).desc())
    ).all()
    return [row.secret for row in rows if row.expires_at is None or row.expires_at > now]


def attempts_page(
    session: Session, endpoint_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[WebhookAttempt], str | None]:
    statement = select(WebhookAttempt).where(WebhookAttempt.endpoint_id == endpoint_id)
    return newest_first_page(session, statement, col(WebhookAttempt.at), col(WebhookAttempt.id), cursor, limit)


def add_message(session: Session, endpoint_id: uuid.UUID, message: dict[str, Any]) -> None:
    """A message outside the log for one endpoint (`message`: message_id, circle_id, name, at, data)."""
    session.connection().execute(sa.insert(_messages), [{"endpoint_id": endpoint_id, **message}])


def cursor_of(session: Session, endpoint_id: uuid.UUID, circle_id: uuid.UUID) -> int:
    row = session.get(WebhookCursor, (endpoint_id, circle_id))
    return row.last_seq if row is not None else 0


def set_cursor(session: Session, endpoint_id: uuid.UUID, circle_id: uuid.UUID, last_seq: int) -> None:
    moved = session.connection().execute(
        sa.update(_cursors)
        .where(_cursors.c.endpoint_id == endpoint_id, _cursors.c.circle_id == circle_id)
        .values(last_seq=last_seq)
    )
    if moved.rowcount == 0:
        session.connection().execute(
            sa.insert(_cursors), [{"endpoint_id": endpoint_id, "circle_id": circle_id, "last_seq": last_seq}]
        )


# The delivery's side


def _has_work(endpoint: sa.Table) -> sa.ColumnElement[bool]:
    behind = (
        sa.select(_circles.c.id)
        .select_from(
            _circles.outerjoin(
                _cursors, sa.and_(_cursors.c.circle_id == _circles.c.id, _cursors.c.endpoint_id == endpoint.c.id)
            )
        )
        .where(_circles.c.app_id == endpoint.c.app_id, _circles.c.last_seq > sa.func.coalesce(_cursors.c.last_seq, 0))
    )
    waiting = sa.select(_messages.c.id).where(_messages.c.endpoint_id == endpoint.c.id)
    return sa.or_(behind.exists(), waiting.exists())


def _claimable(holder: str, now: datetime, skip: list[uuid.UUID], limit: int) -> sa.Select[Any]:
    statement = (
        sa.select(_leases.c.endpoint_id)
        .select_from(_leases.join(_endpoints, _endpoints.c.id == _leases.c.endpoint_id))
        .where(
            _endpoints.c.enabled.is_(True),
            sa.or_(_endpoints.c.next_attempt_at.is_(None), _endpoints.c.next_attempt_at <= now),
            sa.or_(_leases.c.holder.is_(None), _leases.c.expires_at <= now, _leases.c.holder == holder),
            _has_work(_endpoints),
        )
        .order_by(_leases.c.endpoint_id)
        .limit(limit)
    )
    return statement.where(_leases.c.endpoint_id.not_in(skip)) if skip else statement


def claimable(session: Session, holder: str, now: datetime, skip: list[uuid.UUID], limit: int) -> list[uuid.UUID]:
    """Enabled endpoints that are due and have something to send, whose lease is free, lapsed or already
    `holder`'s, but not those in `skip` (which it is working): read only, to see whether to claim."""
    return list(session.connection().execute(_claimable(holder, now, skip, limit)).scalars())


def claim(
    session: Session, holder: str, now: datetime, until: datetime, skip: list[uuid.UUID], limit: int
) -> list[uuid.UUID]:
    """Lease up to `limit` of the `claimable` endpoints to `holder` until `until`. PostgreSQL: rows another
    instance is claiming at this moment are skipped (FOR UPDATE SKIP LOCKED)."""
    statement = _claimable(holder, now, skip, limit).with_for_update(of=_leases, skip_locked=True)
    claimed = list(session.connection().execute(statement).scalars())
    if claimed:
        session.connection().execute(
            sa.update(_leases).where(_leases.c.endpoint_id.in_(claimed)).values(holder=holder, expires_at=until)
        )
    return claimed


def renew(session: Session, endpoint_id: uuid.UUID, holder: str, until: datetime) -> bool:
    """Extend `holder`'s lease; False if it is no longer theirs (it lapsed and another instance took it)."""
    renewed = session.connection().execute(
        sa.update(_leases)
        .where(_leases.c.endpoint_id == endpoint_id, _leases.c.holder == holder)
        .values(expires_at=until)
    )
    return renewed.rowcount == 1


def release(session: Session, endpoint_id: uuid.UUID, holder: str) -> None:
    session.connection().execute(
        sa.update(_leases)
        .where(_leases.c.endpoint_id == endpoint_id, _leases.c.holder == holder)
        .values(holder=None, expires_at=None)
    )


def next_messages(session: Session, endpoint_id: uuid.UUID, limit: int) -> list[WebhookMessage]:
    """The messages outside the log waiting for the endpoint, oldest first."""
    statement = select(WebhookMessage).where(WebhookMessage.endpoint_id == endpoint_id)
    return list(session.exec(statement.order_by(col(WebhookMessage.id)).limit(limit)).all())


def delete_message(session: Session, message_id: int) -> None:
    session.connection().execute(sa.delete(_messages).where(_messages.c.id == message_id))


def circles_behind(session: Session, endpoint: WebhookEndpoint, limit: int) -> list[tuple[uuid.UUID, int]]:
    """Up to `limit` of the app's circles whose log goes past the endpoint's cursor: (circle, cursor)."""
    rows = session.connection().execute(
        sa.select(_circles.c.id, sa.func.coalesce(_cursors.c.last_seq, 0))
        .select_from(
            _circles.outerjoin(
                _cursors, sa.and_(_cursors.c.circle_id == _circles.c.id, _cursors.c.endpoint_id == endpoint.id)
            )
        )
        .where(_circles.c.app_id == endpoint.app_id, _circles.c.last_seq > sa.func.coalesce(_cursors.c.last_seq, 0))
        .order_by(_circles.c.id)
        .limit(limit)
    )
    return [(circle_id, int(last_seq)) for circle_id, last_seq in rows]


def record_attempt(session: Session, values: dict[str, Any]) -> None:
    session.connection().execute(sa.insert(_attempts), [{"id": uuid.uuid4(), **values}])


def forget_attempts_older_than(session: Session, cutoff: datetime) -> int:
    result = session.connection().execute(sa.delete(_attempts).where(_attempts.c.at < cutoff))
    return int(result.rowcount or 0)


def advance_cursor(session: Session, endpoint_id: uuid.UUID, circle_id: uuid.UUID, was: int, to: int) -> bool:
    """Move the cursor from `was` to `to`, unless it moved meanwhile (a replay set it: that one stands, and
    False says so)."""
    moved = session.connection().execute(
        sa.update(_cursors)
        .where(_cursors.c.endpoint_id == endpoint_id, _cursors.c.circle_id == circle_id, _cursors.c.last_seq == was)
        .values(last_seq=to)
    )
    if moved.rowcount == 1:
        return True
    if was == 0 and cursor_row_missing(session, endpoint_id, circle_id):  # a circle made after the endpoint
        session.connection().execute(
            sa.insert(_cursors), [{"endpoint_id": endpoint_id, "circle_id": circle_id, "last_seq": to}]
        )
        return True
    return False


def cursor_row_missing(session: Session, endpoint_id: uuid.UUID, circle_id: uuid.UUID) -> bool:
    found = session.connection().execute(
        sa.select(_cursors.c.last_seq).where(_cursors.c.endpoint_id == endpoint_id, _cursors.c.circle_id == circle_id)
    )
    return found.first() is None


def tell_signal(
    session: Session, app_id: uuid.UUID, name: str, circle_id: uuid.UUID, data: dict[str, Any], at: datetime
) -> None:
    """A request for support (or its acknowledgement) for each of the app's enabled endpoints that names it,
    in the transaction that made it: it is never in the log, so this is its one outbox."""
    for endpoint in session.exec(
        select(WebhookEndpoint).where(WebhookEndpoint.app_id == app_id, col(WebhookEndpoint.enabled).is_(True))
    ).all():
        if endpoint.events is not None and name in endpoint.events:
            message = {"message_id": f"msg_{uuid.uuid4().hex}", "circle_id": circle_id, "name": name, "at": at}
            add_message(session, endpoint.id, {**message, "data": data})


def forget_participant(session: Session, circle_id: uuid.UUID, participant_id: uuid.UUID) -> None:
    """Messages not sent yet that name an erased participant (their requests for support) are dropped; what the
    log still owes an endpoint is read from the log as the erasure rewrote it."""
    waiting = session.exec(
        select(WebhookMessage).where(WebhookMessage.circle_id == circle_id, col(WebhookMessage.name).in_(SIGNALS))
    ).all()
    for message in waiting:
        if str(participant_id) in message.data.values():
            session.delete(message)

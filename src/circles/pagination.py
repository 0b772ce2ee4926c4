"""Opaque cursors for list endpoints: a page ends where the next one starts."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

import sqlalchemy as sa
from fastapi import Query
from sqlmodel import Session
from sqlmodel.sql.expression import SelectOfScalar

from circles.errors import InvalidCursor

Row = TypeVar("Row")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

LimitQuery = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="How many items at most.")]
CursorQuery = Annotated[str | None, Query(max_length=200, description="The `next_cursor` of the previous page.")]


def encode_cursor(position: list[Any]) -> str:
    raw = json.dumps(position, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


MAX_SEQ = 2**63 - 1  # the database's BIGINT: anything larger is not a position in any list


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        position = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor() from exc
    if not isinstance(position, list) or len(position) != arity:
        raise InvalidCursor()
    for value in position:
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise InvalidCursor()
        if isinstance(value, int) and not 0 <= value <= MAX_SEQ:
            raise InvalidCursor()
    return position


def encode_time_cursor(at: datetime, object_id: uuid.UUID) -> str:
    """A cursor for lists ordered by (a time, an id)."""
    return encode_cursor([at.isoformat(), str(object_id)])


def decode_time_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    at, object_id = decode_cursor(cursor, 2)
    try:  # a cursor is the client's text: a time with no zone, or one outside UTC's years, was never given out
        when = datetime.fromisoformat(at)
        if when.tzinfo is None:
            raise InvalidCursor()
        return when.astimezone(UTC), uuid.UUID(object_id)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidCursor() from exc


def newest_first_page(
    session: Session, statement: SelectOfScalar[Row], at: Any, object_id: Any, cursor: str | None, limit: int
) -> tuple[list[Row], str | None]:
    """One page of `statement`'s rows, newest first by (`at`, `object_id`), and the cursor of the next page
    (None on the last): the keyset after the cursor's row, one row more than asked telling if there is more."""
    if cursor is not None:
        statement = statement.where(sa.tuple_(at, object_id) < sa.tuple_(*decode_time_cursor(cursor)))
    rows = list(session.exec(statement.order_by(at.desc(), object_id.desc()).limit(limit + 1)).all())
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], encode_time_cursor(getattr(last, at.key), getattr(last, object_id.key))

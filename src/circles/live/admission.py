"""Admitting a live socket: who its credential belongs to, whether they may follow the circle, and what they
missed, in one read session on one threadpool thread (a reconnect storm is thousands of these at once)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from circles.access.principal import AppPrincipal, authenticate
from circles.circle.models import Circle, CircleStatus
from circles.db import Database
from circles.errors import CircleClosed, CircleNotFound
from circles.live.catch_up import CatchUp, read_catch_up

_circles: sa.Table = Circle.__table__  # type: ignore[attr-defined]
_CIRCLE_POSITION = sa.select(_circles.c.app_id, _circles.c.status, _circles.c.last_seq).where(
    _circles.c.id == sa.bindparam("circle_id")
)


@dataclass(frozen=True, slots=True)
class Admission:
    participant_id: uuid.UUID | None  # None for the app
    role: str  # "app", or the participant's role
    catch_up: CatchUp


def admit(database: Database, token: str, circle_id: uuid.UUID, after: int | None, now: datetime) -> Admission:
    """Raises Unauthenticated (no such key or token, or its participant left), CircleNotFound (the circle does
    not exist, or is not the principal's: an app's own circles, a participant's one circle) or CircleClosed.
    The same rules as every REST request's (`circles.access.principal.enter_circle`), read as lean columns."""
    with database.read_session() as session:
        principal = authenticate(session, token)
        position = session.connection().execute(_CIRCLE_POSITION, {"circle_id": circle_id}).first()
        if position is None:
            raise CircleNotFound()
        app_id, status, last_seq = position
        if isinstance(principal, AppPrincipal):
            if app_id != principal.app_id:
                raise CircleNotFound()
            participant_id, role = None, "app"
        else:
            if principal.circle_id != circle_id:
                raise CircleNotFound()
            participant_id, role = principal.participant_id, str(principal.role)
        if status == CircleStatus.CLOSED:
            raise CircleClosed()
        return Admission(participant_id, role, read_catch_up(session, circle_id, last_seq, after, now))

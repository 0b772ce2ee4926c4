"""Admitting live sockets: who each credential belongs to, whether they may follow the circle, and what they
missed. A reconnect storm is thousands of admissions at once, so they are read together: one read session
for all that are waiting, the credentials in one query, the circles' positions in another, and one replay
for all who resume one circle from one seq (see circles.live.admission_desk). A keeper's or the app's socket is
also sent, after its catch-up, the requests for support no one has acknowledged yet (read once per circle)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from circles.access.principal import AppPrincipal, authenticate_all
from circles.db import Database
from circles.errors import CircleClosed, CircleNotFound, Unauthenticated
from circles.live.catch_up import CatchUp, read_catch_up
from circles.records.circle.models import Circle, CircleStatus
from circles.support.service import pending_frames
from circles.talking_piece.model import Role

_circles: sa.Table = Circle.__table__  # type: ignore[attr-defined]
_CIRCLE_POSITIONS = sa.select(_circles.c.id, _circles.c.app_id, _circles.c.status, _circles.c.last_seq).where(
    _circles.c.id.in_(sa.bindparam("circle_ids", expanding=True))
)


@dataclass(frozen=True, slots=True)
class AdmissionRequest:
    token: str  # the app key or participant token of the auth message
    circle_id: uuid.UUID
    after: int | None  # the seq the client has, to resume from; None for a snapshot


@dataclass(frozen=True, slots=True)
class Admission:
    participant_id: uuid.UUID | None  # None for the app
    role: str  # "app", or the participant's role
    catch_up: CatchUp
    private: tuple[str, ...] = ()  # private frames it is sent after its catch-up (keepers and the app only)


def admit_all(database: Database, requests: Sequence[AdmissionRequest], now: datetime) -> list[Admission | Exception]:
    """Each request's admission, or why it is refused: Unauthenticated (no such key or token, or its participant
    left), CircleNotFound (no such circle, or not the principal's: an app's own circles, a participant's one
    circle) or CircleClosed. The same rules as every REST request's (`circles.access.principal.enter_circle`),
    read as lean columns, in one consistent read."""
    with database.read_session() as session:
        principals = authenticate_all(session, {r.token for r in requests})
        circle_ids = list({r.circle_id for r in requests})
        positions = {row.id: row for row in session.connection().execute(_CIRCLE_POSITIONS, {"circle_ids": circle_ids})}
        catch_ups: dict[tuple[uuid.UUID, int | None], CatchUp] = {}  # one replay for all who resume alike
        pending: dict[uuid.UUID, tuple[str, ...]] = {}  # each circle's unacknowledged requests for support
        answers: list[Admission | Exception] = []
        for request in requests:
            try:
                principal = principals.get(request.token)
                if principal is None:
                    raise Unauthenticated()
                position = positions.get(request.circle_id)
                if position is None:
                    raise CircleNotFound()
                if isinstance(principal, AppPrincipal):
                    if position.app_id != principal.app_id:
                        raise CircleNotFound()
                    participant_id, role = None, "app"
                else:
                    if principal.circle_id != request.circle_id:
                        raise CircleNotFound()
                    participant_id, role = principal.participant_id, str(principal.role)
                if position.status == CircleStatus.CLOSED:
                    raise CircleClosed()
                key = (request.circle_id, request.after)
                if (catch_up := catch_ups.get(key)) is None:
                    catch_up = catch_ups[key] = read_catch_up(
                        session, request.circle_id, position.last_seq, request.after, now
                    )
                private: tuple[str, ...] = ()
                if role in ("app", Role.KEEPER):
                    if request.circle_id not in pending:
                        pending[request.circle_id] = tuple(pending_frames(session, request.circle_id))
                    private = pending[request.circle_id]
                answers.append(Admission(participant_id, role, catch_up, private))
            except (Unauthenticated, CircleNotFound, CircleClosed) as refusal:
                answers.append(refusal)
        return answers

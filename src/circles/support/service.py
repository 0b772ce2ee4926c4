"""Asking for support: kept as who and when, told privately to the keepers' and the app's sockets, and
pending until a keeper or the app acknowledges it.

Never an event: the log and the public stream are everyone's, and a request for support is not.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session

from circles import unit_of_work
from circles.access.principal import CircleAccess, Principal, enter_circle, enter_open_circle
from circles.audit.repository import note_created
from circles.event.private_notices import PrivateNotice
from circles.records.participant import repository as participant_repository
from circles.records.support import repository
from circles.records.support.models import SupportAcknowledgedFrame, SupportFrame, SupportSignal, SupportStatus
from circles.records.webhook import repository as webhook_repository
from circles.records.webhook.models import SUPPORT_ACKNOWLEDGED, SUPPORT_REQUESTED
from circles.support.errors import ParticipantOnly, SupportNotFound
from circles.talking_piece.model import Role

# At most this many pending requests are sent to a socket after its catch-up: the newest. A screen that
# wants the rest reads `GET …/support?status=pending`.
REPLAYED_AT_MOST = 100


def ask(session: Session, principal: Principal, circle_id: uuid.UUID) -> SupportSignal:
    """The participant asks for support. The circle's keepers (as they are now) and the app are told."""
    access = enter_open_circle(session, principal, circle_id)
    participant_id = access.actor.participant_id
    if participant_id is None:
        raise ParticipantOnly()
    signal = SupportSignal(circle_id=access.circle.id, participant_id=participant_id, at=unit_of_work.of(session).now)
    session.add(signal)
    session.flush()
    note_created(session, signal.id)
    _tell_keepers(session, access, _support_frame(signal.id, signal.participant_id, signal.at))
    data = {"signal_id": str(signal.id), "participant_id": str(participant_id)}
    webhook_repository.tell_signal(session, access.circle.app_id, SUPPORT_REQUESTED, access.circle.id, data, signal.at)
    return signal


def acknowledge(session: Session, principal: Principal, circle_id: uuid.UUID, signal_id: uuid.UUID) -> SupportSignal:
    """A keeper or the app acknowledges a request: the keepers' and the app's screens stop showing it, and it
    is no longer sent to sockets that connect. Acknowledging it again changes nothing and answers it as it is
    (who acknowledged it first, and when)."""
    access = enter_circle(session, principal, circle_id, lock=True)
    access.require_keeper()
    signal = repository.get(session, access.circle.id, signal_id)
    if signal is None:
        raise SupportNotFound()
    if signal.acknowledged_at is None:
        by, at = access.actor.participant_id, unit_of_work.of(session).now
        if repository.mark_acknowledged(session, signal.id, by, at):
            signal.acknowledged_by, signal.acknowledged_at = by, at
            frame = SupportAcknowledgedFrame(signal_id=signal.id, acknowledged_by=by, acknowledged_at=at)
            _tell_keepers(session, access, frame.model_dump_json())
            data = {"signal_id": str(signal.id), "acknowledged_by": str(by) if by is not None else None}
            webhook_repository.tell_signal(
                session, access.circle.app_id, SUPPORT_ACKNOWLEDGED, access.circle.id, data, at
            )
        else:
            session.refresh(signal)  # someone else's acknowledgement came first
    return signal


def page(
    session: Session,
    principal: Principal,
    circle_id: uuid.UUID,
    status: SupportStatus | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[SupportSignal], str | None]:
    """Who asked for support and when (those with `status`, or all), newest first (app or keeper)."""
    access = enter_circle(session, principal, circle_id)
    access.require_keeper()
    return repository.page(session, access.circle.id, status, cursor, limit)


def pending_frames(session: Session, circle_id: uuid.UUID) -> list[str]:
    """The `support` frames of the requests no one has acknowledged yet (the newest REPLAYED_AT_MOST, oldest
    first), as a keeper's or the app's socket is sent them after its catch-up."""
    return [
        _support_frame(row.id, row.participant_id, row.at)
        for row in repository.pending(session, circle_id, REPLAYED_AT_MOST)
    ]


def _support_frame(signal_id: uuid.UUID, participant_id: uuid.UUID, at: datetime) -> str:
    """The `support` frame, as one is sent when a request is made and again to sockets that connect later."""
    return SupportFrame(signal_id=signal_id, participant_id=participant_id, at=at).model_dump_json()


def _tell_keepers(session: Session, access: CircleAccess, text: str) -> None:
    """After the commit, the circle's keepers (as they are now) and the app get `text` on their sockets."""
    keepers = frozenset(
        p.id for p in participant_repository.present(session, access.circle.id) if p.role == Role.KEEPER
    )
    unit_of_work.of(session).notices.append(PrivateNotice(access.circle.id, keepers, text))

"""Asking for support: kept as who and when, told privately to the keepers' and the app's sockets.

Never an event: the log and the public stream are everyone's, and a request for support is not.
"""

from __future__ import annotations

import uuid

from sqlmodel import Session

from circles.access.principal import Principal, enter_circle, enter_open_circle
from circles.audit.repository import note_created
from circles.db import utc_now
from circles.errors import Forbidden
from circles.live import private
from circles.participant import repository as participant_repository
from circles.support import repository
from circles.support.models import SupportFrame, SupportSignal
from circles.talking_piece.model import Role


class ParticipantOnly(Forbidden):
    code = "participant_only"
    message = "Only a participant may ask for support, for themselves."


def ask(session: Session, principal: Principal, circle_id: uuid.UUID) -> SupportSignal:
    """The participant asks for support. The circle's keepers (as they are now) and the app are told."""
    access = enter_open_circle(session, principal, circle_id)
    participant_id = access.actor.participant_id
    if participant_id is None:
        raise ParticipantOnly()
    signal = SupportSignal(circle_id=access.circle.id, participant_id=participant_id, at=utc_now())
    session.add(signal)
    session.flush()
    note_created(session, signal.id)
    keepers = frozenset(
        p.id for p in participant_repository.present(session, access.circle.id) if p.role == Role.KEEPER
    )
    frame = SupportFrame(signal_id=signal.id, participant_id=participant_id, at=signal.at)
    private.note(session, private.PrivateNotice(access.circle.id, keepers, frame.model_dump_json()))
    return signal


def page(
    session: Session, principal: Principal, circle_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[SupportSignal], str | None]:
    """Who asked for support and when, newest first (app or keeper)."""
    access = enter_circle(session, principal, circle_id)
    access.require_keeper()
    return repository.page(session, access.circle.id, cursor, limit)

"""Post-commit consumers dispatch on typed events: every name is an `EventName` with its `EVENTS` model, and
what an event does to sockets (whom it closes, and with what code; a change of seating) follows from its type."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from circles.event.errors import UnknownEvent
from circles.event.models import EventPublic
from circles.event.payloads import (
    EVENTS,
    EventName,
    LoggedEvent,
    ParticipantData,
    ParticipantLeftData,
    TurnData,
)
from circles.live.event_effects import Closure, closure_of, reseating_of
from circles.live.protocol import CloseCode
from circles.records.participant.models import ParticipantInLog
from circles.talking_piece.model import Role

CIRCLE = uuid.uuid4()
AT = datetime(2026, 1, 1, tzinfo=UTC)


def logged(name: EventName, data: dict[str, object], seq: int = 1) -> LoggedEvent:
    return LoggedEvent(CIRCLE, EventPublic(seq=seq, name=name, at=AT, data=data))


def participant(role: Role) -> ParticipantInLog:
    return ParticipantInLog(
        id=uuid.uuid4(),
        circle_id=CIRCLE,
        display_name="Ana",
        role=role,
        seat=1,
        joined_at=AT,
        agreed_version=None,
        agreed_at=None,
    )


def test_every_event_name_has_its_model_and_the_wire_keeps_the_plain_name() -> None:
    assert set(EventName) == set(EVENTS)
    assert (
        EventPublic(seq=1, name=EventName.TURN_STARTED, at=AT, data={}).model_dump_json().count('"turn.started"') == 1
    )


def test_a_participant_leaving_closes_their_sockets_and_changes_the_seating() -> None:
    leaver = uuid.uuid4()
    event = logged(EventName.PARTICIPANT_LEFT, ParticipantLeftData(participant_id=leaver).model_dump(mode="json"))
    closure = closure_of(event)
    assert closure == Closure(CloseCode.REMOVED, leaver)
    assert closure.closes(leaver) and not closure.closes(uuid.uuid4()) and not closure.closes(None)
    reseating = reseating_of(event)
    assert reseating is not None and reseating.participant is None


def test_a_closed_circle_closes_every_socket_and_a_turn_closes_none() -> None:
    closed = logged(EventName.CIRCLE_CLOSED, {})  # its data is not read to decide that
    closure = closure_of(closed)
    assert closure == Closure(CloseCode.CIRCLE_GONE)
    assert closure.closes(uuid.uuid4()) and closure.closes(None)
    started = logged(EventName.TURN_STARTED, {})
    assert closure_of(started) is None and reseating_of(started) is None


def test_a_seating_change_carries_the_typed_participant() -> None:
    witness = participant(Role.WITNESS)
    event = logged(EventName.PARTICIPANT_UPDATED, ParticipantData(participant=witness).model_dump(mode="json"))
    reseating = reseating_of(event)
    assert reseating is not None and reseating.participant == witness
    assert reseating.participant.role is Role.WITNESS
    assert closure_of(event) is None


def test_data_is_read_as_the_model_its_name_registers_and_no_other() -> None:
    event = logged(EventName.PARTICIPANT_LEFT, {"participant_id": str(uuid.uuid4())})
    assert isinstance(event.payload, ParticipantLeftData)
    with pytest.raises(UnknownEvent):
        event.data_as(TurnData)

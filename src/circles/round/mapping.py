"""Between the rows we store and the talking piece's own dataclasses, and into the events we log."""

from __future__ import annotations

import operator
import uuid
from collections.abc import Collection, Sequence
from typing import Any, Protocol

from circles.event.payloads import (
    EventData,
    EventName,
    HandLoweredData,
    HandsData,
    RoundData,
    RoundResumedData,
    TurnData,
)
from circles.records.circle.models import Circle
from circles.records.round.models import Round, RoundPublic, RoundWithTurns, Turn, TurnPublic
from circles.records.round.repository import ROUND_CHANGES, TURN_CHANGES, TURN_FIELDS
from circles.talking_piece import events as piece_events
from circles.talking_piece import model as piece


class SeatedParticipant(Protocol):
    """What seating_of reads of a participant: a Participant, or a row of participant_repository.seats_present."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def seat(self) -> int: ...
    @property
    def role(self) -> str: ...
    @property
    def agreed_version(self) -> int | None: ...


def seating_of(
    participants: Sequence[SeatedParticipant], circle: Circle, online: Collection[uuid.UUID] | None = None
) -> list[piece.Seat]:
    """Everyone present as the talking piece sees them; with agreements, who accepted their current version;
    with `online` (absence rounds), who has a live connection (None: not asked, everyone counts as online).

    Every command builds this for every holder of the circle, so it asks the circle once, not once a seat."""
    version = circle.agreements_version if circle.agreements else None
    return [
        piece.Seat(
            p.id,
            p.seat,
            _ROLES[p.role],
            version is None or p.agreed_version == version,
            online is None or p.id in online,
        )
        for p in participants
    ]


# The talking piece's enums by their stored value (a dict look-up costs a fraction of the enum's own call,
# and a command maps every turn and seat of its round).
_ROLES = {role.value: role for role in piece.Role}
_OUTCOMES: dict[str | None, piece.Outcome | None] = {None: None, **{o.value: o for o in piece.Outcome}}
_HOW_GIVEN = {how.value: how for how in piece.HowGiven}


# A turn's `TURN_FIELDS` values as a tuple, from a stored row or the piece's Turn alike.
_turn_values = operator.attrgetter(*TURN_FIELDS)


_OUTCOME, _HOW = TURN_FIELDS.index("outcome"), TURN_FIELDS.index("how")


def _piece_turn(row: Any) -> piece.Turn:
    """The talking piece's Turn from a stored row (`repository.lean_turns_of`): its fields in their order."""
    values = list(_turn_values(row))
    values[_OUTCOME] = _OUTCOMES[values[_OUTCOME]]
    values[_HOW] = _HOW_GIVEN[values[_HOW]]
    return piece.Turn(*values)


def to_piece_round(row: Round, turns: Sequence[Any], hands: Sequence[Any]) -> piece.Round:
    """The round as the talking piece sees it; `turns` and `hands` are rows with Turn's and Hand's attributes
    (see `repository.lean_turns_of`)."""
    return piece.Round(
        id=row.id,
        kind=piece.RoundKind(row.kind),
        status=piece.RoundStatus(row.status),
        turn_seconds=row.turn_seconds,
        time_limit=piece.TimeLimit(row.time_limit),
        pass_back=row.pass_back,
        starts_with=row.starts_with,
        origin_seat=row.origin_seat,
        started_at=row.started_at,
        cursor_seat=row.cursor_seat,
        phase=piece.Lap(row.phase),
        paused_at=row.paused_at,
        ended_at=row.ended_at,
        end_reason=piece.EndReason(row.end_reason) if row.end_reason else None,
        turns=[_piece_turn(t) for t in turns],
        hands=[piece.Hand(participant_id=h.participant_id, raised_at=h.raised_at) for h in hands],
        returns_to=row.returns_to,
        offer_seconds=row.offer_seconds,
        pause_seconds=row.pause_seconds,
        absence=row.absence,
    )


def new_round_row(state: piece.Round, circle_id: uuid.UUID, prompt: str | None) -> Round:
    row = Round(
        id=state.id,
        circle_id=circle_id,
        prompt=prompt,
        kind=state.kind,
        status=state.status,
        time_limit=state.time_limit,
        starts_with=state.starts_with,
        origin_seat=state.origin_seat,
        cursor_seat=state.cursor_seat,
        phase=state.phase,
        started_at=state.started_at,
    )
    copy_round(state, row)
    return row


def copy_round(state: piece.Round, row: Round) -> None:
    for name, value in round_changes(state).items():
        setattr(row, name, value)


def round_changes(state: piece.Round) -> dict[str, Any]:
    """The values of the round's row a command may have changed (`repository.ROUND_CHANGES`)."""
    return {name: getattr(state, name) for name in ROUND_CHANGES}


def changed_turns(
    state: piece.Round, rows: Sequence[Any], circle_id: uuid.UUID
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(updated, new) turns as column values, for the state's turns that differ from the stored `rows` (read
    by `repository.lean_turns_of`); an ended turn's row never changes again."""
    by_id = {row.id: row for row in rows}
    updated: list[dict[str, Any]] = []
    new: list[dict[str, Any]] = []
    for position, turn in enumerate(state.turns):
        row = by_id.get(turn.id)
        changing = _turn_changes(turn)
        if row is None:
            new.append(
                {
                    "id": turn.id,
                    "position": position,
                    "round_id": state.id,
                    "circle_id": circle_id,
                    "participant_id": turn.participant_id,
                    "started_at": turn.started_at,
                    "how": turn.how,
                    **dict(zip(TURN_CHANGES, changing, strict=True)),
                }
            )
        elif _turn_changes(row) != changing:
            updated.append({"id": turn.id, **dict(zip(TURN_CHANGES, changing, strict=True))})
    return updated, new


# A turn's TURN_CHANGES values as a tuple, from a stored row or the piece's Turn alike (compared whole: every
# command compares every turn of its round).
_turn_changes = operator.attrgetter(*TURN_CHANGES)


def changed_hands(state: piece.Round, rows: Sequence[Any], circle_id: uuid.UUID) -> list[dict[str, Any]] | None:
    """The rows for the state's line of hands, as column values, when it differs from the stored `rows`, else
    None (nothing to write)."""
    stored = [piece.Hand(participant_id=row.participant_id, raised_at=row.raised_at) for row in rows]
    if stored == state.hands:
        return None
    return [
        {
            "round_id": state.id,
            "participant_id": hand.participant_id,
            "circle_id": circle_id,
            "position": position,
            "raised_at": hand.raised_at,
        }
        for position, hand in enumerate(state.hands)
    ]


def round_public(row: Round) -> RoundPublic:
    return RoundPublic.model_validate(row, from_attributes=True)


_ROUND_FIELDS = tuple(RoundPublic.model_fields)


def round_with_turns(row: Round, turns: list[TurnPublic], hands: list[uuid.UUID]) -> RoundWithTurns:
    return RoundWithTurns(**{name: getattr(row, name) for name in _ROUND_FIELDS}, turns=turns, hands=hands)


def turn_public(turn: piece.Turn | Turn, round_id: uuid.UUID) -> TurnPublic:
    """The one view of a turn (REST, events, snapshots): its `TURN_FIELDS` and its round."""
    return TurnPublic(round_id=round_id, **dict(zip(TURN_FIELDS, _turn_values(turn), strict=True)))


def event_record(event: piece_events.DomainEvent, row: Round) -> tuple[EventName, EventData]:
    """The log's name and data for one of the talking piece's events."""
    match event:
        case piece_events.RoundStarted():
            return EventName.ROUND_STARTED, RoundData(round=round_public(row))
        case piece_events.RoundPaused():
            return EventName.ROUND_PAUSED, RoundData(round=round_public(row))
        case piece_events.RoundResumed(turn=turn):
            resumed_turn = turn_public(turn, row.id) if turn else None
            return EventName.ROUND_RESUMED, RoundResumedData(round=round_public(row), turn=resumed_turn)
        case piece_events.RoundEnded():
            return EventName.ROUND_ENDED, RoundData(round=round_public(row))
        case piece_events.TurnStarted(turn=turn):
            return EventName.TURN_STARTED, TurnData(turn=turn_public(turn, row.id))
        case piece_events.TurnEnded(turn=turn):
            return EventName.TURN_ENDED, TurnData(turn=turn_public(turn, row.id))
        case piece_events.TurnOvertime(turn=turn):
            return EventName.TURN_OVERTIME, TurnData(turn=turn_public(turn, row.id))
        case piece_events.TurnAccepted(turn=turn):
            return EventName.TURN_ACCEPTED, TurnData(turn=turn_public(turn, row.id))
        case piece_events.TurnAway(turn=turn):
            return EventName.TURN_AWAY, TurnData(turn=turn_public(turn, row.id))
        case piece_events.TurnBack(turn=turn):
            return EventName.TURN_BACK, TurnData(turn=turn_public(turn, row.id))
        case piece_events.HandRaised():
            return EventName.HAND_RAISED, HandsData(
                round_id=event.round_id, participant_id=event.participant_id, hands=list(event.hands)
            )
        case piece_events.HandLowered():
            return EventName.HAND_LOWERED, HandLoweredData(
                round_id=event.round_id,
                participant_id=event.participant_id,
                reason=event.reason.value,
                hands=list(event.hands),
            )
        case piece_events.HandCalled():
            return EventName.HAND_CALLED, HandsData(
                round_id=event.round_id, participant_id=event.participant_id, hands=list(event.hands)
            )
    raise AssertionError(f"unmapped event {event!r}")

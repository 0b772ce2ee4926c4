"""Rounds and turns: load the round, ask the talking piece, save what it decided, log its events.

Every command locks the circle first (see circle.repository.get), so commands in one circle run one at
a time, and a command on a turn that is no longer open is refused by the talking piece with a 409.
Services never commit: the request's session (or the timer's) does, once.

In an absence round the talking piece is told who is online: whatever moved the piece (a request, a
socket command, a timer, a seating change), it is the snapshot the write's unit of work read on the event
loop before the write began (see `circles.unit_of_work`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlmodel import Session

from circles import unit_of_work
from circles.access.principal import Principal, enter_circle, enter_open_circle
from circles.audit.repository import note_created
from circles.db import sent_together
from circles.event import log as event_log
from circles.records.breakout import repository as breakout_repository
from circles.records.circle import repository as circle_repository
from circles.records.circle.models import Circle, CircleStatus
from circles.records.participant import repository as participant_repository
from circles.records.round import repository
from circles.records.round.models import Round, RoundCreate, RoundWithTurns
from circles.round.errors import BreakoutUnderWay, RoundAlreadyActive, RoundNotFound, TurnNotFound
from circles.round.mapping import (
    changed_hands,
    changed_turns,
    event_record,
    new_round_row,
    round_changes,
    round_with_turns,
    seating_of,
    to_piece_round,
    turn_public,
)
from circles.talking_piece.engine import TalkingPiece
from circles.talking_piece.model import Actor, Outcome, RoundKind, RoundStatus, Seat, TimeLimit

T = TypeVar("T")


def start(session: Session, principal: Principal, circle_id: uuid.UUID, data: RoundCreate) -> RoundWithTurns:
    access = enter_open_circle(session, principal, circle_id)
    now = unit_of_work.of(session).now
    access.require_keeper()
    circle = access.circle
    if repository.unended(session, circle.id) is not None:
        raise RoundAlreadyActive()
    if breakout_repository.unended(session, circle.id) is not None:
        raise BreakoutUnderWay()
    turn_seconds = data.turn_seconds if "turn_seconds" in data.model_fields_set else circle.turn_seconds
    online = _online(session, circle.id) if data.absence else None
    piece = TalkingPiece.start(
        round_id=uuid.uuid4(),
        seating=seating_of(participant_repository.holders_present(session, circle.id), circle, online),
        now=now,
        turn_seconds=turn_seconds,
        time_limit=TimeLimit(data.time_limit or circle.time_limit),
        pass_back=data.pass_back,
        starts_with=data.starts_with,
        kind=data.kind,
        offer_seconds=data.offer_seconds,
        pause_seconds=data.pause_seconds,
        absence=data.absence,
    )
    row = new_round_row(piece.round, circle.id, data.prompt)
    session.add(row)
    session.flush()
    note_created(session, row.id)
    _save(session, circle, row, [], [], piece, now)
    return _view_of(piece, row)


def get(session: Session, principal: Principal, circle_id: uuid.UUID, round_id: uuid.UUID) -> RoundWithTurns:
    access = enter_circle(session, principal, circle_id)
    row = repository.get(session, access.circle.id, round_id)
    if row is None:
        raise RoundNotFound()
    return _view(session, row)


def pause(session: Session, principal: Principal, circle_id: uuid.UUID, round_id: uuid.UUID) -> RoundWithTurns:
    return _round_command(session, principal, circle_id, round_id, TalkingPiece.pause)


def resume(session: Session, principal: Principal, circle_id: uuid.UUID, round_id: uuid.UUID) -> RoundWithTurns:
    return _round_command(session, principal, circle_id, round_id, TalkingPiece.resume)


def end(session: Session, principal: Principal, circle_id: uuid.UUID, round_id: uuid.UUID) -> RoundWithTurns:
    return _round_command(session, principal, circle_id, round_id, TalkingPiece.end)


def finish_turn(
    session: Session, principal: Principal, circle_id: uuid.UUID, turn_id: uuid.UUID, outcome: Outcome
) -> RoundWithTurns:
    return _turn_command(
        session, principal, circle_id, turn_id, lambda p, actor, now: p.finish(turn_id, outcome, actor, now)
    )


def accept_turn(session: Session, principal: Principal, circle_id: uuid.UUID, turn_id: uuid.UUID) -> RoundWithTurns:
    return _turn_command(session, principal, circle_id, turn_id, lambda p, actor, now: p.accept(turn_id, actor, now))


def skip_turn(session: Session, principal: Principal, circle_id: uuid.UUID, turn_id: uuid.UUID) -> RoundWithTurns:
    return _turn_command(session, principal, circle_id, turn_id, lambda p, actor, now: p.skip(turn_id, actor, now))


def raise_hand(session: Session, principal: Principal, circle_id: uuid.UUID, round_id: uuid.UUID) -> RoundWithTurns:
    return _round_command(session, principal, circle_id, round_id, TalkingPiece.raise_hand)


def lower_hand(
    session: Session, principal: Principal, circle_id: uuid.UUID, round_id: uuid.UUID, participant_id: uuid.UUID
) -> None:
    """Answers nothing (204), so builds no view of the round."""
    _run_round_command(
        session, principal, circle_id, round_id, lambda p, actor, now: p.lower_hand(participant_id, actor)
    )


def call_on(
    session: Session, principal: Principal, circle_id: uuid.UUID, round_id: uuid.UUID, participant_id: uuid.UUID
) -> RoundWithTurns:
    return _round_command(
        session, principal, circle_id, round_id, lambda p, actor, now: p.call_on(participant_id, actor, now)
    )


def give(
    session: Session,
    principal: Principal,
    circle_id: uuid.UUID,
    round_id: uuid.UUID,
    participant_id: uuid.UUID,
    turn_id: uuid.UUID | None,
) -> RoundWithTurns:
    return _round_command(
        session, principal, circle_id, round_id, lambda p, actor, now: p.give(participant_id, turn_id, actor, now)
    )


def speak_out_of_turn(
    session: Session, principal: Principal, circle_id: uuid.UUID, round_id: uuid.UUID, turn_id: uuid.UUID
) -> RoundWithTurns:
    return _round_command(
        session, principal, circle_id, round_id, lambda p, actor, now: p.speak_out_of_turn(turn_id, actor, now)
    )


def expire_turn(session: Session, circle_id: uuid.UUID, turn_id: uuid.UUID) -> datetime | None:
    """A deadline timer fired. Returns when to look again (the deadline moved), or None.

    Whichever timer or instance gets here first acts; the rest find the turn ended (or its overtime
    announced) and change nothing, so a deadline fires exactly once.
    """
    circle = circle_repository.get(session, circle_id, lock=True)
    now = unit_of_work.of(session).now
    turn = repository.get_turn(session, circle_id, turn_id)
    if circle is None or circle.status == CircleStatus.CLOSED or turn is None or turn.ended_at is not None:
        return None
    row = repository.get(session, circle_id, turn.round_id)
    if row is None or row.status != RoundStatus.ACTIVE:
        return None
    return _apply(session, circle, row, now, lambda piece: piece.expire(turn_id, now))


def presence_changed(session: Session, circle_id: uuid.UUID, grace: timedelta) -> None:
    """Who is online in the circle may have changed. In an absence round, a holder gone offline is marked
    away for `grace`; one back in time keeps the piece.

    Who is online is the write's snapshot, read after whatever change prompted this call was recorded. Of
    two calls racing (a drop and a quick return, on one instance or two) the one holding the older snapshot
    may commit last: `AbsenceWatch` looks again after each call and calls again until what it applied is
    still who is online. A call that finds nothing to change changes nothing."""
    circle = circle_repository.get(session, circle_id, lock=True)
    if circle is None or circle.status == CircleStatus.CLOSED:
        return
    row = repository.unended(session, circle.id)
    if row is None or not row.absence or (online := _online(session, circle.id)) is None:
        return
    now = unit_of_work.of(session).now
    # Only the holder's presence matters here, and a holder is never a witness (a seating change that makes
    # them one ends their turn in the same transaction): those who may hold are all it needs.
    seating = seating_of(participant_repository.holders_present(session, circle.id), circle, online)
    _apply(session, circle, row, now, lambda piece: piece.presence_changed(seating, now, grace), seating=seating)


def seating_changed(session: Session, circle: Circle, now: datetime) -> None:
    """Someone joined, left, moved or changed role: the round in progress (if any) takes note.

    The caller holds the circle's lock."""
    row = repository.unended(session, circle.id)
    if row is None:
        return
    online = _online(session, circle.id) if row.absence else None
    # Everyone, witnesses too: a holder who became a witness ends `skipped`, one who left ends `left`.
    seating = seating_of(participant_repository.seats_present(session, circle.id), circle, online)
    _apply(session, circle, row, now, lambda piece: piece.seating_changed(seating, now), seating=seating)


def close_round(session: Session, circle: Circle, now: datetime) -> None:
    """The circle is closing: its round in progress ends. The caller holds the circle's lock."""
    row = repository.unended(session, circle.id)
    if row is None:
        return
    _apply(session, circle, row, now, lambda piece: piece.close(now))


def _round_command(
    session: Session,
    principal: Principal,
    circle_id: uuid.UUID,
    round_id: uuid.UUID,
    command: Callable[[TalkingPiece, Actor, datetime], None],
) -> RoundWithTurns:
    return _view_of(*_run_round_command(session, principal, circle_id, round_id, command))


def _run_round_command(
    session: Session,
    principal: Principal,
    circle_id: uuid.UUID,
    round_id: uuid.UUID,
    command: Callable[[TalkingPiece, Actor, datetime], None],
) -> tuple[TalkingPiece, Round]:
    access = enter_open_circle(session, principal, circle_id)
    now = unit_of_work.of(session).now
    row = repository.get(session, access.circle.id, round_id)
    if row is None:
        raise RoundNotFound()
    return _apply(session, access.circle, row, now, lambda piece: _commanded(piece, command, access.actor, now)), row


def _turn_command(
    session: Session,
    principal: Principal,
    circle_id: uuid.UUID,
    turn_id: uuid.UUID,
    command: Callable[[TalkingPiece, Actor, datetime], None],
) -> RoundWithTurns:
    access = enter_open_circle(session, principal, circle_id)
    now = unit_of_work.of(session).now
    row = repository.round_of_turn(session, access.circle.id, turn_id)
    if row is None:
        raise TurnNotFound()
    piece = _apply(session, access.circle, row, now, lambda piece: _commanded(piece, command, access.actor, now))
    return _view_of(piece, row)


def _commanded(
    piece: TalkingPiece, command: Callable[[TalkingPiece, Actor, datetime], None], actor: Actor, now: datetime
) -> TalkingPiece:
    command(piece, actor, now)
    return piece


def _view(session: Session, row: Round) -> RoundWithTurns:
    turns = [turn_public(turn, row.id) for turn in repository.turns_of(session, row.id)]
    hands = [hand.participant_id for hand in repository.hands_of(session, row.id)]
    return round_with_turns(row, turns, hands)


def _view_of(piece: TalkingPiece, row: Round) -> RoundWithTurns:
    """The round as a command left it, from the talking piece's state, which is what was just saved (no need
    to read the turns and hands back)."""
    turns = [turn_public(turn, row.id) for turn in piece.round.turns]
    return round_with_turns(row, turns, [hand.participant_id for hand in piece.round.hands])


def _apply(
    session: Session,
    circle: Circle,
    row: Round,
    now: datetime,
    act: Callable[[TalkingPiece], T],
    online: Collection[uuid.UUID] | None = None,
    seating: Sequence[Seat] | None = None,
) -> T:
    """Load the round into the talking piece, let `act` command it, save what it decided; act's answer.

    The piece is handed `seating` when given, else those who may hold it (keepers and members, read as
    lean rows): the talking piece never gives the piece to a witness, so a round command's work does not
    grow with their number. An absence round is told who is online (`online`, else the session's online
    reader)."""
    session.flush()  # what the caller changed through the ORM goes first: what follows is read and written directly
    turns = repository.lean_turns_of(session, row.id)
    # Hands are raised only in open rounds (the talking piece refuses them in any other), so only an open
    # round has any to read.
    hands = repository.lean_hands_of(session, row.id) if row.kind == RoundKind.OPEN else []
    if seating is None:
        if row.absence and online is None:
            online = _online(session, row.circle_id)
        seating = seating_of(participant_repository.holders_present(session, row.circle_id), circle, online)
    piece = TalkingPiece(to_piece_round(row, turns, hands), seating)
    answer = act(piece)
    _save(session, circle, row, turns, hands, piece, now)
    return answer


def _online(session: Session, circle_id: uuid.UUID) -> Collection[uuid.UUID] | None:
    """Who had a live connection in the circle when the write began (its unit of work's snapshot); None if
    it read none (then everyone counts as online: nothing is passed over for absence)."""
    return unit_of_work.of(session).online_in(circle_id)


def _save(
    session: Session,
    circle: Circle,
    row: Round,
    turns: Sequence[Any],
    hands: Sequence[Any],
    piece: TalkingPiece,
    now: datetime,
) -> None:
    """Write what the talking piece decided, then log its events, in the caller's transaction (as single
    statements: see `circles.records.round.repository`)."""
    if not piece.events:
        return
    session.flush()  # what the ORM holds goes first, outside the pipeline (append_all's flush then has nothing)
    with sent_together(session):
        repository.write_round(session, row, round_changes(piece.round))
        updated, new = changed_turns(piece.round, turns, circle.id)
        repository.write_turns(session, updated, new)
        new_line = changed_hands(piece.round, hands, circle.id)
        if new_line is not None:
            repository.write_hands(session, row.id, new_line)
        # The events describe the round as written (write_round set its new values on `row`).
        event_log.append_all(session, circle, [event_record(event, row) for event in piece.events], now)

"""Where the piece goes next: who is owed it, in what order, and who gets it when it is free.

Pure functions over a `Round` and the seating of everyone present; `TalkingPiece` calls them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from uuid import UUID

from circles.talking_piece import hands
from circles.talking_piece.events import DomainEvent
from circles.talking_piece.model import HowGiven, Lap, Outcome, Round, RoundKind, RoundStatus, Seat, Turn


def owed(the_round: Round, seating: Sequence[Seat], phase: Lap) -> list[Seat]:
    """Those seated who may hold and are owed the piece in `phase` of a sequential round."""
    had: dict[UUID, list[Turn]] = {}
    for turn in the_round.turns:
        if turn.counts:
            had.setdefault(turn.participant_id, []).append(turn)

    def is_owed(seat: Seat) -> bool:
        turns = had.get(seat.participant_id, [])
        if not turns:
            return True
        return phase is Lap.PASS_BACK and len(turns) == 1 and turns[0].outcome is Outcome.PASSED

    return [s for s in seating if s.may_hold and is_owed(s)]


def in_order(seats: Sequence[Seat], cursor_seat: int) -> list[Seat]:
    """Clockwise from just after `cursor_seat`, wrapping around (two in one seat: by id)."""
    return sorted(seats, key=_clockwise_from(cursor_seat))


def _clockwise_from(cursor_seat: int) -> Callable[[Seat], tuple[bool, int, UUID]]:
    """in_order's sort key. Ids compare as their text does (same length, hex digits), without making it."""
    return lambda s: (s.seat <= cursor_seat, s.seat, s.participant_id)


def up_next(the_round: Round, seating: Sequence[Seat]) -> list[UUID]:
    """Who is still owed the piece, in the order they will get it as things stand (see TalkingPiece)."""
    if the_round.status is RoundStatus.ENDED:
        return []
    back = _seat_of(seating, the_round.returns_to)
    first = [back.participant_id] if back is not None and back.may_hold else []
    if the_round.kind is RoundKind.OPEN:
        return first + [p for p in hands.in_line(the_round) if p not in first]
    order = first + [
        s.participant_id for s in in_order(owed(the_round, seating, the_round.phase), the_round.cursor_seat)
    ]
    order = list(dict.fromkeys(order))
    if the_round.phase is Lap.FIRST and the_round.pass_back:
        again = [s for s in owed(the_round, seating, Lap.PASS_BACK) if s.participant_id not in order]
        order += [s.participant_id for s in in_order(again, the_round.origin_seat - 1)]
    return order


def next_holder(the_round: Round, seating: Sequence[Seat], recorded: list[DomainEvent]) -> tuple[Seat, HowGiven] | None:
    """The piece is free: who gets it, and how. None when no one does (an open round then waits; a
    sequential round is done).

    Takes what it uses: clears `returns_to`, lowers the first hand, moves on to the pass-back phase."""
    if the_round.returns_to is not None:
        back = _seat_of(seating, the_round.returns_to)
        how = next(
            t.how
            for t in reversed(the_round.turns)
            if t.participant_id == the_round.returns_to and t.how is not HowGiven.OUT_OF_TURN
        )
        the_round.returns_to = None
        if back is not None and back.may_hold:
            return back, how
    if the_round.kind is RoundKind.OPEN:
        chosen = _seat_of(seating, hands.give_first(the_round, recorded))
        return (chosen, HowGiven.IN_TURN) if chosen is not None else None
    still_owed = owed(the_round, seating, the_round.phase)
    if not still_owed and the_round.phase is Lap.FIRST and the_round.pass_back:
        the_round.phase = Lap.PASS_BACK
        the_round.cursor_seat = the_round.origin_seat - 1
        still_owed = owed(the_round, seating, Lap.PASS_BACK)
    if not still_owed:
        return None
    return min(still_owed, key=_clockwise_from(the_round.cursor_seat)), HowGiven.IN_TURN  # in_order's first


def _seat_of(seating: Sequence[Seat], participant_id: UUID | None) -> Seat | None:
    return next((s for s in seating if s.participant_id == participant_id), None) if participant_id else None

"""The talking piece: who holds it now, and where it goes next.

`TalkingPiece` wraps one `Round` and the seating of everyone present. Each command either refuses with a
`circles.talking_piece.errors` exception (and changes nothing) or mutates the round in place and appends
what happened to `self.events`, in order. The caller persists the round and publishes the events.
No I/O and no clock: time is always passed in as `now`.

The rules (SPEC.md, "Rules of the talking piece"):

- The piece goes clockwise by seat number, starting with `starts_with` and wrapping around. The next
  holder is, among those owed the piece, the one with the next higher seat after `round.cursor_seat`
  (the last holder's seat), wrapping to the lowest.
- In the FIRST phase, every seated member and keeper who has had no turn yet is owed one. Witnesses
  never hold the piece. Late joiners are owed a turn from the moment they sit; leavers no longer are.
- With `pass_back`, once no one is owed a first turn the round goes around again from the start (phase
  PASS_BACK): those whose only turn ended `passed` are offered the piece once more (never a third
  time), along with any late joiner still owed a first turn.
- When no one is owed anything, the round ends by itself (`completed`).
- At most one turn is open. A turn that has ended never changes again. While the round is paused the
  piece does not move on.

An OPEN round (`circles.talking_piece.hands`) has no "around": the piece goes to whoever raises a hand, in
the order hands went up (a keeper may call on a hand out of order). It starts with `starts_with` holding
the piece when one is named, else with the piece waiting. When the piece is free and the line is empty,
the piece waits: no turn is open and the round stays active. Nobody is ever owed a turn, so an open round
never ends by itself: a keeper or the app ends it (or the circle closes). Hands still up then come down
with the round (`round.ended` means the line is empty).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from uuid import UUID

from circles.talking_piece import absence, errors, events, hands, keepers_hand, offers, order
from circles.talking_piece.events import DomainEvent
from circles.talking_piece.model import (
    Actor,
    EndReason,
    HowGiven,
    Outcome,
    Role,
    Round,
    RoundKind,
    RoundStatus,
    Seat,
    TimeLimit,
    Turn,
)

_HOLDER_OUTCOMES = frozenset({Outcome.SPOKE, Outcome.PASSED})


class TalkingPiece:
    """One sequential round and the commands that move its piece."""

    def __init__(self, the_round: Round, seating: Sequence[Seat], new_id: Callable[[], UUID] = uuid.uuid4) -> None:
        self.round = the_round
        self.seating: tuple[Seat, ...] = tuple(seating)
        self.events: list[DomainEvent] = []
        self._new_id = new_id

    @classmethod
    def start(
        cls,
        *,
        round_id: UUID,
        seating: Sequence[Seat],
        now: datetime,
        turn_seconds: int | None,
        time_limit: TimeLimit,
        pass_back: bool,
        starts_with: UUID | None,
        kind: RoundKind = RoundKind.SEQUENTIAL,
        offer_seconds: int | None = None,
        pause_seconds: int | None = None,
        absence: bool = False,
        new_id: Callable[[], UUID] = uuid.uuid4,
    ) -> TalkingPiece:
        """Begin a round; its first turn starts at once, unless it is an open round with no `starts_with`.

        In a sequential round `starts_with` defaults to the lowest-seated keeper, else the lowest-seated
        member. With `absence`, those offline are passed over (see `circles.talking_piece.absence`).
        """
        if kind is RoundKind.OPEN and pass_back:
            raise errors.PassBackIsSequential()
        holders = sorted((s for s in seating if s.may_hold), key=_seat_number)
        if not holders:
            raise errors.NoOneToHold()
        if starts_with is None and kind is RoundKind.OPEN:
            first = None
        elif starts_with is None:
            first = ([s for s in holders if s.role is Role.KEEPER] or holders)[0]
        else:
            found = [s for s in holders if s.participant_id == starts_with]
            if not found:
                raise errors.StartsWithCannotHold()
            first = found[0]
        origin_seat = first.seat if first else 0
        round_ = Round(
            id=round_id,
            kind=kind,
            status=RoundStatus.ACTIVE,
            turn_seconds=turn_seconds,
            time_limit=time_limit,
            pass_back=pass_back,
            starts_with=first.participant_id if first else None,
            origin_seat=origin_seat,
            started_at=now,
            cursor_seat=origin_seat - 1,
            offer_seconds=offer_seconds,
            pause_seconds=pause_seconds,
            absence=absence,
        )
        piece = cls(round_, seating, new_id)
        piece.events.append(events.RoundStarted(round_id=round_id))
        if kind is RoundKind.OPEN and first is not None:
            piece.start_turn(first, now)
        piece._move_on(now)
        return piece

    # -- commands ------------------------------------------------------------------------------------

    def finish(self, turn_id: UUID, outcome: Outcome, actor: Actor, now: datetime) -> None:
        """The holder (or a keeper, or the app) ends the turn as `spoke` or `passed`."""
        if outcome not in _HOLDER_OUTCOMES:
            raise errors.OutcomeNotAllowed()
        turn = self._find_turn(turn_id)
        if not (actor.may_keep or actor.participant_id == turn.participant_id):
            raise errors.NotYourTurn()
        self._check_open(turn)
        self.end_turn(turn, Outcome(outcome), now)
        self._move_on(now)

    def accept(self, turn_id: UUID, actor: Actor, now: datetime) -> None:
        """The holder (or a keeper, or the app) takes the piece offered to them; the clock starts now."""
        turn = self._find_turn(turn_id)
        self._check_open(turn)
        offers.accept(self.round, turn, actor, now, self.events)

    def skip(self, turn_id: UUID, actor: Actor, now: datetime) -> None:
        """A keeper or the app ends the holder's turn as `skipped`."""
        _require_keeper(actor)
        turn = self._find_turn(turn_id)
        self._check_open(turn)
        self.end_turn(turn, Outcome.SKIPPED, now)
        self._move_on(now)

    def pause(self, actor: Actor, now: datetime) -> None:
        """Stop the clock: the holder keeps the piece, and no deadline passes until `resume`."""
        _require_keeper(actor)
        if self.round.status is RoundStatus.ENDED:
            raise errors.RoundHasEnded()
        if self.round.status is RoundStatus.PAUSED:
            raise errors.RoundIsPaused()
        self.round.status = RoundStatus.PAUSED
        self.round.paused_at = now
        self.events.append(events.RoundPaused(round_id=self.round.id, paused_at=now))

    def resume(self, actor: Actor, now: datetime) -> None:
        """Restart the clock: the open turn's deadline moves later by the time spent paused.

        If the holder left during the pause there is no open turn, and the piece moves on at once.
        """
        _require_keeper(actor)
        if self.round.status is RoundStatus.ENDED:
            raise errors.RoundHasEnded()
        if self.round.status is not RoundStatus.PAUSED:
            raise errors.RoundNotPaused()
        paused_for = max(now - self.round.paused_at, timedelta(0)) if self.round.paused_at else timedelta(0)
        self.round.status = RoundStatus.ACTIVE
        self.round.paused_at = None
        turn = self.round.open_turn
        if turn is not None and turn.deadline is not None:
            turn.deadline += paused_for
        if turn is not None and turn.silent_until is not None:
            turn.silent_until += paused_for
        if turn is not None and turn.away_until is not None:
            turn.away_until += paused_for
        self.events.append(
            events.RoundResumed(round_id=self.round.id, resumed_at=now, turn=_copy(turn) if turn else None)
        )
        self._move_on(now)

    def end(self, actor: Actor, now: datetime) -> None:
        """A keeper or the app ends the round: the open turn ends `skipped`."""
        _require_keeper(actor)
        if self.round.status is RoundStatus.ENDED:
            raise errors.RoundHasEnded()
        self._stop(EndReason.ENDED, now)

    def close(self, now: datetime) -> None:
        """The circle is closing: end the round if it is still going (no actor check)."""
        if self.round.status is not RoundStatus.ENDED:
            self._stop(EndReason.CIRCLE_CLOSED, now)

    def raise_hand(self, actor: Actor, now: datetime) -> None:
        """A seated member or keeper raises their own hand in an open round; a free piece goes to them."""
        hands.raise_hand(self.round, self.seating, actor, now, self.events)
        self._move_on(now)

    def lower_hand(self, participant_id: UUID, actor: Actor) -> None:
        """Its owner, a keeper or the app lowers a raised hand."""
        hands.lower_hand(self.round, participant_id, actor, self.events)

    def call_on(self, participant_id: UUID, actor: Actor, now: datetime) -> None:
        """A keeper or the app calls on a raised hand out of order: first in line, and the piece if free."""
        hands.call_on(self.round, participant_id, actor, self.events)
        self._move_on(now)

    def give(self, participant_id: UUID, turn_id: UUID | None, actor: Actor, now: datetime) -> None:
        """A keeper or the app gives the piece to a chosen person now (see `keepers_hand`)."""
        keepers_hand.give(self, participant_id, turn_id, actor, now)

    def speak_out_of_turn(self, turn_id: UUID, actor: Actor, now: datetime) -> None:
        """A keeper takes the piece for a word out of turn; it then goes back to the one interrupted."""
        keepers_hand.speak_out_of_turn(self, turn_id, actor, now)

    def seating_changed(self, seating: Sequence[Seat], now: datetime) -> None:
        """Take the new seating of everyone present, after any join, leave, seat move or role change.

        A holder who left ends `left`; a holder who became a witness ends `skipped`; then the piece
        moves on (unless the round is paused). Joiners are owed a turn from now; leavers no longer are.
        When seats are reordered, what is left of the round follows the new order from the holder's new
        seat (the holder of a turn in the round's own order; a given turn never moves the order).
        """
        if self.round.status is RoundStatus.ENDED:
            return
        self.seating = tuple(seating)
        turn = self.round.open_turn
        if turn is not None:
            seat = self.seat_of(turn.participant_id)
            if seat is None:
                self.end_turn(turn, Outcome.LEFT, now)
            elif not seat.may_hold:
                self.end_turn(turn, Outcome.SKIPPED, now)
            elif turn.how is HowGiven.IN_TURN:
                self.round.cursor_seat = seat.seat
        hands.drop_those_who_cannot_hold(self.round, self.seating, self.events)
        self._move_on(now)

    def expire(self, turn_id: UUID, now: datetime) -> datetime | None:
        """The timer for `turn_id` fired: its deadline, or the end of its holder's grace period, came.

        Returns the next time still ahead that needs handling (the caller re-arms its timer), else None.
        Does nothing unless the round is active and `turn_id` is the open turn. A holder away past their
        grace, and still offline, ends `absent` (one found online is back). At the deadline, an offer not
        taken ends `not_taken`; with a hard limit the turn ends `timed_out` (the piece moves on either
        way); with a soft one the turn goes on, and `TurnOvertime` is recorded the first time only.
        """
        turn = self.round.open_turn
        if self.round.status is not RoundStatus.ACTIVE or turn is None or turn.id != turn_id:
            return None
        if absence.grace_is_over(turn, now):
            holder = self.seat_of(turn.participant_id)
            if holder is not None and holder.online:  # back, though no one said so in time: they keep it
                absence.holder_presence(self.round, holder, now, timedelta(0), self.events)
                return self.next_due(turn)
            self.end_turn(turn, Outcome.ABSENT, now)
            self._move_on(now)
            return None
        if turn.deadline is not None and now >= turn.deadline:
            if turn.is_offered(self.round):
                self.end_turn(turn, Outcome.NOT_TAKEN, now)
                self._move_on(now)
                return None
            if self.round.time_limit is TimeLimit.HARD:
                self.end_turn(turn, Outcome.TIMED_OUT, now)
                self._move_on(now)
                return None
            if turn.overtime_at is None:
                turn.overtime_at = now
                self.events.append(events.TurnOvertime(round_id=self.round.id, turn=_copy(turn)))
        return self.next_due(turn)

    def next_due(self, turn: Turn) -> datetime | None:
        """When `turn`'s timer must fire next: the earlier of its unhandled deadline and its grace's end."""
        deadline_pending = turn.deadline is not None and (
            turn.overtime_at is None or turn.is_offered(self.round) or self.round.time_limit is TimeLimit.HARD
        )
        due = [t for t in (turn.deadline if deadline_pending else None, turn.away_until) if t is not None]
        return min(due) if due else None

    def presence_changed(self, seating: Sequence[Seat], now: datetime, grace: timedelta) -> None:
        """Take who is online now (`Seat.online`). In an absence round a holder gone offline is marked away
        for `grace`, and one back in time keeps the piece (see `circles.talking_piece.absence`)."""
        if self.round.status is RoundStatus.ENDED:
            return
        self.seating = tuple(seating)
        turn = self.round.open_turn
        holder = self.seat_of(turn.participant_id) if turn is not None else None
        absence.holder_presence(self.round, holder, now, grace, self.events)

    # -- queries -------------------------------------------------------------------------------------

    def up_next(self) -> list[UUID]:
        """Who is still owed the piece, in the order they will get it as things stand.

        In the FIRST phase of a pass-back round this includes, after the first turns still owed, those
        who have already passed (their second offer). Those who have yet to speak may add to it. While a
        keeper speaks out of turn, the one they interrupted comes first, and the keeper is still owed
        their own turn.
        """
        return order.up_next(self.round, self.seating)

    # -- the rules -----------------------------------------------------------------------------------

    def _move_on(self, now: datetime) -> None:
        """Give the piece to the next one owed it (passing over any who may not hold it yet), or end the
        round when no one is owed it. In an open round: to the first hand in line, or wait."""
        while self.round.status is RoundStatus.ACTIVE and self.round.open_turn is None:
            chosen = order.next_holder(self.round, self.seating, self.events)
            if chosen is None:
                if self.round.kind is RoundKind.SEQUENTIAL:
                    self._end_round(EndReason.COMPLETED, now)
                return
            seat, how = chosen
            self.start_turn(seat, now, how)

    def start_turn(self, seat: Seat, now: datetime, how: HowGiven = HowGiven.IN_TURN) -> None:
        """Open a turn for `seat`; only a turn in the round's own order moves where the piece goes next.

        Someone who has not accepted the circle's agreements is passed over: their turn is recorded as
        started and ended at once, `not_agreed`, and counts as their turn. So is someone offline in an
        absence round (`absent`)."""
        passed_over = Outcome.NOT_AGREED if not seat.agreed else None
        if passed_over is None and absence.passes_over(self.round, seat, how):
            passed_over = Outcome.ABSENT
        silent_until = offers.silence_until(self.round, how, now) if passed_over is None else None
        turn = Turn(
            id=self._new_id(),
            participant_id=seat.participant_id,
            started_at=now,
            deadline=offers.first_deadline(self.round, silent_until or now),
            how=how,
            silent_until=silent_until,
        )
        self.round.turns.append(turn)
        if self.round.returns_to == seat.participant_id and how is not HowGiven.OUT_OF_TURN:
            self.round.returns_to = None  # they have the piece back, however it came to them
        if how is HowGiven.IN_TURN:
            self.round.cursor_seat = seat.seat
        self.events.append(events.TurnStarted(round_id=self.round.id, turn=_copy(turn)))
        if passed_over is not None:
            turn.deadline = turn.silent_until = None
            self.end_turn(turn, passed_over, now)

    def end_turn(self, turn: Turn, outcome: Outcome, now: datetime) -> None:
        turn.ended_at = now
        turn.outcome = outcome
        self.events.append(events.TurnEnded(round_id=self.round.id, turn=_copy(turn)))

    def _stop(self, reason: EndReason, now: datetime) -> None:
        turn = self.round.open_turn
        if turn is not None:
            self.end_turn(turn, Outcome.SKIPPED, now)
        self._end_round(reason, now)

    def _end_round(self, reason: EndReason, now: datetime) -> None:
        self.round.hands = []
        self.round.returns_to = None
        self.round.status = RoundStatus.ENDED
        self.round.paused_at = None
        self.round.ended_at = now
        self.round.end_reason = reason
        self.events.append(events.RoundEnded(round_id=self.round.id, ended_at=now, reason=reason))

    # -- lookups and checks --------------------------------------------------------------------------

    def _find_turn(self, turn_id: UUID) -> Turn:
        for turn in self.round.turns:
            if turn.id == turn_id:
                return turn
        raise errors.TurnNotOpen()

    def _check_open(self, turn: Turn) -> None:
        """Refuse a command on `turn` unless it is the open turn of a running round.

        A turn of an ended round is no longer open either: retries see the same `turn_not_open`."""
        if turn is not self.round.open_turn:
            raise errors.TurnNotOpen()
        if self.round.status is RoundStatus.PAUSED:
            raise errors.RoundIsPaused()

    def seat_of(self, participant_id: UUID) -> Seat | None:
        return next((s for s in self.seating if s.participant_id == participant_id), None)


def _require_keeper(actor: Actor) -> None:
    if not actor.may_keep:
        raise errors.KeeperOnly()


def _seat_number(seat: Seat) -> tuple[int, UUID]:
    return (seat.seat, seat.participant_id)  # ids order as their text does (see order.in_order)


def _copy(turn: Turn) -> Turn:
    """A snapshot for an event, so later changes to the turn do not change what was recorded."""
    return dataclasses.replace(turn)

"""Properties of the turn engine under random seatings and random sequences of commands."""

from __future__ import annotations

import copy
import dataclasses
import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from uuid import UUID

from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from circles.talking_piece import errors, events
from circles.talking_piece.engine import TalkingPiece
from circles.talking_piece.model import (
    Actor,
    EndReason,
    HowGiven,
    Lap,
    LowerReason,
    Outcome,
    Role,
    RoundKind,
    RoundStatus,
    Seat,
    TimeLimit,
    Turn,
)

T0 = datetime(2025, 3, 1, 18, 0, tzinfo=UTC)
APP = Actor.app()
OUTSIDE_KEEPER = Actor(participant_id=UUID(int=888_888), role=Role.KEEPER)
OUTSIDE_MEMBER = Actor(participant_id=UUID(int=999_999), role=Role.MEMBER)
UNKNOWN_TURN = UUID(int=777_777)
GRACE = timedelta(seconds=30)

seat_numbers = st.integers(min_value=-5, max_value=30)
roles = st.sampled_from(Role)
seatings = st.lists(st.tuples(seat_numbers, roles), min_size=1, max_size=7, unique_by=lambda t: t[0]).filter(
    lambda seats: any(role is not Role.WITNESS for _, role in seats)
)


def make_seating(seats: list[tuple[int, Role]]) -> list[Seat]:
    return [Seat(participant_id=UUID(int=i + 1), seat=n, role=role) for i, (n, role) in enumerate(seats)]


def expected_first_order(seating: list[Seat], starts_with: UUID) -> list[UUID]:
    """Seat order from starts_with, wrapping around; witnesses left out."""
    holders = sorted((s for s in seating if s.may_hold), key=lambda s: s.seat)
    at = [s.participant_id for s in holders].index(starts_with)
    return [s.participant_id for s in holders[at:] + holders[:at]]


def counter_ids(start: int) -> Callable[[], UUID]:
    counter = itertools.count(start)
    return lambda: UUID(int=next(counter))


def turns_of(piece: TalkingPiece, participant_id: UUID) -> list[Turn]:
    return [t for t in piece.round.turns if t.participant_id == participant_id]


def check_completed(piece: TalkingPiece) -> None:
    """A round that ended by itself gave every member and keeper seated then exactly what they were owed."""
    for s in piece.seating:
        if not s.may_hold:
            continue
        had = [t for t in turns_of(piece, s.participant_id) if t.counts]
        assert had, f"{s} was seated at the end but never held the piece"
        owed = 1 + (piece.round.pass_back and had[0].outcome is Outcome.PASSED)
        in_order = [t for t in had if t.how is HowGiven.IN_TURN]
        assert len(in_order) <= owed, (s, had)  # a keeper may give the piece more often than that
        assert len(had) >= owed or had[-1].how is HowGiven.GIVEN, (s, had)


# -- a straight walk around the circle ---------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    seats=seatings,
    starts_at=st.none() | st.integers(min_value=0, max_value=50),
    pass_back=st.booleans(),
    outcomes=st.lists(st.sampled_from([Outcome.SPOKE, Outcome.PASSED]), min_size=20, max_size=20),
)
def test_a_round_without_seating_changes_goes_around_in_seat_order(seats, starts_at, pass_back, outcomes):
    seating = make_seating(seats)
    holders = sorted((s for s in seating if s.may_hold), key=lambda s: s.seat)
    starts_with = None if starts_at is None else holders[starts_at % len(holders)].participant_id
    piece = TalkingPiece.start(
        round_id=UUID(int=0),
        seating=seating,
        now=T0,
        turn_seconds=None,
        time_limit=TimeLimit.HARD,
        pass_back=pass_back,
        starts_with=starts_with,
        new_id=counter_ids(10_000),
    )
    first = expected_first_order(seating, piece.round.starts_with)
    if starts_with is None:
        keepers = [s for s in holders if s.role is Role.KEEPER]
        assert piece.round.starts_with == (keepers or holders)[0].participant_id

    for i, outcome in enumerate(itertools.cycle(outcomes)):
        if piece.round.status is RoundStatus.ENDED:
            break
        turn = piece.round.open_turn
        assert turn is not None
        if i < len(first):
            assert piece.up_next()[: len(first) - i - 1] == first[i + 1 :]
        piece.finish(turn.id, outcome, Actor(participant_id=turn.participant_id, role=Role.MEMBER), T0)

    held = [t.participant_id for t in piece.round.turns]
    passed = [t.participant_id for t in piece.round.turns[: len(first)] if t.outcome is Outcome.PASSED]
    assert held == first + (passed if pass_back else [])
    assert piece.round.end_reason is EndReason.COMPLETED
    check_completed(piece)


# -- anything goes -----------------------------------------------------------------------------------


class TalkingPieceMachine(RuleBasedStateMachine):
    """Random commands by random actors, with joins, leaves and role changes in between."""

    def __init__(self) -> None:
        super().__init__()
        self.now = T0
        self.seating: dict[UUID, Seat] = {}
        self.gone: list[UUID] = []  # those who left, who may come back
        self.new_participant = counter_ids(100)
        self.ended_turns: dict[UUID, Turn] = {}
        self.seating_touched = False
        self.extra_time: dict[UUID, timedelta] = {}  # paused time added to each turn's deadline
        self.paused_at = T0
        self.recorded: list[events.DomainEvent] = []
        self.unagreed_while_holding: set[UUID] = set()
        self.silence_extra: dict[UUID, timedelta] = {}  # paused time added to a turn's silence
        self.away_expected: dict[UUID, datetime] = {}  # absence: when each away holder's grace should end
        self.piece: TalkingPiece

    @initialize(
        seats=seatings,
        starts_at=st.none() | st.integers(min_value=0, max_value=50),
        pass_back=st.booleans(),
        time_limit=st.sampled_from(TimeLimit),
        turn_seconds=st.sampled_from([None, 30, 120]),
        kind=st.sampled_from(RoundKind),
        offer_seconds=st.sampled_from([None, None, 20]),
        pause_seconds=st.sampled_from([None, None, 10]),
        absence=st.booleans(),
        offline=st.sets(st.integers(min_value=0, max_value=6), max_size=3),
    )
    def start(
        self,
        seats,
        starts_at,
        pass_back,
        time_limit,
        turn_seconds,
        kind,
        offer_seconds,
        pause_seconds,
        absence,
        offline,
    ):
        seating = [dataclasses.replace(s, online=i not in offline) for i, s in enumerate(make_seating(seats))]
        self.seating = {s.participant_id: s for s in seating}
        holders = sorted((s for s in seating if s.may_hold), key=lambda s: s.seat)
        starts_with = None if starts_at is None else holders[starts_at % len(holders)].participant_id
        self.kind = kind
        pass_back = pass_back and kind is RoundKind.SEQUENTIAL
        self.piece = TalkingPiece.start(
            round_id=UUID(int=0),
            seating=seating,
            now=self.now,
            turn_seconds=turn_seconds,
            time_limit=time_limit,
            pass_back=pass_back,
            starts_with=starts_with,
            kind=kind,
            offer_seconds=offer_seconds,
            pause_seconds=pause_seconds,
            absence=absence,
            new_id=counter_ids(10_000),
        )
        if kind is RoundKind.SEQUENTIAL:
            self.first_order = expected_first_order(seating, self.piece.round.starts_with)

    # -- helpers ---------------------------------------------------------------------------------------

    def actor(self, who: str, pick: int) -> Actor:
        turn = self.piece.round.open_turn
        seated = sorted(self.seating.values(), key=lambda s: s.seat)
        keepers = [s for s in seated if s.role is Role.KEEPER]
        if who == "holder" and turn is not None:
            return Actor(participant_id=turn.participant_id, role=self.seating[turn.participant_id].role)
        if who == "app":
            return APP
        if who == "keeper":
            chosen = keepers[pick % len(keepers)] if keepers else None
            return Actor(chosen.participant_id, chosen.role) if chosen else OUTSIDE_KEEPER
        if seated and pick % 5:
            chosen = seated[pick % len(seated)]
            return Actor(chosen.participant_id, chosen.role)
        return OUTSIDE_MEMBER

    def turn_id(self, which: str, pick: int) -> UUID:
        turns = self.piece.round.turns
        if which == "open" and self.piece.round.open_turn is not None:
            return self.piece.round.open_turn.id
        if which == "stale" and turns:
            return turns[pick % len(turns)].id
        return UNKNOWN_TURN

    def attempt(self, command: Callable[[], object], expected: type[Exception] | None) -> bool:
        """Run a command; a refusal must be the expected one and must change nothing."""
        before = copy.deepcopy(self.piece.round)
        recorded = list(self.piece.events)
        try:
            command()
        except errors.TalkingPieceError as refusal:
            assert type(refusal) is expected, (refusal, expected)
            assert self.piece.round == before
            assert self.piece.events == recorded
            return False
        assert expected is None, f"expected {expected.__name__}"
        return True

    def state_refusal(self, turn_id: UUID) -> type[Exception] | None:
        r = self.piece.round
        if r.open_turn is None or r.open_turn.id != turn_id:
            return errors.TurnNotOpen
        if r.status is RoundStatus.PAUSED:
            return errors.RoundIsPaused
        return None

    def known(self, turn_id: UUID) -> Turn | None:
        return next((t for t in self.piece.round.turns if t.id == turn_id), None)

    def change_seating(self) -> None:
        self.seating_touched = True
        self.piece.seating_changed(list(self.seating.values()), self.now)

    # -- commands --------------------------------------------------------------------------------------

    @rule(seconds=st.sampled_from([0, 1, 10, 29, 30, 31, 60, 125]))
    def tick(self, seconds):
        self.now += timedelta(seconds=seconds)

    @rule(
        outcome=st.sampled_from([Outcome.SPOKE, Outcome.PASSED]),
        who=st.sampled_from(["holder", "holder", "app", "keeper"]),
    )
    def finish_open_turn(self, outcome, who):
        turn = self.piece.round.open_turn
        turn_id = turn.id if turn else UNKNOWN_TURN
        expected = errors.TurnNotOpen if turn is None else self.state_refusal(turn_id)
        actor = self.actor(who, 0)
        if self.attempt(lambda: self.piece.finish(turn_id, outcome, actor, self.now), expected):
            assert self.known(turn_id).outcome is outcome

    @rule(
        outcome=st.sampled_from(Outcome),
        who=st.sampled_from(["holder", "app", "keeper", "anyone"]),
        which=st.sampled_from(["open", "stale", "unknown"]),
        pick=st.integers(min_value=0, max_value=100),
    )
    def finish(self, outcome, who, which, pick):
        actor = self.actor(who, pick)
        turn_id = self.turn_id(which, pick)
        turn = self.known(turn_id)
        if outcome not in (Outcome.SPOKE, Outcome.PASSED):
            expected = errors.OutcomeNotAllowed
        elif turn is None:
            expected = errors.TurnNotOpen
        elif not (actor.may_keep or actor.participant_id == turn.participant_id):
            expected = errors.NotYourTurn
        else:
            expected = self.state_refusal(turn_id)
        if self.attempt(lambda: self.piece.finish(turn_id, outcome, actor, self.now), expected):
            assert self.known(turn_id).outcome is outcome

    @rule(
        who=st.sampled_from(["holder", "app", "keeper", "anyone"]),
        which=st.sampled_from(["open", "open", "stale", "unknown"]),
        pick=st.integers(min_value=0, max_value=100),
    )
    def skip(self, who, which, pick):
        actor = self.actor(who, pick)
        turn_id = self.turn_id(which, pick)
        if not actor.may_keep:
            expected = errors.KeeperOnly
        elif self.known(turn_id) is None:
            expected = errors.TurnNotOpen
        else:
            expected = self.state_refusal(turn_id)
        if self.attempt(lambda: self.piece.skip(turn_id, actor, self.now), expected):
            assert self.known(turn_id).outcome is Outcome.SKIPPED

    @rule(who=st.sampled_from(["app", "keeper", "anyone"]), pick=st.integers(min_value=0, max_value=100))
    def pause(self, who, pick):
        actor = self.actor(who, pick)
        status = self.piece.round.status
        expected = {RoundStatus.ENDED: errors.RoundHasEnded, RoundStatus.PAUSED: errors.RoundIsPaused}.get(status)
        if not actor.may_keep:
            expected = errors.KeeperOnly
        if self.attempt(lambda: self.piece.pause(actor, self.now), expected):
            self.paused_at = self.now
            assert self.piece.round.status is RoundStatus.PAUSED

    @rule(who=st.sampled_from(["app", "keeper", "anyone"]), pick=st.integers(min_value=0, max_value=100))
    def resume(self, who, pick):
        actor = self.actor(who, pick)
        status = self.piece.round.status
        refusals = {RoundStatus.ENDED: errors.RoundHasEnded, RoundStatus.ACTIVE: errors.RoundNotPaused}
        expected = refusals.get(status)
        if not actor.may_keep:
            expected = errors.KeeperOnly
        turn = self.piece.round.open_turn
        if self.attempt(lambda: self.piece.resume(actor, self.now), expected) and turn is not None:
            self.extra_time[turn.id] = self.extra_time.get(turn.id, timedelta(0)) + self.now - self.paused_at
            self.silence_extra[turn.id] = self.silence_extra.get(turn.id, timedelta(0)) + self.now - self.paused_at
            if turn.id in self.away_expected:
                self.away_expected[turn.id] += max(self.now - self.paused_at, timedelta(0))

    @rule(
        which=st.sampled_from(["open", "open", "stale", "unknown"]),
        pick=st.integers(min_value=0, max_value=100),
    )
    def expire(self, which, pick):
        turn_id = self.turn_id(which, pick)
        r = self.piece.round
        turn = r.open_turn
        applies = r.status is RoundStatus.ACTIVE and turn is not None and turn.id == turn_id
        grace_over = applies and turn.away_until is not None and self.now >= turn.away_until
        deadline_due = applies and turn.deadline is not None and self.now >= turn.deadline
        before = copy.deepcopy(r)
        count = len(self.piece.events)
        result = self.piece.expire(turn_id, self.now)
        if grace_over:
            assert result is None
            ended = self.known(turn_id)
            assert (ended.outcome, ended.ended_at) == (Outcome.ABSENT, self.now), "away past the grace: absent"
            return
        if not deadline_due:
            assert result == (self.piece.next_due(turn) if applies else None)
            assert (self.piece.round, len(self.piece.events)) == (before, count)
            return
        ended = self.known(turn_id)
        if r.offer_seconds is not None and before.open_turn.accepted_at is None:
            assert (ended.outcome, ended.ended_at) == (Outcome.NOT_TAKEN, self.now), "an offer not taken passes on"
            assert result is None
        elif r.time_limit is TimeLimit.HARD:
            assert (ended.outcome, ended.ended_at) == (Outcome.TIMED_OUT, self.now)
            assert result is None
        else:
            assert ended.is_open
            assert ended.overtime_at == (before.open_turn.overtime_at or self.now)
            overtimes = [e for e in self.piece.events if isinstance(e, events.TurnOvertime) and e.turn.id == turn_id]
            assert len(overtimes) == 1
            assert result == ended.away_until, "after overtime only the grace is still to come"

    @rule(
        who=st.sampled_from(["app", "keeper", "anyone", "the circle closing"]),
        pick=st.integers(min_value=0, max_value=100),
        now=st.integers(min_value=0, max_value=3),
    )
    def end(self, who, pick, now):
        """End the round (only one time in four, so that most rounds run on)."""
        if now:
            return
        if who == "the circle closing":
            ended = self.piece.round.status is RoundStatus.ENDED
            reason = self.piece.round.end_reason
            self.attempt(lambda: self.piece.close(self.now), None)
            assert self.piece.round.end_reason is (reason if ended else EndReason.CIRCLE_CLOSED)
            return
        actor = self.actor(who, pick)
        expected = errors.RoundHasEnded if self.piece.round.status is RoundStatus.ENDED else None
        if not actor.may_keep:
            expected = errors.KeeperOnly
        if self.attempt(lambda: self.piece.end(actor, self.now), expected):
            assert self.piece.round.end_reason is EndReason.ENDED

    @rule(
        number=seat_numbers,
        role=roles,
        come_back=st.booleans(),
        pick=st.integers(min_value=0, max_value=100),
        agreed=st.sampled_from([True, True, False]),
    )
    def join(self, number, role, come_back, pick, agreed):
        if number in {s.seat for s in self.seating.values()}:
            return
        if come_back and self.gone:
            participant_id = self.gone.pop(pick % len(self.gone))
        else:
            participant_id = self.new_participant()
        self.seating[participant_id] = Seat(participant_id=participant_id, seat=number, role=role, agreed=agreed)
        self.change_seating()

    @precondition(lambda self: self.seating)
    @rule(pick=st.integers(min_value=0, max_value=100), holder=st.booleans())
    def leave(self, pick, holder):
        turn = self.piece.round.open_turn
        if holder and turn is not None:
            participant_id = turn.participant_id
        else:
            participant_id = sorted(self.seating)[pick % len(self.seating)]
        del self.seating[participant_id]
        self.gone.append(participant_id)
        self.change_seating()

    @precondition(lambda self: self.seating)
    @rule(pick=st.integers(min_value=0, max_value=100), role=roles, number=st.none() | seat_numbers)
    def reseat(self, pick, role, number):
        """A role change, a seat move, or both."""
        participant_id = sorted(self.seating)[pick % len(self.seating)]
        taken = {s.seat for s in self.seating.values()}
        old = self.seating[participant_id]
        new_seat = old.seat if number is None or number in taken else number
        self.seating[participant_id] = dataclasses.replace(old, seat=new_seat, role=role)
        self.change_seating()

    # -- offers and silences ---------------------------------------------------------------------------

    @rule(
        who=st.sampled_from(["holder", "holder", "app", "keeper", "anyone"]),
        which=st.sampled_from(["open", "open", "stale", "unknown"]),
        pick=st.integers(0, 100),
    )
    def accept(self, who, which, pick):
        actor = self.actor(who, pick)
        turn_id = self.turn_id(which, pick)
        turn = self.known(turn_id)
        r = self.piece.round
        if turn is None:
            expected = errors.TurnNotOpen
        else:
            expected = self.state_refusal(turn_id)
            if expected is None and not (actor.may_keep or actor.participant_id == turn.participant_id):
                expected = errors.NotYourTurn
            elif expected is None and (r.offer_seconds is None or turn.accepted_at is not None):
                expected = errors.NotAnOffer
            elif expected is None and turn.silent_until is not None and self.now < turn.silent_until:
                expected = errors.StillSilent
        if self.attempt(lambda: self.piece.accept(turn_id, actor, self.now), expected):
            assert turn.accepted_at == self.now
            self.extra_time[turn_id] = timedelta(0)  # the clock starts now

    # -- agreements -------------------------------------------------------------------------------------

    @precondition(lambda self: self.seating)
    @rule(pick=st.integers(min_value=0, max_value=100), agreed=st.booleans())
    def agree(self, pick, agreed):
        """Someone accepts the agreements, or the agreements change and they have yet to accept again."""
        participant_id = sorted(self.seating)[pick % len(self.seating)]
        turn = self.piece.round.open_turn
        if not agreed and turn is not None and turn.participant_id == participant_id:
            self.unagreed_while_holding.add(turn.id)  # they keep the piece they already hold
        self.seating[participant_id] = dataclasses.replace(self.seating[participant_id], agreed=agreed)
        self.change_seating()

    @invariant()
    def only_those_who_accepted_the_agreements_hold_the_piece(self):
        turn = self.piece.round.open_turn
        if turn is not None and turn.id not in self.unagreed_while_holding:
            holder = next(s for s in self.piece.seating if s.participant_id == turn.participant_id)
            assert holder.agreed
        for t in self.piece.round.turns:
            if t.outcome is Outcome.NOT_AGREED:
                assert t.started_at == t.ended_at and t.deadline is None and t.counts

    # -- absence ---------------------------------------------------------------------------------------

    @precondition(lambda self: self.seating)
    @rule(pick=st.integers(min_value=0, max_value=100), online=st.booleans())
    def presence(self, pick, online):
        """Someone's last connection drops, or they connect again."""
        participant_id = sorted(self.seating)[pick % len(self.seating)]
        self.seating[participant_id] = dataclasses.replace(self.seating[participant_id], online=online)
        r = self.piece.round
        turn = r.open_turn
        away_before = turn.away_until if turn is not None else None
        self.piece.presence_changed(list(self.seating.values()), self.now, GRACE)
        if turn is None or not r.absence:
            assert turn is None or turn.away_until == away_before, "only absence rounds mark anyone away"
        elif self.seating[turn.participant_id].online:
            assert turn.away_until is None
        elif away_before is None:
            assert turn.away_until == self.now + GRACE
            self.away_expected[turn.id] = turn.away_until
        else:
            assert turn.away_until == away_before, "dropping again does not extend the grace"
        if turn is not None and turn.away_until is None:
            self.away_expected.pop(turn.id, None)

    @invariant()
    def absence_is_told_not_guessed(self):
        """Only absence rounds pass anyone over for being offline; an offline holder is away, with the grace
        they were given (moved only by paused time); one passed over held the piece for no time at all."""
        r = self.piece.round
        for t in r.turns:
            assert r.absence or (t.outcome is not Outcome.ABSENT and t.away_until is None)
            if t.outcome is Outcome.ABSENT:
                passed_over = t.started_at == t.ended_at and t.deadline is None and t.silent_until is None
                assert passed_over or (t.away_until is not None and t.ended_at >= t.away_until)
                assert t.counts or t.how is HowGiven.OUT_OF_TURN, "a keeper's word out of turn never counts"
        turn = r.open_turn
        if turn is None:
            return
        holder = next(s for s in self.piece.seating if s.participant_id == turn.participant_id)
        if r.absence and not holder.online and turn.how is not HowGiven.OUT_OF_TURN:
            assert turn.away_until is not None, "someone offline holds the piece only while it waits for them"
        if turn.away_until is not None:
            assert not holder.online
            assert turn.away_until == self.away_expected[turn.id]

    # -- open rounds: the queue of hands ----------------------------------------------------------------

    def hand_refusal(self) -> type[Exception] | None:
        if self.piece.round.status is RoundStatus.ENDED:
            return errors.RoundHasEnded
        if self.piece.round.kind is not RoundKind.OPEN:
            return errors.NotAnOpenRound
        return None

    def someone(self, pick: int) -> UUID:
        """A raised hand most of the time, else anyone seated or not."""
        line = [hand.participant_id for hand in self.piece.round.hands]
        if line and pick % 3:
            return line[pick % len(line)]
        everyone = sorted(self.seating) + [OUTSIDE_MEMBER.participant_id]
        return everyone[pick % len(everyone)]

    @rule(who=st.sampled_from(["anyone", "anyone", "keeper", "holder", "app"]), pick=st.integers(0, 100))
    def raise_hand(self, who, pick):
        actor = self.actor(who, pick)
        seat = self.seating.get(actor.participant_id) if actor.participant_id else None
        turn = self.piece.round.open_turn
        expected = self.hand_refusal()
        if actor.participant_id is None:
            expected = errors.OwnHandOnly
        elif expected is None and (seat is None or not seat.may_hold):
            expected = errors.WitnessesDoNotHold
        elif expected is None and not seat.agreed:
            expected = errors.AgreementsNotAccepted
        elif expected is None and actor.participant_id in {h.participant_id for h in self.piece.round.hands}:
            expected = errors.HandAlreadyRaised
        elif expected is None and turn is not None and turn.participant_id == actor.participant_id:
            expected = errors.HoldsThePiece
        self.attempt(lambda: self.piece.raise_hand(actor, self.now), expected)

    @precondition(lambda self: self.kind is RoundKind.OPEN)
    @rule(pick=st.integers(0, 100))
    def raise_a_hand_that_may_go_up(self, pick):
        """In an open round, someone seated who may hold and has no hand up raises it (so lines grow)."""
        r = self.piece.round
        holder = r.open_turn.participant_id if r.open_turn else None
        up = {hand.participant_id for hand in r.hands}
        free = sorted(p for p, s in self.seating.items() if s.may_hold and p != holder and p not in up)
        if not free:
            return
        chosen = self.seating[free[pick % len(free)]]
        actor = Actor(chosen.participant_id, chosen.role)
        expected = self.hand_refusal() or (None if chosen.agreed else errors.AgreementsNotAccepted)
        self.attempt(lambda: self.piece.raise_hand(actor, self.now), expected)

    @rule(who=st.sampled_from(["anyone", "keeper", "app", "self"]), pick=st.integers(0, 100))
    def lower_hand(self, who, pick):
        participant_id = self.someone(pick)
        seat = self.seating.get(participant_id)
        actor = Actor(participant_id, seat.role if seat else Role.MEMBER) if who == "self" else self.actor(who, pick)
        expected = self.hand_refusal()
        if not (actor.may_keep or actor.participant_id == participant_id):
            expected = errors.NotYourHand
        elif expected is None and participant_id not in {h.participant_id for h in self.piece.round.hands}:
            expected = errors.HandNotRaised
        self.attempt(lambda: self.piece.lower_hand(participant_id, actor), expected)

    @rule(who=st.sampled_from(["anyone", "keeper", "keeper", "app"]), pick=st.integers(0, 100))
    def call_on(self, who, pick):
        participant_id = self.someone(pick)
        actor = self.actor(who, pick)
        expected = self.hand_refusal()
        if not actor.may_keep:
            expected = errors.KeeperOnly
        elif expected is None and participant_id not in {h.participant_id for h in self.piece.round.hands}:
            expected = errors.HandNotRaised
        if self.attempt(lambda: self.piece.call_on(participant_id, actor, self.now), expected):
            turn = self.piece.round.open_turn
            assert [h.participant_id for h in self.piece.round.hands][:1] == [participant_id] or (
                turn is not None and turn.participant_id == participant_id and turn.started_at == self.now
            )

    # -- the keeper's hand ----------------------------------------------------------------------------

    def taking_refusal(self, turn_id: UUID | None) -> type[Exception] | None:
        r = self.piece.round
        if r.status is RoundStatus.ENDED:
            return errors.RoundHasEnded
        if r.status is RoundStatus.PAUSED:
            return errors.RoundIsPaused
        if (r.open_turn.id if r.open_turn else None) != turn_id:
            return errors.TurnNotOpen
        return None

    @rule(
        who=st.sampled_from(["app", "keeper", "keeper", "anyone"]),
        which=st.sampled_from(["open", "open", "stale", "none"]),
        pick=st.integers(0, 100),
        to=st.integers(0, 100),
    )
    def give(self, who, which, pick, to):
        actor = self.actor(who, pick)
        turn_id = None if which == "none" else self.turn_id(which, pick)
        everyone = sorted(self.seating) + [OUTSIDE_MEMBER.participant_id]
        participant_id = everyone[to % len(everyone)]
        seat = self.seating.get(participant_id)
        holding = self.piece.round.open_turn
        expected = errors.KeeperOnly if not actor.may_keep else self.taking_refusal(turn_id)
        if expected is None and (seat is None or not seat.may_hold):
            expected = errors.CannotHold
        elif expected is None and holding is not None and holding.participant_id == participant_id:
            expected = errors.AlreadyHolds
        elif expected is None and not seat.agreed:
            expected = errors.AgreementsNotAccepted
        elif expected is None and self.piece.round.absence and not seat.online:
            expected = errors.Offline
        cursor = self.piece.round.cursor_seat
        if self.attempt(lambda: self.piece.give(participant_id, turn_id, actor, self.now), expected):
            self.seating_touched = True
            turn = self.piece.round.open_turn
            assert (turn.participant_id, turn.how, turn.started_at) == (participant_id, HowGiven.GIVEN, self.now)
            assert self.piece.round.cursor_seat == cursor, "giving the piece never moves the round's order"
            if holding is not None:
                assert self.known(holding.id).outcome is Outcome.SKIPPED

    @rule(
        who=st.sampled_from(["app", "keeper", "keeper", "anyone"]),
        which=st.sampled_from(["open", "open", "stale", "unknown"]),
        pick=st.integers(0, 100),
    )
    def speak_out_of_turn(self, who, which, pick):
        actor = self.actor(who, pick)
        turn_id = self.turn_id(which, pick)
        r = self.piece.round
        holding = r.open_turn
        if actor.participant_id is None:
            expected = errors.KeepersSpeakForThemselves
        elif not actor.may_keep:
            expected = errors.KeeperOnly
        elif r.kind is not RoundKind.SEQUENTIAL and r.status is not RoundStatus.ENDED:
            expected = errors.NotASequentialRound
        else:
            expected = self.taking_refusal(turn_id)
            seat = self.seating.get(actor.participant_id)
            if expected is None and (seat is None or not seat.may_hold):
                expected = errors.CannotHold
            elif expected is None and holding.participant_id == actor.participant_id:
                expected = errors.AlreadyHolds
            elif expected is None and not seat.agreed:
                expected = errors.AgreementsNotAccepted
        first_interrupted = r.returns_to if holding and holding.how is HowGiven.OUT_OF_TURN else None
        if self.attempt(lambda: self.piece.speak_out_of_turn(turn_id, actor, self.now), expected):
            self.seating_touched = True
            assert self.known(holding.id).outcome is Outcome.INTERRUPTED
            back = first_interrupted or holding.participant_id
            assert self.piece.round.returns_to == back
            if back in self.seating and self.seating[back].may_hold:
                assert self.piece.up_next()[:1] == [back], "the one interrupted is next"
            assert self.piece.round.open_turn.how is HowGiven.OUT_OF_TURN

    def teardown(self):
        r = self.piece.round
        event(f"{r.kind.value} round {r.status.value} ({r.end_reason and r.end_reason.value}), phase {r.phase.value}")
        if r.kind is RoundKind.OPEN:
            given = sum(
                isinstance(e, events.HandLowered) and e.reason is LowerReason.GIVEN_PIECE for e in self.piece.events
            )
            event(f"open round: {'some' if given else 'no'} hands given the piece")

    # -- invariants ------------------------------------------------------------------------------------

    @invariant()
    def at_most_one_open_turn_and_turns_never_overlap(self):
        r = self.piece.round
        open_turns = [t for t in r.turns if t.is_open]
        assert len(open_turns) <= 1
        if open_turns:
            assert open_turns[0] is r.turns[-1]
        if r.kind is RoundKind.SEQUENTIAL:
            assert (r.status is RoundStatus.ACTIVE) <= bool(open_turns), "an active round always has a holder"
        else:
            assert (r.status is RoundStatus.ACTIVE and not open_turns) <= (not r.hands), "a free piece never waits"
        assert (r.status is RoundStatus.ENDED) <= (not open_turns)
        for earlier, later in itertools.pairwise(r.turns):
            assert earlier.ended_at is not None and earlier.ended_at <= later.started_at
        for turn in r.turns:
            assert turn.ended_at is None or turn.started_at <= turn.ended_at

    @invariant()
    def witnesses_never_hold(self):
        turn = self.piece.round.open_turn
        if turn is not None:
            holder = next(s for s in self.piece.seating if s.participant_id == turn.participant_id)
            assert holder.may_hold

    @invariant()
    def an_ended_turn_never_changes(self):
        for turn in self.piece.round.turns:
            if turn.id in self.ended_turns:
                assert turn == self.ended_turns[turn.id]
            elif not turn.is_open:
                self.ended_turns[turn.id] = copy.deepcopy(turn)

    @invariant()
    def the_deadline_moves_only_by_paused_time(self):
        """An offer lapses offer_seconds after the silence; the clock runs turn_seconds from the silence,
        or from acceptance in an offer round; every pause moves what is still ahead by the paused time."""
        r = self.piece.round
        turn = r.open_turn
        if turn is None:
            return
        moved = self.extra_time.get(turn.id, timedelta(0))
        if turn.silent_until is not None:
            assert turn.silent_until == turn.started_at + timedelta(seconds=r.pause_seconds) + self.silence_moved(turn)
        if turn.accepted_at is not None:
            base, seconds = turn.accepted_at + moved, r.turn_seconds
        else:
            base, seconds = turn.silent_until or turn.started_at + moved, r.offer_seconds or r.turn_seconds
        assert turn.deadline == (base + timedelta(seconds=seconds) if seconds else None)

    def silence_moved(self, turn: Turn) -> timedelta:
        return self.silence_extra.get(turn.id, timedelta(0))

    @invariant()
    def events_tell_the_story_in_order(self):
        recorded = self.piece.events
        assert isinstance(recorded[0], events.RoundStarted)
        assert recorded[: len(self.recorded)] == self.recorded, "events are only ever appended"
        started: list[UUID] = []
        ended: set[UUID] = set()
        for i, e in enumerate(recorded):
            if isinstance(e, events.TurnStarted):
                assert e.turn.id not in started and e.turn.is_open
                started.append(e.turn.id)
            elif isinstance(e, events.TurnEnded):
                assert e.turn.id in started and e.turn.id not in ended
                assert e.turn == self.known(e.turn.id)
                ended.add(e.turn.id)
            elif isinstance(e, events.RoundEnded):
                assert i == len(recorded) - 1
        assert started == [t.id for t in self.piece.round.turns]
        assert ended == {t.id for t in self.piece.round.turns if not t.is_open}
        self.recorded = list(recorded)

    @invariant()
    def the_line_is_the_same_on_every_screen(self):
        """Replaying the hand events rebuilds the line each one carries, and the line the round holds."""
        r = self.piece.round
        line: list[UUID] = []
        given: UUID | None = None
        first_turn = True
        for e in self.piece.events:
            if isinstance(e, events.HandRaised):
                assert e.participant_id not in line
                line.append(e.participant_id)
            elif isinstance(e, events.HandLowered):
                line.remove(e.participant_id)
                given = e.participant_id if e.reason is LowerReason.GIVEN_PIECE else None
            elif isinstance(e, events.HandCalled):
                line.remove(e.participant_id)
                line.insert(0, e.participant_id)
            elif isinstance(e, events.TurnStarted) and r.kind is RoundKind.OPEN:
                if not (first_turn and r.starts_with is not None) and e.turn.how is HowGiven.IN_TURN:
                    assert given == e.turn.participant_id, "in an open round the piece goes to the first hand"
                given, first_turn = None, False
            if isinstance(e, events.HandRaised | events.HandLowered | events.HandCalled):
                assert list(e.hands) == line
        assert line == [hand.participant_id for hand in r.hands] or r.status is RoundStatus.ENDED
        assert r.hands == [] or r.kind is RoundKind.OPEN
        assert r.status is not RoundStatus.ENDED or r.hands == []
        holder = r.open_turn.participant_id if r.open_turn else None
        assert holder not in line
        may_hold = {s.participant_id for s in self.piece.seating if s.may_hold}
        assert {hand.participant_id for hand in r.hands} <= may_hold

    @invariant()
    def an_open_round_never_ends_by_itself(self):
        if self.piece.round.kind is RoundKind.OPEN:
            assert self.piece.round.end_reason is not EndReason.COMPLETED

    @invariant()
    def a_completed_round_served_everyone_seated(self):
        if self.piece.round.end_reason is EndReason.COMPLETED:
            check_completed(self.piece)

    @invariant()
    def without_seating_changes_the_first_phase_is_seat_order(self):
        if self.seating_touched or self.kind is RoundKind.OPEN:
            return
        r = self.piece.round
        held = [t.participant_id for t in r.turns]
        first_turns = r.turns[: len(self.first_order)]
        again = [t.participant_id for t in first_turns if t.outcome is Outcome.PASSED] if r.pass_back else []
        assert held == (self.first_order + again)[: len(held)]
        if r.phase is Lap.PASS_BACK:
            assert len(held) >= len(self.first_order)

    @invariant()
    def up_next_never_names_the_holder_or_a_witness(self):
        turn = self.piece.round.open_turn
        names = self.piece.up_next()
        assert len(names) == len(set(names))
        assert turn is None or turn.participant_id not in names or turn.how is HowGiven.OUT_OF_TURN
        may_hold = {s.participant_id for s in self.piece.seating if s.may_hold}
        assert set(names) <= may_hold


TalkingPieceMachine.TestCase.settings = settings(max_examples=200, stateful_step_count=50, deadline=None)
TestTalkingPiece = TalkingPieceMachine.TestCase

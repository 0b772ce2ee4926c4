"""Breakouts: the circle splits into pairs (or threes), and each group passes the piece inside itself.

Pure Python, as the rest of the talking piece: `form_groups` decides who sits with whom (at random, by seat,
or as the keeper listed them), and `Breakout` moves the piece inside every group: each person speaks once, for
`seconds_each` at most (a hard limit: the listener only listens), then it passes to the next in the group; a
group is done when everyone in it has spoken once; the breakout ends when every group is done, when its
`ends_at` comes, or when a keeper (or the app) ends it early. Randomness is given (`random.Random`), so a test
(or a replay) can seed it. The service maps rows to these, commands them, and saves what changed.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from circles.talking_piece.errors import KeeperOnly, NotYourTurn, Refusal, TalkingPieceError, TurnNotOpen
from circles.talking_piece.model import Actor, Role, Seat

SMALLEST_GROUP = 2
LARGEST_GROUP = 3


class Grouping(enum.StrEnum):
    RANDOM = "random"  # shuffled, then split
    BY_SEAT = "by_seat"  # neighbours around the circle sit together
    EXPLICIT = "explicit"  # the keeper (or the app) listed the groups


class BreakoutOutcome(enum.StrEnum):
    SPOKE = "spoke"  # they said they were done
    PASSED = "passed"  # they chose not to speak
    TIMED_OUT = "timed_out"  # their time ran out (the limit is hard)
    ENDED = "ended"  # the breakout ended before they had their whole time
    LEFT = "left"  # they left the circle (or became a witness) before their turn was over
    # Nobody else was left in their group before they had spoken there: they speak in another group (or, with
    # no other group open, they are back in the circle early). A turn cut short this way does not count.
    MOVED = "moved"
    # They joined this group, having already spoken in theirs, when nobody else was left in it: they only
    # listen here (the turn never starts; `ended_at` is when they joined).
    LISTENER = "listener"


class BreakoutEndReason(enum.StrEnum):
    COMPLETED = "completed"  # every group is done
    TIME_UP = "time_up"  # `ends_at` came
    ENDED = "ended"  # a keeper or the app ended it early
    CIRCLE_CLOSED = "circle_closed"


class GroupingError(TalkingPieceError):
    """The people cannot be grouped as asked (too few, or explicit groups that do not fit who is present)."""

    code = "cannot_group"
    refusal = Refusal.INVALID
    message = "The people present cannot be grouped as asked."


class BreakoutOver(TalkingPieceError):
    code = "breakout_ended"
    message = "The breakout has ended; everyone is back in the circle."


def form_groups(
    seats: Sequence[Seat],
    size: int,
    grouping: Grouping,
    *,
    keepers_float: bool,
    rng: random.Random | None = None,
    explicit: Sequence[Sequence[UUID]] | None = None,
) -> list[list[UUID]]:
    """Who sits with whom. Witnesses are never grouped; keepers are left out when `keepers_float`. Groups
    have `size` people; whoever is left over joins a group, so nobody is alone (a pair becomes a three; with
    threes, one left over makes the last two groups pairs). Explicit groups must each hold 2 or 3 of the
    present members and keepers, no one twice, and every present member (keepers not listed float)."""
    if size not in (SMALLEST_GROUP, LARGEST_GROUP):
        raise GroupingError(f"groups are of {SMALLEST_GROUP} or {LARGEST_GROUP}")
    holders = sorted((s for s in seats if s.may_hold), key=lambda s: s.seat)
    if grouping is Grouping.EXPLICIT:
        return _explicit(holders, explicit or [])
    people = [s.participant_id for s in holders if not (keepers_float and s.role is Role.KEEPER)]
    if len(people) < SMALLEST_GROUP:
        raise GroupingError("fewer than two people to group")
    if grouping is Grouping.RANDOM:
        (rng or random.Random()).shuffle(people)
    return split(people, size)


def split(people: Sequence[UUID], size: int) -> list[list[UUID]]:
    """`people` (at least two) in order, in groups of `size`, the leftover absorbed so that none is alone."""
    groups = [list(people[start : start + size]) for start in range(0, len(people), size)]
    if len(groups[-1]) == 1:
        alone = groups.pop()[0]
        if size == SMALLEST_GROUP:
            groups[-1].append(alone)  # the last pair becomes a three
        else:
            groups[-1], last = groups[-1][:2], [groups[-1][2], alone]  # 3 + 1 -> 2 + 2
            groups.append(last)
    return groups


def _explicit(holders: Sequence[Seat], listed: Sequence[Sequence[UUID]]) -> list[list[UUID]]:
    roles = {s.participant_id: s.role for s in holders}
    seen: set[UUID] = set()
    for group in listed:
        if not SMALLEST_GROUP <= len(group) <= LARGEST_GROUP:
            raise GroupingError("each group holds 2 or 3 people")
        for person in group:
            if person not in roles:
                raise GroupingError("a group names someone who is not a present keeper or member")
            if person in seen:
                raise GroupingError("someone is in two groups")
            seen.add(person)
    missing = [p for p, role in roles.items() if role is Role.MEMBER and p not in seen]
    if missing:
        raise GroupingError("every present member must be in a group")
    if not listed:
        raise GroupingError("no groups listed")
    return [list(group) for group in listed]


@dataclass(slots=True)
class GroupTurn:
    id: UUID
    participant_id: UUID
    position: int
    started_at: datetime | None = None
    deadline: datetime | None = None
    ended_at: datetime | None = None
    outcome: BreakoutOutcome | None = None

    @property
    def is_open(self) -> bool:
        return self.started_at is not None and self.ended_at is None


@dataclass(slots=True)
class Group:
    id: UUID
    index: int
    turns: list[GroupTurn]
    external_ref: str | None = None
    done_at: datetime | None = None

    @property
    def members(self) -> list[UUID]:
        return [t.participant_id for t in self.turns]

    @property
    def open_turn(self) -> GroupTurn | None:
        return next((t for t in self.turns if t.is_open), None)


@dataclass(slots=True)
class BreakoutState:
    id: UUID
    seconds_each: int
    started_at: datetime
    ends_at: datetime | None
    groups: list[Group]
    ended_at: datetime | None = None
    end_reason: BreakoutEndReason | None = None

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    def next_moment(self) -> datetime | None:
        """When something is next due (a speaker's time ends, or `ends_at`), or None once ended."""
        if not self.is_open:
            return None
        moments = [t.deadline for g in self.groups for t in g.turns if t.is_open and t.deadline is not None]
        if self.ends_at is not None:
            moments.append(self.ends_at)
        return min(moments, default=None)


class BreakoutEvent(enum.StrEnum):
    STARTED = "started"
    TURN_STARTED = "turn_started"
    TURN_ENDED = "turn_ended"
    GROUP_DONE = "group_done"
    GROUP_UPDATED = "group_updated"  # someone moved out of the group or into it (nobody is left alone)
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class Happened:
    """What a command did: the event and the group it happened in (None for the breakout as a whole)."""

    event: BreakoutEvent
    group_id: UUID | None = None


@dataclass(slots=True)
class Breakout:
    """The piece inside every group of a breakout; commands append what they did to `events`."""

    state: BreakoutState
    events: list[Happened] = field(default_factory=list)
    new_id: Callable[[], UUID] = uuid4  # for the turn of someone who joins a group

    @classmethod
    def start(
        cls,
        breakout_id: UUID,
        groups: Sequence[Sequence[UUID]],
        seconds_each: int,
        now: datetime,
        ends_at: datetime | None,
        new_id: Callable[[], UUID],
    ) -> Breakout:
        state = BreakoutState(
            id=breakout_id,
            seconds_each=seconds_each,
            started_at=now,
            ends_at=ends_at,
            groups=[
                Group(
                    id=new_id(),
                    index=index,
                    turns=[GroupTurn(id=new_id(), participant_id=p, position=n) for n, p in enumerate(members)],
                )
                for index, members in enumerate(groups)
            ],
        )
        breakout = cls(state, new_id=new_id)
        breakout.events.append(Happened(BreakoutEvent.STARTED))
        for group in state.groups:
            breakout._begin(group, group.turns[0], now)
        return breakout

    def finish(self, turn_id: UUID, outcome: BreakoutOutcome, actor: Actor, now: datetime) -> None:
        """The speaker is done (`spoke`) or passes: their own turn only; a keeper or the app may end anyone's."""
        group, turn = self._turn(turn_id)
        self.expire(now)  # a turn whose time is up ended at its deadline, whatever comes now
        if actor.participant_id != turn.participant_id and not actor.may_keep:
            raise NotYourTurn()
        if not self.state.is_open:
            raise BreakoutOver()
        if not turn.is_open:
            raise TurnNotOpen()
        self._end_turn(group, turn, outcome, now)

    def expire(self, now: datetime) -> datetime | None:
        """A timer fired: end every turn whose time is up and, past `ends_at`, the breakout. Acts only on
        what is due, so a second timer for the same moment changes nothing. Returns when to look again."""
        if not self.state.is_open:
            return None
        if self.state.ends_at is not None and self.state.ends_at <= now:
            self._close(BreakoutEndReason.TIME_UP, now)
            return None
        for group in self.state.groups:
            # A late timer ends each overdue turn at its deadline, and the next begins there: nobody's time
            # is stretched or cut by when the timer ran.
            while (turn := group.open_turn) is not None and turn.deadline is not None and turn.deadline <= now:
                self._end_turn(group, turn, BreakoutOutcome.TIMED_OUT, turn.deadline)
                if not self.state.is_open:
                    return None
        return self.state.next_moment()

    def end(self, actor: Actor, now: datetime) -> None:
        if not actor.may_keep:
            raise KeeperOnly()
        if not self.state.is_open:
            raise BreakoutOver()
        self._close(BreakoutEndReason.ENDED, now)

    def seating_changed(self, holders: Collection[UUID], now: datetime) -> None:
        """Who may hold the piece now (present keepers and members). Whoever in a group is no longer among
        them is done there (`left`); then nobody is left alone: whoever is the only one still present in a
        group that is not done joins another (`_move`); then, where the holder left, the piece passes on."""
        if not self.state.is_open:
            return
        for group in self.state.groups:
            if group.done_at is not None:
                continue
            for turn in group.turns:
                if turn.ended_at is None and turn.participant_id not in holders:
                    turn.ended_at, turn.outcome = now, BreakoutOutcome.LEFT
                    self.events.append(Happened(BreakoutEvent.TURN_ENDED, group.id))
        while (alone := next((g for g in self.state.groups if len(self._present(g, holders)) == 1), None)) is not None:
            self._move(alone, self._present(alone, holders)[0], holders, now)
            if not self.state.is_open:
                return
        for group in self.state.groups:
            if group.done_at is None and group.open_turn is None:
                self._pass_on(group, now)
                if not self.state.is_open:
                    return

    def _present(self, group: Group, holders: Collection[UUID]) -> list[GroupTurn]:
        """The turns of those still in a group that is not done: present, and neither gone nor moved on."""
        if group.done_at is not None:
            return []
        gone = (BreakoutOutcome.LEFT, BreakoutOutcome.MOVED)
        return [t for t in group.turns if t.participant_id in holders and t.outcome not in gone]

    def _move(self, group: Group, alone: GroupTurn, holders: Collection[UUID], now: datetime) -> None:
        """`alone` is the only one left in `group`: their group is done, and they join the open group with
        the fewest present (ties: the lowest index), at the end of its order: to speak there if they have not
        spoken yet (a turn they held with nobody to hear them is cut, `moved`, and does not count), to listen
        only if they have (`listener`). With no other group open (or, to listen, none where someone has still
        to speak) they are back in the circle early."""
        person, had_turn = (
            alone.participant_id,
            (BreakoutOutcome.SPOKE, BreakoutOutcome.PASSED, BreakoutOutcome.TIMED_OUT),
        )
        spoke = any(t.participant_id == person and t.outcome in had_turn for g in self.state.groups for t in g.turns)
        if alone.ended_at is None:
            alone.ended_at, alone.outcome = now, BreakoutOutcome.MOVED
        open_ = [
            g
            for g in self.state.groups
            if g is not group and self._present(g, holders) and (not spoke or any(t.ended_at is None for t in g.turns))
        ]
        target = min(open_, key=lambda g: (len(self._present(g, holders)), g.index), default=None)
        if target is not None:
            position = max(t.position for t in target.turns) + 1
            turn = GroupTurn(id=self.new_id(), participant_id=person, position=position)
            if spoke:
                turn.ended_at, turn.outcome = now, BreakoutOutcome.LISTENER
            target.turns.append(turn)
        self.events.append(Happened(BreakoutEvent.GROUP_UPDATED, group.id))  # their turn there: `moved`
        if target is not None:
            self.events.append(Happened(BreakoutEvent.GROUP_UPDATED, target.id))  # they are among its members
        self._group_done(group, now)

    def close(self, reason: BreakoutEndReason, now: datetime) -> None:
        """The circle closes (or the like): the breakout ends, if it has not."""
        if self.state.is_open:
            self._close(reason, now)

    def _turn(self, turn_id: UUID) -> tuple[Group, GroupTurn]:
        for group in self.state.groups:
            for turn in group.turns:
                if turn.id == turn_id:
                    return group, turn
        raise TurnNotOpen()

    def _begin(self, group: Group, turn: GroupTurn, now: datetime) -> None:
        turn.started_at, turn.deadline = now, now + timedelta(seconds=self.state.seconds_each)
        self.events.append(Happened(BreakoutEvent.TURN_STARTED, group.id))

    def _end_turn(self, group: Group, turn: GroupTurn, outcome: BreakoutOutcome, now: datetime) -> None:
        turn.ended_at, turn.outcome = now, outcome
        self.events.append(Happened(BreakoutEvent.TURN_ENDED, group.id))
        self._pass_on(group, now)

    def _pass_on(self, group: Group, now: datetime) -> None:
        """The piece goes to the next in the group who has not had it, or the group is done."""
        following = next((t for t in group.turns if t.started_at is None and t.ended_at is None), None)
        if following is not None:
            self._begin(group, following, now)
            return
        self._group_done(group, now)

    def _group_done(self, group: Group, now: datetime) -> None:
        group.done_at = now
        self.events.append(Happened(BreakoutEvent.GROUP_DONE, group.id))
        if all(g.done_at is not None for g in self.state.groups):
            self._close(BreakoutEndReason.COMPLETED, now)

    def _close(self, reason: BreakoutEndReason, now: datetime) -> None:
        for group in self.state.groups:
            for turn in group.turns:
                if turn.ended_at is None:
                    over = turn.deadline if turn.deadline is not None and turn.deadline < now else now
                    turn.ended_at, turn.outcome = over, BreakoutOutcome.ENDED
            if group.done_at is None:
                group.done_at = now
        self.state.ended_at, self.state.end_reason = now, reason
        self.events.append(Happened(BreakoutEvent.ENDED))

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
from uuid import UUID

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
        breakout = cls(state)
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
        them is done there (`left`): if they held the piece it passes on in their group."""
        if not self.state.is_open:
            return
        for group in self.state.groups:
            for turn in group.turns:
                if turn.ended_at is None and turn.participant_id not in holders:
                    if turn.is_open:
                        self._end_turn(group, turn, BreakoutOutcome.LEFT, now)
                    else:
                        turn.ended_at, turn.outcome = now, BreakoutOutcome.LEFT
                        self.events.append(Happened(BreakoutEvent.TURN_ENDED, group.id))
                        if all(t.ended_at is not None for t in group.turns):
                            self._group_done(group, now)
                    if not self.state.is_open:
                        return

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

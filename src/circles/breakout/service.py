"""Breakouts: split the circle into groups, pass the piece inside each, bring everyone back.

Every command locks the circle first, loads the breakout into the talking piece (`talking_piece.groups`), and
saves what it decided with its events, in the caller's transaction. A deadline timer (`breakout.deadlines`)
calls `expire`, which acts only on what is due: whichever timer or instance comes first acts, and the rest
change nothing, so each speaker's time and the breakout's `ends_at` fire exactly once.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlmodel import Session

from circles import unit_of_work
from circles.access.principal import Principal, enter_circle, enter_open_circle, require_app
from circles.audit.repository import note_created
from circles.breakout.errors import (
    BadBreakoutClock,
    BreakoutAlreadyActive,
    BreakoutNotFound,
    BreakoutTurnNotFound,
    GroupNotFound,
    RoundInProgress,
)
from circles.breakout.views import breakout_view
from circles.event import log as event_log
from circles.event.payloads import BreakoutData, BreakoutGroupData, EventName
from circles.records.breakout import repository
from circles.records.breakout.models import (
    Breakout,
    BreakoutCreate,
    BreakoutGroup,
    BreakoutPublic,
    BreakoutTurn,
    GroupUpdate,
)
from circles.records.circle import repository as circle_repository
from circles.records.circle.models import Circle, CircleStatus
from circles.records.participant import repository as participant_repository
from circles.records.round import repository as round_repository
from circles.talking_piece.groups import Breakout as PieceBreakout
from circles.talking_piece.groups import (
    BreakoutEndReason,
    BreakoutEvent,
    BreakoutOutcome,
    Grouping,
    form_groups,
)
from circles.talking_piece.model import Role, Seat

_GROUP_EVENTS = {
    BreakoutEvent.TURN_STARTED: EventName.BREAKOUT_TURN_STARTED,
    BreakoutEvent.TURN_ENDED: EventName.BREAKOUT_TURN_ENDED,
    BreakoutEvent.GROUP_DONE: EventName.BREAKOUT_GROUP_DONE,
    BreakoutEvent.GROUP_UPDATED: EventName.BREAKOUT_GROUP_UPDATED,
}

# Where the shuffle of a `random` breakout comes from; a test may seed it.
shuffler: Callable[[], random.Random] = random.Random


def start(session: Session, principal: Principal, circle_id: uuid.UUID, data: BreakoutCreate) -> BreakoutPublic:
    access = enter_open_circle(session, principal, circle_id)
    access.require_keeper()
    circle, now = access.circle, unit_of_work.of(session).now
    if data.ends_at is not None and (data.duration_seconds is not None or data.ends_at <= now):
        raise BadBreakoutClock()
    if (data.groups is not None) != (data.grouping is Grouping.EXPLICIT):
        raise BadBreakoutClock()
    if repository.unended(session, circle.id) is not None:
        raise BreakoutAlreadyActive()
    if round_repository.unended(session, circle.id) is not None:
        raise RoundInProgress()
    seats = [
        Seat(participant_id=row[0], seat=row[1], role=Role(row[2]))
        for row in participant_repository.holders_present(session, circle.id)
    ]
    groups = form_groups(
        seats, data.size, data.grouping, keepers_float=data.keepers_float, rng=shuffler(), explicit=data.groups
    )
    ends_at = data.ends_at
    if data.duration_seconds is not None:
        ends_at = now + timedelta(seconds=data.duration_seconds)
    row = Breakout(
        circle_id=circle.id,
        prompt=data.prompt,
        size=data.size,
        seconds_each=data.seconds_each,
        grouping=data.grouping,
        keepers_float=data.keepers_float,
        started_at=now,
        ends_at=ends_at,
    )
    session.add(row)
    session.flush()
    note_created(session, row.id)
    piece = PieceBreakout.start(row.id, groups, data.seconds_each, now, ends_at, uuid.uuid4)
    _save(session, circle, row, [], [], piece, now)
    return breakout_view(row, piece.state)


def get(session: Session, principal: Principal, circle_id: uuid.UUID, breakout_id: uuid.UUID) -> BreakoutPublic:
    access = enter_circle(session, principal, circle_id)
    row = repository.get(session, access.circle.id, breakout_id)
    if row is None:
        raise BreakoutNotFound()
    return breakout_view(row, repository.to_state(row, *repository.rows_of(session, row.id)))


def current(session: Session, circle_id: uuid.UUID) -> BreakoutPublic | None:
    """The circle's breakout under way, for the snapshot (the caller has entered the circle)."""
    row = repository.unended(session, circle_id)
    if row is None:
        return None
    return breakout_view(row, repository.to_state(row, *repository.rows_of(session, row.id)))


def finish_turn(
    session: Session, principal: Principal, circle_id: uuid.UUID, turn_id: uuid.UUID, outcome: BreakoutOutcome
) -> BreakoutPublic:
    """The speaker is done (or passes) in their group: their own turn; a keeper or the app may end any."""
    access = enter_open_circle(session, principal, circle_id)
    row = repository.of_turn(session, access.circle.id, turn_id)
    if row is None:
        raise BreakoutTurnNotFound()
    return _command(session, access.circle, row, lambda p, now: p.finish(turn_id, outcome, access.actor, now))


def end(session: Session, principal: Principal, circle_id: uuid.UUID, breakout_id: uuid.UUID) -> BreakoutPublic:
    """A keeper or the app brings everyone back early."""
    access = enter_open_circle(session, principal, circle_id)
    row = repository.get(session, access.circle.id, breakout_id)
    if row is None:
        raise BreakoutNotFound()
    return _command(session, access.circle, row, lambda p, now: p.end(access.actor, now))


def set_external_ref(
    session: Session, principal: Principal, circle_id: uuid.UUID, group_id: uuid.UUID, data: GroupUpdate
) -> BreakoutPublic:
    """The app names a group its own way (a Zoom breakout room); everyone's screen is told."""
    require_app(principal)
    access = enter_open_circle(session, principal, circle_id)
    row = repository.of_group(session, access.circle.id, group_id)
    if row is None:
        raise GroupNotFound()

    def rename(piece: PieceBreakout, now: datetime) -> None:
        for group in piece.state.groups:
            if group.id == group_id:
                group.external_ref = data.external_ref

    answer = _command(session, access.circle, row, rename)
    group = next(g for g in answer.groups if g.id == group_id)
    data_ = BreakoutGroupData(breakout_id=row.id, group=group)
    event_log.append(session, access.circle, EventName.BREAKOUT_GROUP_UPDATED, data_, unit_of_work.of(session).now)
    return answer


def expire(session: Session, circle_id: uuid.UUID, breakout_id: uuid.UUID) -> datetime | None:
    """A timer fired: time out whoever's time is up, or bring everyone back at `ends_at`. Returns when to look
    again, or None."""
    circle = circle_repository.get(session, circle_id, lock=True)
    if circle is None or circle.status == CircleStatus.CLOSED:
        return None
    row = repository.get(session, circle_id, breakout_id)
    if row is None or row.ended_at is not None:
        return None
    look_again: list[datetime | None] = []
    _command(session, circle, row, lambda piece, at: look_again.append(piece.expire(at)))
    return look_again[0]


def seating_changed(session: Session, circle: Circle, now: datetime) -> None:
    """Someone left, or became a witness: in the breakout under way (if any) they are done in their group
    (`left`), and if they held the piece it passes on there; whoever that leaves alone in a group joins another
    (`moved`, `listener`: see `talking_piece.groups`), which screens learn from `breakout.group_updated`. The
    caller holds the circle's lock."""
    row = repository.unended(session, circle.id)
    if row is None:
        return
    holders = {row_[0] for row_ in participant_repository.holders_present(session, circle.id)}
    _command(session, circle, row, lambda piece, at: piece.seating_changed(holders, at), now)


def close_breakout(session: Session, circle: Circle, now: datetime) -> None:
    """The circle is closing: its breakout under way ends. The caller holds the circle's lock."""
    row = repository.unended(session, circle.id)
    if row is not None:
        _command(session, circle, row, lambda piece, at: piece.close(BreakoutEndReason.CIRCLE_CLOSED, at), now)


def _command(
    session: Session,
    circle: Circle,
    row: Breakout,
    act: Callable[[PieceBreakout, datetime], None],
    now: datetime | None = None,
) -> BreakoutPublic:
    now = now or unit_of_work.of(session).now
    groups, turns = repository.rows_of(session, row.id)
    piece = PieceBreakout(repository.to_state(row, groups, turns))
    act(piece, now)
    _save(session, circle, row, groups, turns, piece, now)
    return breakout_view(row, piece.state)


def _save(
    session: Session,
    circle: Circle,
    row: Breakout,
    groups: list[BreakoutGroup],
    turns: list[BreakoutTurn],
    piece: PieceBreakout,
    now: datetime,
) -> None:
    repository.write_state(session, row, groups, turns, piece.state)
    view = breakout_view(row, piece.state)
    by_id = {group.id: group for group in view.groups}
    for happened in piece.events:
        if happened.event is BreakoutEvent.STARTED:
            event_log.append(session, circle, EventName.BREAKOUT_STARTED, BreakoutData(breakout=view), now)
        elif happened.event is BreakoutEvent.ENDED:
            event_log.append(session, circle, EventName.BREAKOUT_ENDED, BreakoutData(breakout=view), now)
        elif happened.group_id is not None:
            data = BreakoutGroupData(breakout_id=row.id, group=by_id[happened.group_id])
            event_log.append(session, circle, _GROUP_EVENTS[happened.event], data, now)
    piece.events.clear()

"""Airtime of a round, of a gathering (the rounds its plan started), and of a time window.

Reads only: the turns the round service stored, and the pause marks the event log keeps. Airtime is read
by the app and keepers: it is a facilitation tool, and how a circle shows it to members is theirs to choose.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session

from circles.access.principal import Principal, enter_circle
from circles.airtime import repository
from circles.airtime.errors import GatheringTooLarge, InvalidWindow
from circles.airtime.measure import balance, held_seconds, pause_intervals
from circles.airtime.models import (
    GatheringAirtime,
    PersonAirtime,
    RoundAirtime,
    RoundAirtimeSummary,
    TurnAirtime,
)
from circles.gathering.errors import GatheringNotFound
from circles.records.gathering import repository as gathering_repository
from circles.records.round import repository as round_repository
from circles.records.round.models import Round
from circles.round.errors import RoundNotFound
from circles.talking_piece.model import Outcome


def for_round(
    session: Session, principal: Principal, circle_id: uuid.UUID, round_id: uuid.UUID, now: datetime
) -> RoundAirtime:
    access = enter_circle(session, principal, circle_id)
    access.require_keeper()
    row = round_repository.get(session, access.circle.id, round_id)
    if row is None:
        raise RoundNotFound()
    marks = repository.pause_marks(session, access.circle.id)
    return _round_airtime(session, row, marks.get(row.id, []), now)


def for_window(
    session: Session,
    principal: Principal,
    circle_id: uuid.UUID,
    since: datetime | None,
    until: datetime | None,
    now: datetime,
) -> GatheringAirtime:
    """Airtime over the circle's rounds that started in [since, until) (app or keeper)."""
    access = enter_circle(session, principal, circle_id)
    access.require_keeper()
    if since is not None and until is not None and since >= until:
        raise InvalidWindow()
    rows = repository.rounds_started(session, access.circle.id, since, until, repository.MAX_ROUNDS + 1)
    if len(rows) > repository.MAX_ROUNDS:
        raise GatheringTooLarge()
    return _over(session, access.circle.id, rows, now, since=since, until=until)


def for_planned_gathering(
    session: Session, principal: Principal, circle_id: uuid.UUID, gathering_id: uuid.UUID, now: datetime
) -> GatheringAirtime:
    """Airtime over the rounds a gathering started, in its order (app or keeper)."""
    access = enter_circle(session, principal, circle_id)
    access.require_keeper()
    gathering = gathering_repository.get(session, access.circle.id, gathering_id)
    if gathering is None:
        raise GatheringNotFound()
    rows = []
    for round_id in gathering_repository.started_round_ids(session, gathering.id):
        row = round_repository.get(session, access.circle.id, round_id)
        if row is not None:
            rows.append(row)
    return _over(session, access.circle.id, rows, now, gathering_id=gathering.id)


def _over(
    session: Session, circle_id: uuid.UUID, rows: list[Round], now: datetime, **scope: object
) -> GatheringAirtime:
    marks = repository.pause_marks(session, circle_id)
    rounds = [_round_airtime(session, row, marks.get(row.id, []), now) for row in rows]
    people = _people(turn for round_airtime in rounds for turn in round_airtime.turns)
    return GatheringAirtime.model_validate(
        {
            **scope,
            "as_of": now,
            "total_seconds": sum(p.held_seconds for p in people),
            "balance": balance([p.held_seconds for p in people]),
            "people": people,
            "rounds": [RoundAirtimeSummary.model_validate(r, from_attributes=True) for r in rounds],
        }
    )


def _round_airtime(session: Session, row: Round, marks: list[tuple[str, datetime]], now: datetime) -> RoundAirtime:
    pauses = pause_intervals(marks, row.ended_at or now)
    turns = [
        TurnAirtime(
            turn_id=turn.id,
            participant_id=turn.participant_id,
            started_at=turn.started_at,
            ended_at=turn.ended_at,
            held_seconds=held_seconds(turn.started_at, turn.ended_at or now, pauses),
            outcome=turn.outcome,
        )
        for turn in round_repository.turns_of(session, row.id)
    ]
    people = _people(turns)
    return RoundAirtime(
        round_id=row.id,
        status=row.status,
        started_at=row.started_at,
        ended_at=row.ended_at,
        total_seconds=sum(p.held_seconds for p in people),
        balance=balance([p.held_seconds for p in people]),
        people=people,
        turns=turns,
    )


def _people(turns: Iterable[TurnAirtime]) -> list[PersonAirtime]:
    """Per person: total airtime, share of the whole, turns held, and how they ended; most airtime first."""
    held: dict[uuid.UUID, float] = defaultdict(float)
    counts: Counter[uuid.UUID] = Counter()
    outcomes: dict[uuid.UUID, Counter[Outcome]] = defaultdict(Counter)
    for turn in turns:
        held[turn.participant_id] += turn.held_seconds
        counts[turn.participant_id] += 1
        if turn.outcome is not None:
            outcomes[turn.participant_id][Outcome(turn.outcome)] += 1
    total = sum(held.values())
    people = [
        PersonAirtime(
            participant_id=participant_id,
            held_seconds=seconds,
            share=seconds / total if total > 0 else None,
            turns=counts[participant_id],
            outcomes=dict(outcomes[participant_id]),
        )
        for participant_id, seconds in held.items()
    ]
    return sorted(people, key=lambda p: (-p.held_seconds, str(p.participant_id)))

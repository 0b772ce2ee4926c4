"""The snapshot: everything a screen needs to draw the circle, as of one seq."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from sqlmodel import Field, Session, SQLModel

from circles.breakout.service import current as current_breakout
from circles.circle.views import circle_view
from circles.gathering.service import public as gathering_public
from circles.participant.views import participant_view
from circles.records.breakout.models import BreakoutPublic
from circles.records.circle.models import Circle, CirclePublic
from circles.records.gathering import repository as gathering_repository
from circles.records.gathering.models import GatheringPublic
from circles.records.participant import repository as participant_repository
from circles.records.participant.models import ParticipantPublic
from circles.records.participant.repository import count_witnesses
from circles.records.round import repository as round_repository
from circles.records.round.models import RoundPublic, TurnPublic
from circles.round.mapping import round_public, turn_public


class Audience(SQLModel):
    """The circle's witnesses, counted: they listen and never hold the piece, so they are not listed one by
    one (GET /v1/circles/{circle_id}/participants lists them)."""

    witnesses: int = Field(description="How many witnesses are seated.")
    online: int = Field(description="How many of them have a live connection (on any instance).")


class CircleState(SQLModel):
    seq: int = Field(description="The seq of the newest event this state includes.")
    server_time: datetime = Field(description="The server's clock when the state was read.")
    circle: CirclePublic
    participants: list[ParticipantPublic] = Field(
        description="Everyone seated now who can hold the piece (keepers and members), in seat order."
    )
    audience: Audience = Field(description="The witnesses, counted.")
    round: RoundPublic | None = Field(description="The round in progress (active or paused), or null.")
    turn: TurnPublic | None = Field(description="The open turn, or null.")
    hands: list[uuid.UUID] = Field(description="Raised hands in queue order (open rounds).")
    gathering: GatheringPublic | None = Field(
        default=None, description="The circle's planned gathering: its rounds, which have started, which is next."
    )
    breakout: BreakoutPublic | None = Field(
        default=None, description="The breakout under way (its groups, and whose turn it is in each), or null."
    )


def read_state(
    session: Session, circle: Circle, online: Collection[uuid.UUID], now: datetime, *, witnesses_online: int
) -> CircleState:
    """`online`: the keepers and members with a live connection (witnesses in it are ignored);
    `witnesses_online`: how many witnesses have one. The caller's session must see one consistent moment
    (a read transaction, or the circle's lock)."""
    participants = [participant_view(p, online) for p in participant_repository.keepers_and_members(session, circle.id)]
    row = round_repository.unended(session, circle.id)
    open_turn = round_repository.open_turn(session, row.id) if row is not None else None
    return CircleState(
        seq=circle.last_seq,
        server_time=now,
        circle=circle_view(circle),
        participants=participants,
        audience=Audience(witnesses=count_witnesses(session, circle.id), online=witnesses_online),
        round=round_public(row) if row is not None else None,
        turn=turn_public(open_turn, open_turn.round_id) if open_turn is not None else None,
        hands=[hand.participant_id for hand in round_repository.hands_of(session, row.id)] if row is not None else [],
        gathering=gathering_public(session, gathering)
        if (gathering := gathering_repository.current(session, circle.id))
        else None,
        breakout=current_breakout(session, circle.id),
    )


def witnesses_among(session: Session, circle_id: uuid.UUID, online: Collection[uuid.UUID]) -> int:
    """How many of `online` (everyone with a live connection, by id) are the circle's seated witnesses."""
    return sum(
        1 for participant_id in participant_repository.witness_ids(session, circle_id) if participant_id in online
    )

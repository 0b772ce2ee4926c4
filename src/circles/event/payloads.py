"""What each event's `data` holds: one pydantic model per shape, and the registry of event names.

Every event is logged through this registry (`event_log.append` refuses a name it lacks or data of the
wrong model), so the log, the live socket and the AsyncAPI document generated from it always agree.
A new event is one `EVENTS` entry, plus a model here when no existing one fits its data.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from circles.circle.models import CirclePublic
from circles.gathering.models import GatheringPublic
from circles.participant.models import ParticipantInLog
from circles.round.models import RoundPublic, TurnPublic


class EventData(BaseModel):
    """The base of every event's data: nothing beyond its declared fields."""

    model_config = ConfigDict(extra="forbid")


class CircleData(EventData):
    circle: CirclePublic


class ParticipantData(EventData):
    participant: ParticipantInLog


class ParticipantLeftData(EventData):
    participant_id: uuid.UUID


class RoundData(EventData):
    round: RoundPublic


class RoundResumedData(EventData):
    round: RoundPublic
    turn: TurnPublic | None = Field(description="The open turn, its deadline moved by the paused time; or null.")


class TurnData(EventData):
    turn: TurnPublic


class HandsData(EventData):
    round_id: uuid.UUID
    participant_id: uuid.UUID = Field(description="Whose hand went up, or was called on.")
    hands: list[uuid.UUID] = Field(description="The line of raised hands after the change, first in line first.")


class HandLoweredData(EventData):
    round_id: uuid.UUID
    participant_id: uuid.UUID = Field(description="Whose hand came down.")
    reason: Literal["lowered", "given_piece", "left"] = Field(
        description="lowered: by its owner, a keeper or the app; given_piece: the piece went to them; "
        "left: they left the circle or became a witness."
    )
    hands: list[uuid.UUID] = Field(description="The line of raised hands after the change, first in line first.")


class ParticipantAgreedData(EventData):
    participant_id: uuid.UUID
    agreements_version: int = Field(description="The version of the circle's agreements they accepted.")
    agreed_at: datetime


class GatheringData(EventData):
    gathering: GatheringPublic


@dataclass(frozen=True)
class EventKind:
    data: type[EventData]
    summary: str


EVENTS: dict[str, EventKind] = {
    "circle.updated": EventKind(CircleData, "The circle's name, intention, agreements or timing changed."),
    "circle.closed": EventKind(CircleData, "The circle was closed; its sockets then close with 4410."),
    "participant.joined": EventKind(ParticipantData, "A person was seated."),
    "participant.updated": EventKind(ParticipantData, "A participant's name, seat or role changed."),
    "participant.left": EventKind(ParticipantLeftData, "A participant left or was removed; their sockets close."),
    "round.started": EventKind(RoundData, "A round began; its first turn.started follows."),
    "round.paused": EventKind(RoundData, "The round was paused: the clock stops."),
    "round.resumed": EventKind(RoundResumedData, "The round goes on; the open turn's deadline moved later."),
    "round.ended": EventKind(RoundData, "The round is over (`end_reason`: completed, ended or circle_closed)."),
    "turn.started": EventKind(TurnData, "A participant holds the piece, until `deadline` (server time)."),
    "turn.ended": EventKind(TurnData, "The holder's turn ended, with its `outcome`."),
    "turn.overtime": EventKind(TurnData, "A soft limit's deadline passed; the turn goes on. Sent once."),
    "participant.agreed": EventKind(ParticipantAgreedData, "A participant accepted the circle's agreements."),
    "turn.accepted": EventKind(TurnData, "The person offered the piece took it; the clock starts (`deadline`)."),
    "turn.away": EventKind(
        TurnData, "Absence rounds: the holder's last connection dropped; the piece waits for them until `away_until`."
    ),
    "turn.back": EventKind(TurnData, "Absence rounds: the away holder came back in time and keeps the piece."),
    "hand.raised": EventKind(HandsData, "A hand went up in an open round; `hands` is the new line."),
    "hand.lowered": EventKind(HandLoweredData, "A hand came down; `hands` is the new line."),
    "hand.called": EventKind(HandsData, "A keeper or the app called on a raised hand: it is now first in line."),
    "gathering.planned": EventKind(GatheringData, "The keeper planned (or replanned) the gathering's rounds."),
    "gathering.advanced": EventKind(
        GatheringData, "The next planned round began (its round.started came just before)."
    ),
}


class UnknownEvent(LookupError):
    """A programming error: an event name missing from `EVENTS`, or data of another model than its own."""


def event_data(name: str, data: EventData) -> dict[str, object]:
    """The JSON the log stores and the socket sends for this event."""
    kind = EVENTS.get(name)
    if kind is None:
        raise UnknownEvent(f"{name!r} is not in circles.event.payloads.EVENTS")
    if type(data) is not kind.data:
        raise UnknownEvent(f"{name!r} carries {kind.data.__name__}, not {type(data).__name__}")
    return data.model_dump(mode="json")

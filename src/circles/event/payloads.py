"""What each event's `data` holds: one pydantic model per shape, and the registry of event names.

Every event is logged through this registry (`event_log.append` refuses a name it lacks or data of the
wrong model), so the log, the live socket and the AsyncAPI document generated from it always agree.
A new event is one `EventName`, its `EVENTS` entry, plus a model here when no existing one fits its data.
After commit, consumers take events as `LoggedEvent`s and dispatch on the name's enum, reading the typed data.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from circles.event.errors import UnknownEvent
from circles.event.models import EventPublic
from circles.records.breakout.models import BreakoutGroupPublic, BreakoutPublic
from circles.records.circle.models import CirclePublic
from circles.records.gathering.models import GatheringPublic
from circles.records.participant.models import ParticipantInLog
from circles.records.round.models import RoundPublic, TurnPublic


class EventData(BaseModel):
    """The base of every event's data: nothing beyond its declared fields."""

    model_config = ConfigDict(extra="forbid")


Data = TypeVar("Data", bound=EventData)


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


class SupportDateData(EventData):
    support_date_id: uuid.UUID
    kind: Literal["reciprocal", "mentoring"]
    seconds_each: int
    next_starts_with: uuid.UUID = Field(description="Who speaks first at the next meeting (participant_id).")
    next_due_at: datetime | None = Field(description="The next meeting to be announced (UTC); null: no schedule.")


class SupportDateDueData(EventData):
    support_date_id: uuid.UUID
    occurrence_at: datetime = Field(description="When this meeting begins (UTC).")
    ends_at: datetime = Field(description="When it would end, each speaker having had their time (UTC).")
    starts_with: uuid.UUID = Field(description="Who speaks first (participant_id).")
    next_due_at: datetime | None = Field(description="The meeting after this one (UTC); null: none.")


class SupportDateEndedData(EventData):
    support_date_id: uuid.UUID
    ended_by: uuid.UUID | None = Field(description="Which of the two ended it; null for the app.")


class BreakoutData(EventData):
    breakout: BreakoutPublic


class BreakoutGroupData(EventData):
    breakout_id: uuid.UUID
    group: BreakoutGroupPublic = Field(description="The group as it is now: its members, whose turn, each turn.")


@dataclass(frozen=True)
class EventKind:
    data: type[EventData]
    summary: str


class EventName(StrEnum):
    """Every event's name, as the log stores it and the socket sends it."""

    CIRCLE_UPDATED = "circle.updated"
    CIRCLE_CLOSED = "circle.closed"
    PARTICIPANT_JOINED = "participant.joined"
    PARTICIPANT_UPDATED = "participant.updated"
    PARTICIPANT_LEFT = "participant.left"
    ROUND_STARTED = "round.started"
    ROUND_PAUSED = "round.paused"
    ROUND_RESUMED = "round.resumed"
    ROUND_ENDED = "round.ended"
    TURN_STARTED = "turn.started"
    TURN_ENDED = "turn.ended"
    TURN_OVERTIME = "turn.overtime"
    PARTICIPANT_AGREED = "participant.agreed"
    TURN_ACCEPTED = "turn.accepted"
    TURN_AWAY = "turn.away"
    TURN_BACK = "turn.back"
    HAND_RAISED = "hand.raised"
    HAND_LOWERED = "hand.lowered"
    HAND_CALLED = "hand.called"
    GATHERING_PLANNED = "gathering.planned"
    GATHERING_ADVANCED = "gathering.advanced"
    SUPPORT_DATE_CREATED = "support_date.created"
    SUPPORT_DATE_DUE = "support_date.due"
    SUPPORT_DATE_ENDED = "support_date.ended"
    BREAKOUT_STARTED = "breakout.started"
    BREAKOUT_TURN_STARTED = "breakout.turn_started"
    BREAKOUT_TURN_ENDED = "breakout.turn_ended"
    BREAKOUT_GROUP_DONE = "breakout.group_done"
    BREAKOUT_GROUP_UPDATED = "breakout.group_updated"
    BREAKOUT_ENDED = "breakout.ended"


EVENTS: dict[EventName, EventKind] = {
    EventName.CIRCLE_UPDATED: EventKind(CircleData, "The circle's name, intention, agreements or timing changed."),
    EventName.CIRCLE_CLOSED: EventKind(CircleData, "The circle was closed; its sockets then close with 4410."),
    EventName.PARTICIPANT_JOINED: EventKind(ParticipantData, "A person was seated."),
    EventName.PARTICIPANT_UPDATED: EventKind(ParticipantData, "A participant's name, seat or role changed."),
    EventName.PARTICIPANT_LEFT: EventKind(
        ParticipantLeftData, "A participant left or was removed; their sockets close."
    ),
    EventName.ROUND_STARTED: EventKind(RoundData, "A round began; its first turn.started follows."),
    EventName.ROUND_PAUSED: EventKind(RoundData, "The round was paused: the clock stops."),
    EventName.ROUND_RESUMED: EventKind(RoundResumedData, "The round goes on; the open turn's deadline moved later."),
    EventName.ROUND_ENDED: EventKind(RoundData, "The round is over (`end_reason`: completed, ended or circle_closed)."),
    EventName.TURN_STARTED: EventKind(TurnData, "A participant holds the piece, until `deadline` (server time)."),
    EventName.TURN_ENDED: EventKind(TurnData, "The holder's turn ended, with its `outcome`."),
    EventName.TURN_OVERTIME: EventKind(TurnData, "A soft limit's deadline passed; the turn goes on. Sent once."),
    EventName.PARTICIPANT_AGREED: EventKind(ParticipantAgreedData, "A participant accepted the circle's agreements."),
    EventName.TURN_ACCEPTED: EventKind(
        TurnData, "The person offered the piece took it; the clock starts (`deadline`)."
    ),
    EventName.TURN_AWAY: EventKind(
        TurnData, "Absence rounds: the holder's last connection dropped; the piece waits for them until `away_until`."
    ),
    EventName.TURN_BACK: EventKind(TurnData, "Absence rounds: the away holder came back in time and keeps the piece."),
    EventName.HAND_RAISED: EventKind(HandsData, "A hand went up in an open round; `hands` is the new line."),
    EventName.HAND_LOWERED: EventKind(HandLoweredData, "A hand came down; `hands` is the new line."),
    EventName.HAND_CALLED: EventKind(
        HandsData, "A keeper or the app called on a raised hand: it is now first in line."
    ),
    EventName.GATHERING_PLANNED: EventKind(GatheringData, "The keeper planned (or replanned) the gathering's rounds."),
    EventName.GATHERING_ADVANCED: EventKind(
        GatheringData, "The next planned round began (its round.started came just before)."
    ),
    EventName.SUPPORT_DATE_CREATED: EventKind(SupportDateData, "The support date this circle holds was arranged."),
    EventName.SUPPORT_DATE_DUE: EventKind(
        SupportDateDueData, "A scheduled meeting of the support date is due now. Once per meeting."
    ),
    EventName.SUPPORT_DATE_ENDED: EventKind(
        SupportDateEndedData, "One of the two (or the app) ended the support date; circle.closed follows."
    ),
    EventName.BREAKOUT_STARTED: EventKind(
        BreakoutData, "The circle split into groups; each group's first breakout.turn_started follows."
    ),
    EventName.BREAKOUT_TURN_STARTED: EventKind(
        BreakoutGroupData, "The piece came to the group's `holder`, until that turn's `deadline` (server time)."
    ),
    EventName.BREAKOUT_TURN_ENDED: EventKind(BreakoutGroupData, "A turn in the group ended, with its `outcome`."),
    EventName.BREAKOUT_GROUP_DONE: EventKind(BreakoutGroupData, "Everyone in the group has spoken once."),
    EventName.BREAKOUT_GROUP_UPDATED: EventKind(
        BreakoutGroupData,
        "The app set (or cleared) the group's external_ref; or someone left alone in a group moved out of it "
        "(their turn there `moved`, and `breakout.group_done` follows) or into it (a new turn at the end, or, "
        "having spoken already, one with outcome `listener`).",
    ),
    EventName.BREAKOUT_ENDED: EventKind(
        BreakoutData, "Everyone is back in the circle (`end_reason`: completed, time_up, ended or circle_closed)."
    ),
}


def event_data(name: str, data: EventData) -> dict[str, object]:
    """The JSON the log stores and the socket sends for this event."""
    try:
        kind = EVENTS[EventName(name)]
    except ValueError:
        raise UnknownEvent(f"{name!r} is not in circles.event.payloads.EVENTS") from None
    if type(data) is not kind.data:
        raise UnknownEvent(f"{name!r} carries {kind.data.__name__}, not {type(data).__name__}")
    return data.model_dump(mode="json")


class LoggedEvent:
    """A committed event as post-commit consumers take it (the hub's listeners, the socket effects): its circle,
    its name as an `EventName`, and its data as its `EVENTS` model, decoded once when first asked for. `public`
    is what the log holds and the socket sends, unchanged."""

    __slots__ = ("circle_id", "public", "_name", "_payload")

    def __init__(self, circle_id: uuid.UUID, public: EventPublic) -> None:
        self.circle_id = circle_id
        self.public = public
        self._name: EventName | None = None
        self._payload: EventData | None = None

    @property
    def seq(self) -> int:
        return self.public.seq

    @property
    def name(self) -> EventName:
        if self._name is None:
            self._name = EventName(self.public.name)
        return self._name

    @property
    def payload(self) -> EventData:
        if self._payload is None:
            self._payload = EVENTS[self.name].data.model_validate(self.public.data)
        return self._payload

    def data_as(self, model: type[Data]) -> Data:
        """The payload, as the model the caller dispatched to by name (an `UnknownEvent` if it is another)."""
        payload = self.payload
        if not isinstance(payload, model):
            raise UnknownEvent(f"{self.name} carries {type(payload).__name__}, not {model.__name__}")
        return payload

    def __repr__(self) -> str:
        return f"LoggedEvent({self.circle_id}, {self.seq}, {self.name})"

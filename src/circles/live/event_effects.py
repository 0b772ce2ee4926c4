"""What an event does to a circle's sockets beyond being sent to them, decided by its type in this one place.

Two events close sockets once they have them: `circle.closed` every socket of the circle (4410),
`participant.left` the sockets of whoever left (4403). Three change the seating, so the audience is counted
again and a participant who became a witness (or stopped being one) moves between presence and the audience.

These follow from the event, not from the outbox that carried it: a channel applies them to whatever
delivers the event (the writer's outbox, the broker's stream, a read of the log that filled a gap), so they
hold when a publication is lost. What no event says (a circle erased, a credential revoked) the outbox
carries as instructions of its own (`circles.event.outbox.Outbox`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from circles.event.payloads import EventName, LoggedEvent, ParticipantData, ParticipantLeftData
from circles.live.protocol import CloseCode
from circles.records.participant.models import ParticipantInLog


@dataclass(frozen=True, slots=True)
class Closure:
    """Which sockets close once they have the event (all of them, or one participant's), and with what code."""

    code: CloseCode
    participant_id: uuid.UUID | None = None

    def closes(self, participant_id: uuid.UUID | None) -> bool:
        return self.participant_id is None or participant_id == self.participant_id


@dataclass(frozen=True, slots=True)
class Reseating:
    """The seating changed. `participant` is who was seated or changed, with their role (None: someone left)."""

    participant: ParticipantInLog | None


def closure_of(event: LoggedEvent) -> Closure | None:
    match event.name:
        case EventName.CIRCLE_CLOSED:
            return Closure(CloseCode.CIRCLE_GONE)
        case EventName.PARTICIPANT_LEFT:
            return Closure(CloseCode.REMOVED, event.data_as(ParticipantLeftData).participant_id)
        case _:
            return None


def reseating_of(event: LoggedEvent) -> Reseating | None:
    match event.name:
        case EventName.PARTICIPANT_JOINED | EventName.PARTICIPANT_UPDATED:
            return Reseating(event.data_as(ParticipantData).participant)
        case EventName.PARTICIPANT_LEFT:
            return Reseating(None)
        case _:
            return None

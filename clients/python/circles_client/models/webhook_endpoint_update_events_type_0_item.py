from enum import StrEnum


class WebhookEndpointUpdateEventsType0Item(StrEnum):
    CIRCLE_CLOSED = "circle.closed"
    CIRCLE_UPDATED = "circle.updated"
    ENDPOINT_DISABLED = "endpoint.disabled"
    GATHERING_ADVANCED = "gathering.advanced"
    GATHERING_PLANNED = "gathering.planned"
    HAND_CALLED = "hand.called"
    HAND_LOWERED = "hand.lowered"
    HAND_RAISED = "hand.raised"
    PARTICIPANT_AGREED = "participant.agreed"
    PARTICIPANT_JOINED = "participant.joined"
    PARTICIPANT_LEFT = "participant.left"
    PARTICIPANT_UPDATED = "participant.updated"
    ROUND_ENDED = "round.ended"
    ROUND_PAUSED = "round.paused"
    ROUND_RESUMED = "round.resumed"
    ROUND_STARTED = "round.started"
    SUPPORT_ACKNOWLEDGED = "support.acknowledged"
    SUPPORT_DATE_CREATED = "support_date.created"
    SUPPORT_DATE_DUE = "support_date.due"
    SUPPORT_DATE_ENDED = "support_date.ended"
    SUPPORT_REQUESTED = "support.requested"
    TURN_ACCEPTED = "turn.accepted"
    TURN_AWAY = "turn.away"
    TURN_BACK = "turn.back"
    TURN_ENDED = "turn.ended"
    TURN_OVERTIME = "turn.overtime"
    TURN_STARTED = "turn.started"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class BreakoutEndReason(StrEnum):
    CIRCLE_CLOSED = "circle_closed"
    COMPLETED = "completed"
    ENDED = "ended"
    TIME_UP = "time_up"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class EndReason(StrEnum):
    CIRCLE_CLOSED = "circle_closed"
    COMPLETED = "completed"
    ENDED = "ended"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class BreakoutOutcome(StrEnum):
    ENDED = "ended"
    LEFT = "left"
    LISTENER = "listener"
    MOVED = "moved"
    PASSED = "passed"
    SPOKE = "spoke"
    TIMED_OUT = "timed_out"

    def __str__(self) -> str:
        return str(self.value)

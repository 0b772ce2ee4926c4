from enum import StrEnum


class BreakoutTurnFinishOutcome(StrEnum):
    PASSED = "passed"
    SPOKE = "spoke"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class TurnFinishOutcome(StrEnum):
    PASSED = "passed"
    SPOKE = "spoke"

    def __str__(self) -> str:
        return str(self.value)

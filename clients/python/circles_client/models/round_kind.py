from enum import StrEnum


class RoundKind(StrEnum):
    OPEN = "open"
    SEQUENTIAL = "sequential"

    def __str__(self) -> str:
        return str(self.value)

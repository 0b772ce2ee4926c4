from enum import StrEnum


class Grouping(StrEnum):
    BY_SEAT = "by_seat"
    EXPLICIT = "explicit"
    RANDOM = "random"

    def __str__(self) -> str:
        return str(self.value)

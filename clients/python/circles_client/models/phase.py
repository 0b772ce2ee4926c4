from enum import StrEnum


class Phase(StrEnum):
    CHECK_IN = "check_in"
    CHECK_OUT = "check_out"
    CLOSING = "closing"
    OPENING = "opening"
    ROUND = "round"

    def __str__(self) -> str:
        return str(self.value)

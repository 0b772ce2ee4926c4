from enum import StrEnum


class HowGiven(StrEnum):
    GIVEN = "given"
    IN_TURN = "in_turn"
    OUT_OF_TURN = "out_of_turn"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class CircleKind(StrEnum):
    CIRCLE = "circle"
    SUPPORT_DATE = "support_date"

    def __str__(self) -> str:
        return str(self.value)

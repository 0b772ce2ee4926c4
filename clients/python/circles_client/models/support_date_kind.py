from enum import StrEnum


class SupportDateKind(StrEnum):
    MENTORING = "mentoring"
    RECIPROCAL = "reciprocal"

    def __str__(self) -> str:
        return str(self.value)

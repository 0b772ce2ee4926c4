from enum import StrEnum


class Role(StrEnum):
    KEEPER = "keeper"
    MEMBER = "member"
    WITNESS = "witness"

    def __str__(self) -> str:
        return str(self.value)

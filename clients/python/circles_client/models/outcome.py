from enum import StrEnum


class Outcome(StrEnum):
    ABSENT = "absent"
    INTERRUPTED = "interrupted"
    LEFT = "left"
    NOT_AGREED = "not_agreed"
    NOT_TAKEN = "not_taken"
    PASSED = "passed"
    SKIPPED = "skipped"
    SPOKE = "spoke"
    TIMED_OUT = "timed_out"

    def __str__(self) -> str:
        return str(self.value)

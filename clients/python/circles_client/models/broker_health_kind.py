from enum import StrEnum


class BrokerHealthKind(StrEnum):
    MEMORY = "memory"
    REDIS = "redis"

    def __str__(self) -> str:
        return str(self.value)

"""What a write hands on once it has committed: its events, and the circles and credentials it ended."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from circles.event.models import EventPublic


@dataclass
class Outbox:
    """What a write transaction tells the hub once it has committed."""

    events: dict[uuid.UUID, list[EventPublic]] = field(default_factory=dict)
    erased_circles: list[uuid.UUID] = field(default_factory=list)
    revoked_credentials: list[str] = field(default_factory=list)  # hashes: sockets opened with them close
    erased_participants: list[tuple[uuid.UUID, uuid.UUID]] = field(default_factory=list)  # (circle, participant)

    def __bool__(self) -> bool:
        return bool(self.events or self.erased_circles or self.revoked_credentials or self.erased_participants)

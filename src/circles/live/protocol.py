"""The frames of the live protocol (WebSocket /v1/circles/{circle_id}/live), as pydantic models.

The hub sends exactly these; the protocol docs are generated from them.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from circles.circle.snapshot import CircleState


class CloseCode(enum.IntEnum):
    GOING_AWAY = 1001  # the server is shutting down: reconnect
    POLICY = 1008
    TOO_BIG = 1009
    RESTART = 1012  # reconnect
    TRY_AGAIN_LATER = 1013  # this client fell too far behind: reconnect with `after`
    UNAUTHENTICATED = 4401  # missing, unknown or revoked credential
    REMOVED = 4403  # the participant was removed from the circle
    NO_SUCH_CIRCLE = 4404
    AUTH_TIMEOUT = 4408
    CIRCLE_GONE = 4410  # closed or erased


class AuthFrame(BaseModel):
    """The client's first message."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["auth"]
    token: str = Field(min_length=1, max_length=200, description="A participant token or an app key.")
    after: int | None = Field(default=None, ge=0, le=2**63 - 1, description="Resume: send the events after this seq.")


class WelcomeFrame(BaseModel):
    type: Literal["welcome"] = "welcome"
    participant_id: uuid.UUID | None = Field(description="Null when an app key authenticated.")
    role: Literal["keeper", "member", "witness", "app"]
    server_time: datetime


class SnapshotFrame(BaseModel):
    type: Literal["snapshot"] = "snapshot"
    seq: int
    state: CircleState


class EventFrame(BaseModel):
    type: Literal["event"] = "event"
    seq: int
    name: str
    at: datetime
    data: dict[str, Any]


class PresenceFrame(BaseModel):
    type: Literal["presence"] = "presence"
    participant_id: uuid.UUID
    online: bool


class PresenceListFrame(BaseModel):
    """Sent once after a replay: who is online now."""

    type: Literal["presence"] = "presence"
    participants_online: list[uuid.UUID]

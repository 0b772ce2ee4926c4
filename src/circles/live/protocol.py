"""The frames of the live protocol (WebSocket /v1/circles/{circle_id}/live), as pydantic models.

The hub sends exactly these; the protocol docs are generated from them.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from circles.circle.snapshot import CircleState


class CloseCode(enum.IntEnum):
    GOING_AWAY = 1001  # the server is shutting down: reconnect
    INVALID_TEXT = 1007  # a text frame that is not UTF-8
    POLICY = 1008
    TOO_BIG = 1009
    RESTART = 1012  # reconnect
    TRY_AGAIN_LATER = 1013  # this client fell too far behind: reconnect with `after`
    UNAUTHENTICATED = 4401  # missing, unknown or revoked credential
    REMOVED = 4403  # the participant was removed from the circle
    NO_SUCH_CIRCLE = 4404
    AUTH_TIMEOUT = 4408
    CIRCLE_GONE = 4410  # closed or erased


@dataclass(frozen=True)
class CloseMeaning:
    meaning: str
    reconnect: str


CLOSE_MEANINGS: dict[CloseCode, CloseMeaning] = {
    CloseCode.GOING_AWAY: CloseMeaning(
        "The server is shutting down.", "Yes, with jittered backoff, to any instance, with `after`."
    ),
    CloseCode.RESTART: CloseMeaning(
        "The server is restarting.", "Yes, with jittered backoff, to any instance, with `after`."
    ),
    CloseCode.TRY_AGAIN_LATER: CloseMeaning(
        "This client fell too far behind (its send queue, CIRCLES_CLIENT_QUEUE_SIZE, was full, or a frame "
        "waited longer than CIRCLES_CLIENT_MAX_WAIT_SECONDS to be written).",
        "Yes, with `after`.",
    ),
    CloseCode.INVALID_TEXT: CloseMeaning("A text frame was not valid UTF-8 (RFC 6455).", "No."),
    CloseCode.POLICY: CloseMeaning("Policy: too many messages, or too many sockets for one participant.", "No."),
    CloseCode.TOO_BIG: CloseMeaning("A message was bigger than CIRCLES_MAX_MESSAGE_BYTES.", "No."),
    CloseCode.UNAUTHENTICATED: CloseMeaning(
        "Missing, unknown or revoked credential, or a first message that is not `auth`.",
        "Not with the same credential.",
    ),
    CloseCode.REMOVED: CloseMeaning("The participant was removed from the circle.", "No."),
    CloseCode.NO_SUCH_CIRCLE: CloseMeaning("No such circle, or not this credential's circle.", "No."),
    CloseCode.AUTH_TIMEOUT: CloseMeaning(
        "No `auth` within CIRCLES_AUTH_TIMEOUT_SECONDS (10 s).", "Yes, and send `auth` at once."
    ),
    CloseCode.CIRCLE_GONE: CloseMeaning("The circle was closed or erased.", "No."),
}


class AuthFrame(BaseModel):
    """The client's first message."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["auth"]
    token: str = Field(min_length=1, max_length=200, description="A participant token or an app key.")
    after: int | None = Field(default=None, ge=0, le=2**63 - 1, description="Resume: send the events after this seq.")


class WelcomeFrame(BaseModel):
    """The answer to a good `auth`."""

    type: Literal["welcome"] = "welcome"
    participant_id: uuid.UUID | None = Field(description="Null when an app key authenticated.")
    role: Literal["keeper", "member", "witness", "app"]
    server_time: datetime


class SnapshotFrame(BaseModel):
    """The whole circle as of `seq`: sent after the welcome when there is no `after` to resume from, or the
    log no longer holds what came after it."""

    type: Literal["snapshot"] = "snapshot"
    seq: int
    state: CircleState


class EventFrame(BaseModel):
    """One entry of the circle's event log. `data`'s shape is set by `name` (circles.event.payloads.EVENTS)."""

    type: Literal["event"] = "event"
    seq: int = Field(description="The circle's event number: starts at 1, never skips.")
    name: str
    at: datetime = Field(description="When it happened (server time).")
    data: dict[str, Any]


class PresenceFrame(BaseModel):
    """A keeper or member came online or went offline. Not in the log: no seq. Witnesses are not announced
    one by one: see `audience`."""

    type: Literal["presence"] = "presence"
    participant_id: uuid.UUID
    online: bool


class PresenceListFrame(BaseModel):
    """Which keepers and members are online now: sent once after a replay (an `audience` frame follows), and
    while following in place of several `presence` frames when several changes settled together (the latest
    state: it replaces what the client had)."""

    type: Literal["presence"] = "presence"
    participants_online: list[uuid.UUID]


class AudienceFrame(BaseModel):
    """The audience (the circle's witnesses) changed: how many are seated, how many have a live socket.
    Coalesced: at most one per circle per CIRCLES_AUDIENCE_INTERVAL_SECONDS, only when the figures changed,
    always the latest figures. Also sent once after a replay. Not in the log: no seq."""

    type: Literal["audience"] = "audience"
    witnesses: int = Field(ge=0, description="How many witnesses are seated.")
    online: int = Field(ge=0, description="How many of them have a live socket (on any instance).")

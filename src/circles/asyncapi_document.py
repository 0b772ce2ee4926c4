"""The AsyncAPI 3.0 document of the live protocol, generated from the frame models the hub sends
(circles.live.protocol) and the event registry (circles.event.payloads.EVENTS).

Written from the server's side, as AsyncAPI 3.0 asks: the server `receive`s `auth` and `send`s the rest.
Close codes have no AsyncAPI object; they are in the channel's description and in `x-close-codes`.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from typing import Any, Literal

from pydantic import BaseModel, create_model
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, models_json_schema

from circles.event.payloads import EVENTS
from circles.live.command_frames import CommandFrame, ReplyFrame
from circles.live.protocol import (
    CLOSE_MEANINGS,
    AudienceFrame,
    AuthFrame,
    EventFrame,
    PresenceFrame,
    PresenceListFrame,
    SnapshotFrame,
    WelcomeFrame,
)
from circles.records.support.models import SupportAcknowledgedFrame, SupportFrame

CHANNEL = "live"
ADDRESS = "/v1/circles/{circle_id}/live"
SCHEMA_REF = "#/components/schemas/{model}"

DESCRIPTION = """\
Every screen in a circle follows one WebSocket. The stream is the circle's event log: every change,
numbered by a per-circle `seq` that starts at 1 and never skips.

1. The client opens the socket and sends `auth` as its first message, within 10 seconds. The credential
   travels in this message, never in the URL.
2. The server answers `welcome`, then catches the client up: with `after`, every event after it and then
   a presence list and an audience count; without `after` (or when the log no longer holds those events),
   a `snapshot`.
3. Then the live frames: `event` frames in `seq` order, `presence` frames for keepers and members (one
   change as itself; several settled together as one presence list of everyone online), and `audience`
   frames counting the witnesses, coalesced (not in the log, no `seq`).

Time is the server's: count down from `turn.deadline - (welcome.server_time - local clock at welcome)`.
A dropped client reconnects with jittered backoff and resumes with `after`: the last `seq` it has.
"""


class _AsSent(GenerateJsonSchema):
    """What the server writes always carries every field (frames are never dumped with exclude_unset or
    exclude_none), so in serialization mode every property is required, defaults included."""

    def field_is_required(self, field: Any, total: bool) -> bool:
        return self.mode == "serialization" or super().field_is_required(field, total)


def event_frame_models() -> dict[str, type[EventFrame]]:
    """Per event name, the event frame with `name` fixed and `data` typed: what the hub sends for it."""
    return {
        name: create_model(
            _model_name(name),
            __base__=EventFrame,
            __doc__=kind.summary,
            name=(_literal(name), ...),
            data=(kind.data, ...),
        )
        for name, kind in EVENTS.items()
    }


def asyncapi_document() -> dict[str, Any]:
    events = event_frame_models()
    # (message key, model, whether the server reads it (validation) or writes it (serialization), title)
    frames: list[tuple[str, type[BaseModel], JsonSchemaMode, str]] = [
        ("auth", AuthFrame, "validation", "auth"),
        ("welcome", WelcomeFrame, "serialization", "welcome"),
        ("snapshot", SnapshotFrame, "serialization", "snapshot"),
        *((f"event.{name}", model, "serialization", f"event {name}") for name, model in events.items()),
        ("presence", PresenceFrame, "serialization", "presence"),
        ("presence-list", PresenceListFrame, "serialization", "presence list"),
        ("audience", AudienceFrame, "serialization", "audience"),
        ("command", CommandFrame, "validation", "command"),
        ("reply", ReplyFrame, "serialization", "reply"),
        ("support", SupportFrame, "serialization", "support"),
        ("support-acknowledged", SupportAcknowledgedFrame, "serialization", "support acknowledged"),
    ]
    refs, definitions = models_json_schema(
        [(model, mode) for _, model, mode, _ in frames], ref_template=SCHEMA_REF, schema_generator=_AsSent
    )
    messages: dict[str, Any] = {}
    for key, model, mode, title in frames:
        messages[key] = {
            "name": key,
            "title": title,
            "summary": _first_line(model.__doc__),
            "contentType": "application/json",
            "payload": refs[(model, mode)],
        }
    in_channel = {key: {"$ref": f"#/components/messages/{key}"} for key in messages}

    def message_refs(*keys: str) -> list[dict[str, str]]:
        return [{"$ref": f"#/channels/{CHANNEL}/messages/{key}"} for key in keys]

    event_keys = [f"event.{name}" for name in events]
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Circles live protocol", "version": version("circles"), "description": DESCRIPTION},
        "defaultContentType": "application/json",
        "servers": {
            "local": {
                "host": "127.0.0.1:8000",
                "protocol": "ws",
                "description": "`circles serve` on its defaults. Behind TLS the same path is served over wss.",
            }
        },
        "channels": {
            CHANNEL: {
                "address": ADDRESS,
                "title": "A circle's live socket",
                "description": _close_code_table(),
                "parameters": {"circle_id": {"description": "The circle's id (a UUID)."}},
                "messages": in_channel,
                "bindings": {"ws": {"method": "GET", "bindingVersion": "0.1.0"}},
                "x-close-codes": [
                    {"code": int(code), "name": code.name, "meaning": meaning.meaning, "reconnect": meaning.reconnect}
                    for code, meaning in CLOSE_MEANINGS.items()
                ],
            }
        },
        "operations": {
            "authenticate": {
                "action": "receive",
                "channel": {"$ref": f"#/channels/{CHANNEL}"},
                "title": "Authenticate",
                "summary": "The client's first message; the server answers with a welcome.",
                "messages": message_refs("auth"),
                "reply": {"channel": {"$ref": f"#/channels/{CHANNEL}"}, "messages": message_refs("welcome")},
            },
            "catchUp": {
                "action": "send",
                "channel": {"$ref": f"#/channels/{CHANNEL}"},
                "title": "Catch up",
                "summary": "After the welcome: a snapshot, or the missed events, a presence list and the audience.",
                "messages": message_refs("snapshot", *event_keys, "presence-list", "audience"),
            },
            "follow": {
                "action": "send",
                "channel": {"$ref": f"#/channels/{CHANNEL}"},
                "title": "Follow the circle",
                "summary": "Each change as an event frame, in seq order; presence and the audience as they change.",
                "messages": message_refs(*event_keys, "presence", "presence-list", "audience"),
            },
            "command": {
                "action": "receive",
                "channel": {"$ref": f"#/channels/{CHANNEL}"},
                "title": "Send a command",
                "summary": "Anything REST allows in the circle, on the socket; one reply echoes the command's id.",
                "messages": message_refs("command"),
                "reply": {"channel": {"$ref": f"#/channels/{CHANNEL}"}, "messages": message_refs("reply")},
            },
            "support": {
                "action": "send",
                "channel": {"$ref": f"#/channels/{CHANNEL}"},
                "title": "Support asked for",
                "summary": (
                    "Only to keepers' and the app's sockets: a participant asked for support (when they ask, and "
                    "after each such socket's catch-up while it is pending), or a keeper or the app acknowledged it."
                ),
                "messages": message_refs("support", "support-acknowledged"),
            },
        },
        "components": {"messages": messages, "schemas": definitions["$defs"]},
    }


def asyncapi_json_text() -> str:
    """The document as committed (openapi/asyncapi.json) and served (/docs/asyncapi.json)."""
    return json.dumps(asyncapi_document(), indent=2, sort_keys=True) + "\n"


def _literal(value: str) -> Any:
    """`Literal[value]` for a value known only at run time: a type made for pydantic, which no static checker
    can see (it is Any to them)."""
    return Literal[value]


def _model_name(event_name: str) -> str:
    return "".join(part.capitalize() for part in event_name.split(".")) + "Event"


def _first_line(doc: str | None) -> str:
    return " ".join((doc or "").strip().split("\n\n")[0].split())


def _close_code_table() -> str:
    rows = "\n".join(
        f"| {int(code)} | {meaning.meaning} | {meaning.reconnect} |" for code, meaning in CLOSE_MEANINGS.items()
    )
    return (
        "Open it with `GET` (`ws://` or `wss://`). When `CIRCLES_ALLOWED_ORIGINS` is set, a handshake whose "
        "`Origin` is not listed is refused with HTTP 403.\n\nThe server closes the socket with these codes:\n\n"
        f"| code | meaning | reconnect? |\n|---|---|---|\n{rows}\n"
    )

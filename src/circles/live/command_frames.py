"""The frames of commands sent on the live socket, and the replies to them, as pydantic models.

A command is `{"type": "command", "id": "<client-chosen>", "name": "<command>", ...its arguments}` (or with
its arguments in one `"args": {...}` object, for an argument named like a frame field); the
server answers it with exactly one reply that echoes `id`: `{"type": "reply", "id", "ok": true, "result"}`
or `{"type": "reply", "id", "ok": false, "error": <the problem the REST call would answer>}`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from circles.errors import Problem

CommandId = str


class CommandFrame(BaseModel):
    """A command from the client; every other field is the command's argument (see live/commands.py)."""

    model_config = ConfigDict(extra="allow")

    type: Literal["command"]
    id: CommandId = Field(min_length=1, max_length=60, description="Chosen by the client; echoed in the reply.")
    name: str = Field(min_length=1, max_length=60, description="The command, e.g. finish_turn.")

    args: dict[str, Any] | None = Field(
        default=None,
        description="The arguments as one object, instead of beside `name`: needed for an argument that is "
        "itself called type, id, name or args (a circle's new `name`).",
    )

    def arguments(self) -> dict[str, Any]:
        """The command's arguments: `args` if given, merged with the fields beside `name`."""
        return {**(self.args or {}), **(self.model_extra or {})}


class ReplyFrame(BaseModel):
    """The answer to one command."""

    type: Literal["reply"] = "reply"
    id: CommandId | None = Field(description="The command's id; null only when the frame had no readable id.")
    ok: bool
    result: Any = Field(default=None, description="What the REST call would answer (null for a 204).")
    error: Problem | None = Field(default=None, description="The problem the REST call would answer.")

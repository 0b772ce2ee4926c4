"""Running one command from a live socket, as the REST request for it would run.

The same steps as a REST request: authenticate the socket's credential (again: a revoked one fails now),
call the command's service function in one session that commits once (a read-only one for reads), write
the audit entry with the change, and let the database hand the events to the hub after the commit. Every
refusal is the problem the REST call would answer (same status and code), inside the reply.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import from_json

from circles.access.principal import Principal, authenticate
from circles.audit import recorder as audit_recorder
from circles.audit import repository as audit_repository
from circles.db import Database
from circles.errors import CirclesError, Problem, problem_of
from circles.live.command_frames import CommandFrame, ReplyFrame
from circles.live.commands import COMMANDS, Command, CommandCall
from circles.live.errors import CommandRejected
from circles.metrics.instruments import COMMAND_SECONDS
from circles.talking_piece.errors import TalkingPieceError
from circles.unit_of_work import OnlineSnapshot, UnitOfWork
from circles.validation_problems import detail_of, plain_errors

logger = logging.getLogger(__name__)

_UUID = TypeAdapter(uuid.UUID)


def is_command(raw: str) -> bool:
    """Cheap check before parsing: does this text claim to be a command frame?"""
    return '"command"' in raw


def run_command(
    database: Database,
    token: str,
    circle_id: uuid.UUID,
    online: OnlineSnapshot | None,
    raw: str,
    received_at: float | None = None,
) -> str:
    """The reply frame (as text) to one command frame, however malformed the frame, run in the socket's
    circle with who was online there when it came (read on the event loop: see `WritePath.run_blocking`).
    `received_at` (perf_counter): when the frame came, to time the command (circles.metrics) until its
    reply. Blocking: call it from a worker thread."""
    command_id: str | None = None
    operation = "unknown"  # a command's name, once it names one there is: the metric's label stays bounded
    try:
        parsed = _read_json(raw)
        command_id = _readable_id(parsed)
        frame = _parse(parsed)
        command_id = frame.id
        command = COMMANDS.get(frame.name)
        if command is None:
            raise CommandRejected("unknown_command", f"No command named {frame.name!r}.")
        operation = frame.name
        ids, body = _arguments(command, frame.arguments())
        result = _execute(database, token, circle_id, online, frame, command, ids, body)
        payload = result.model_dump(mode="json") if result is not None else None
        return ReplyFrame(id=command_id, ok=True, result=payload).model_dump_json()
    except CommandRejected as rejected:
        return _failure(command_id, rejected.problem)
    except (CirclesError, TalkingPieceError) as refused:
        return _failure(command_id, problem_of(refused))
    except Exception:
        logger.exception("a live command failed unexpectedly")
        return _failure(command_id, _INTERNAL_ERROR)
    finally:
        if received_at is not None:
            COMMAND_SECONDS.labels("socket", operation).observe(time.perf_counter() - received_at)


def binary_reply() -> str:
    """The reply to a binary frame: commands are JSON in text frames."""
    errors = [
        {"field": "frame", "msg": "frame must be a text frame holding a JSON object", "loc": [], "type": "frame_type"}
    ]
    return _failure(None, CommandRejected("validation_error", detail_of(errors), errors).problem)


_INTERNAL_ERROR = Problem(
    type="urn:circles:problem:internal_error",
    title="Internal Server Error",
    status=500,
    detail="Something went wrong on our side; nothing was changed.",
    code="internal_error",
)


def _read_json(raw: str) -> Any:
    """The frame's JSON, read by pydantic's parser: it refuses what Python's `json` would let through to fail
    later (an unpaired surrogate, which no reply could echo) or could not read at all (nesting deeper than a
    few hundred levels: a RecursionError there), and NaN and Infinity."""
    try:
        return from_json(raw, allow_inf_nan=False)
    except ValueError as invalid:
        errors = plain_errors([{"loc": ("frame",), "type": "json_invalid", "ctx": {"error": str(invalid)}}])
        raise CommandRejected("validation_error", detail_of(errors), errors) from None


def _parse(parsed: Any) -> CommandFrame:
    try:
        return CommandFrame.model_validate(parsed)
    except ValidationError as invalid:
        errors = _errors(invalid)
        raise CommandRejected("validation_error", detail_of(errors), errors) from None


def _arguments(command: Command, arguments: dict[str, Any]) -> tuple[dict[str, uuid.UUID], BaseModel | None]:
    ids: dict[str, uuid.UUID] = {}
    errors: list[dict[str, Any]] = []
    for name in command.ids:
        try:
            ids[name] = _UUID.validate_python(arguments.pop(name))
        except KeyError:
            errors += plain_errors([{"loc": (name,), "type": "missing"}])
        except ValidationError as invalid:
            errors += _errors(invalid, prefix=[name])
    body: BaseModel | None = None
    if command.body is not None:
        try:
            body = command.body.model_validate(arguments)
        except ValidationError as invalid:
            errors += _errors(invalid)
    else:
        errors += plain_errors({"loc": (name,), "type": "extra_forbidden"} for name in arguments)
    if errors:
        raise CommandRejected("validation_error", detail_of(errors), errors)
    return ids, body


def _execute(
    database: Database,
    token: str,
    circle_id: uuid.UUID,
    online: OnlineSnapshot | None,
    frame: CommandFrame,
    command: Command,
    ids: dict[str, uuid.UUID],
    body: BaseModel | None,
) -> BaseModel | None:
    if not command.writes:  # a read's unit of work: its session is a read-only snapshot, and it records nothing
        with database.read_session() as session:
            work = UnitOfWork(session, database.clock, online)
            work.principal = authenticate(session, token)
            return command.run(CommandCall(work, work.principal, circle_id, ids, body))
    with database.unit_of_work(online) as work:  # commits once; the hub is handed the events after that
        work.principal = authenticate(work.session, token)
        result = command.run(CommandCall(work, work.principal, circle_id, ids, body))
        audit_repository.record_values(work.session, _audit_entry(work, work.principal, circle_id, frame, ids))
    return result


def _audit_entry(
    work: UnitOfWork, principal: Principal, circle_id: uuid.UUID, frame: CommandFrame, ids: dict[str, uuid.UUID]
) -> dict[str, Any]:
    """Who did what, as a REST request's entry says it. The request id is made here (`ws:` and random), never
    the client's command id: that is text a person chose, and nothing a person writes is stored."""
    return audit_recorder.entry(
        work,
        principal,
        action=frame.name,
        circle_id=circle_id,
        object_id=next(iter(ids.values()), None) or work.created_id,
        request_id=f"ws:{uuid.uuid4().hex}",
    )


def _failure(command_id: str | None, problem: Problem) -> str:
    return ReplyFrame(id=command_id, ok=False, error=problem).model_dump_json(exclude_none=False)


def _readable_id(parsed: Any) -> str | None:
    """The frame's `id`, if one can be read at all (so even a malformed command's reply names it)."""
    value = parsed.get("id") if isinstance(parsed, dict) else None
    return value if isinstance(value, str) and 0 < len(value) <= 60 else None


def _errors(invalid: ValidationError, prefix: list[Any] | None = None) -> list[dict[str, Any]]:
    located = ({**error, "loc": (*(prefix or []), *error.get("loc", ()))} for error in invalid.errors())
    return plain_errors(located, whole="frame")

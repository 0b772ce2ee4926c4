"""The error family's roots and the one place that renders errors as RFC 9457 problem+json.

Each package names its own refusals in its `errors.py` (`circles.round.errors`, …), subclasses of the roots
here; what is left here is refused by several packages alike (an unknown credential, a circle that is not
yours or is closed, a forged cursor). Domain code raises these (or the talking piece's own refusals); it
never raises HTTPException.
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from circles.talking_piece.errors import Refusal, TalkingPieceError
from circles.validation_problems import detail_of, plain_errors

PROBLEM_MEDIA_TYPE = "application/problem+json"

logger = logging.getLogger("circles")


class CirclesError(Exception):
    status: int = 400
    code: str = "bad_request"
    message: str = "The request was refused."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message


class Unauthenticated(CirclesError):
    status = 401
    code = "unauthenticated"
    message = "Send a valid app key or participant token as 'Authorization: Bearer <credential>'."


class Forbidden(CirclesError):
    status = 403
    code = "forbidden"
    message = "This credential may not do that."


class NotFound(CirclesError):
    status = 404
    code = "not_found"
    message = "No such object."


class CircleNotFound(NotFound):
    code = "circle_not_found"
    message = "No such circle."


class Conflict(CirclesError):
    status = 409
    code = "conflict"
    message = "The state of the circle forbids this now."


class CircleClosed(Conflict):
    code = "circle_closed"
    message = "The circle is closed."


class InvalidCursor(CirclesError):
    status = 422
    code = "invalid_cursor"
    message = "The cursor is not one this list gave out."


class Problem(BaseModel):
    """An RFC 9457 problem detail."""

    type: str = Field(description="A URI naming the kind of problem: urn:circles:problem:<code>.")
    title: str
    status: int
    detail: str
    code: str = Field(description="Stable, machine-readable name of the problem.")
    errors: list[dict[str, Any]] | None = Field(
        default=None,
        description="For validation problems: what was wrong where, one object each: `field` (the path, e.g. "
        "`support_resources[1].label`), `msg` (a sentence naming the field and what it accepts), and pydantic's "
        "`loc` and `type`.",
    )


_REFUSAL_STATUS = {Refusal.CONFLICT: 409, Refusal.FORBIDDEN: 403, Refusal.INVALID: 422}


def problem_of(exc: CirclesError | TalkingPieceError) -> Problem:
    """The problem a domain error is answered with: as problem+json over REST, inside a reply on the socket."""
    status = exc.status if isinstance(exc, CirclesError) else _REFUSAL_STATUS[exc.refusal]
    return Problem(
        type=f"urn:circles:problem:{exc.code}",
        title=HTTPStatus(status).phrase,
        status=status,
        detail=exc.message,
        code=exc.code,
    )


def problem_response(
    status: int, code: str, detail: str, *, errors: list[dict[str, Any]] | None = None
) -> JSONResponse:
    problem = Problem(
        type=f"urn:circles:problem:{code}",
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        code=code,
        errors=errors,
    )
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(
        problem.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers
    )


async def _circles_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CirclesError)
    return problem_response(exc.status, exc.code, exc.message)


async def _talking_piece_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TalkingPieceError)
    return problem_response(_REFUSAL_STATUS[exc.refusal], exc.code, exc.message)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    """Each error names its field and says, in plain words, what the field accepts (circles.validation_problems)."""
    assert isinstance(exc, RequestValidationError)
    json_body = "json" in request.headers.get("content-type", "").lower()
    errors = plain_errors(exc.errors(), json_body=json_body)
    return problem_response(422, "validation_error", detail_of(errors), errors=errors)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:  # a body FastAPI could not even decode (not UTF-8): malformed, like bad JSON
        return problem_response(422, "validation_error", "The request body could not be decoded.")
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    response = problem_response(exc.status_code, code, str(exc.detail))
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    if exc.status_code == 405:
        response.headers["Allow"] = ", ".join(_allowed_methods(request))
    return response


def _allowed_methods(request: Request) -> list[str]:
    """Every method the API documents at this path (Starlette names only the first matching route's)."""
    methods: set[str] = set()
    for template, operations in request.app.openapi()["paths"].items():
        pattern = "^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, request.url.path):
            methods |= {method.upper() for method in operations}
    return sorted(methods)


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    """A bug: a 500 problem that names the request (its id is on the response and in the log), nothing more."""
    logger.error("unexpected error", exc_info=exc)
    return problem_response(500, "internal_error", "Something went wrong on our side; nothing was changed.")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(CirclesError, _circles_error)
    app.add_exception_handler(TalkingPieceError, _talking_piece_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the problems a route can answer. Any /v1 route may answer 401 (credential),
    413 (body too large), 422 (malformed) and 429 (rate limited)."""
    wanted = sorted({401, 413, 422, 429, *statuses})
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in wanted
    }

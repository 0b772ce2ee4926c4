"""The live package's refusals."""

from __future__ import annotations

from typing import Any

from circles.errors import Problem


class CommandRejected(Exception):
    """The command is malformed: a 422 problem, and nothing was run."""

    def __init__(self, code: str, detail: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.problem = Problem(
            type=f"urn:circles:problem:{code}",
            title="Unprocessable Content",
            status=422,
            detail=detail,
            code=code,
            errors=errors,
        )

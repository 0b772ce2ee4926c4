"""Request-body integers that mean what JSON Schema says they mean.

pydantic's lax mode would read `false` or `"7"` as an integer; JSON Schema's "integer" accepts neither
(though it does accept `7.0`, a number with no fraction, which pydantic reads as 7). Put `JSON_INTEGER`
after the constraints: `Annotated[int, Field(ge=0), JSON_INTEGER]`, so the schema keeps them.
"""

from __future__ import annotations

from pydantic import BeforeValidator


def _json_integer(value: object) -> object:
    if isinstance(value, bool | str | bytes):
        raise ValueError("must be a whole number (a JSON integer), not a string or a boolean")
    return value


JSON_INTEGER = BeforeValidator(_json_integer)

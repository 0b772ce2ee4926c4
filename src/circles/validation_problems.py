"""What was wrong with a request, in plain words: the `errors` of a 422 `validation_error` problem.

pydantic says "Input should be greater than or equal to 5" or "Input should be <Outcome.SPOKE: 'spoke'> or
...": true, but it names neither the field nor, in words a person reads, what the field accepts. Each
error here becomes `{"field", "msg", "loc", "type"}`: `field` the path a client writes
(`support_resources[1].label`), `msg` a sentence that starts with that field and says what it accepts,
`loc` and `type` pydantic's, unchanged, for code. The problem's `detail` joins the sentences. Used by the
REST handler (circles.errors) and by the live socket's command replies alike. No error repeats the value
sent: it may be a person's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from circles.text import LINK_PATTERN, PLAIN_PATTERNS

_PATTERNS = {
    **PLAIN_PATTERNS,
    LINK_PATTERN: "must be an https: or http: link with a host, or a tel: or mailto: link, without spaces or "
    "control characters",
}

# Where a REST error sits, as FastAPI's `loc` starts; the socket's locs start at the argument.
_PLACES = {"body", "query", "path", "header", "cookie"}
# Segments pydantic adds to a `loc` for the branch of a union or a validator ("constrained-str",
# "function-after[...]", "none"), which no client writes; never a field's first segment.
_BRANCHES = {"none", "str", "int", "float", "bool", "uuid", "datetime", "list", "dict"}
_BRANCH = re.compile(r"[a-z]+(-[a-z]+)+|.*\[.*")
_ENUM_MEMBER = re.compile(r"<\w+\.\w+: ('[^']*')>")  # Python's text for an enum member: keep its value
_AT_MOST = 5  # sentences in a problem's detail

_FIXED = {
    "missing": "is required",
    "extra_forbidden": "is not a field this accepts",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "finite_number": "must be a finite number (not NaN or Infinity)",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be a string",
    "string_unicode": "must be valid Unicode text (an unpaired surrogate such as \\ud800 is not)",
    "uuid_type": "must be a UUID",
    "uuid_parsing": "must be a UUID, such as 1b4e28ba-2fa1-11d2-883f-0016d3cca427",
    "list_type": "must be a list",
    "dict_type": "must be a JSON object",
    "model_type": "must be a JSON object",
    "model_attributes_type": "must be a JSON object",
    "typed_dict_type": "must be a JSON object",
    "none_required": "must be null",
}
_DATE_AND_TIME = "must be a date and time with a time zone (RFC 3339), such as 2026-01-31T18:00:00Z"
_BOUNDS = {
    "greater_than_equal": ("ge", "must be {} or more"),
    "greater_than": ("gt", "must be more than {}"),
    "less_than_equal": ("le", "must be {} or less"),
    "less_than": ("lt", "must be less than {}"),
    "string_too_short": ("min_length", "must be at least {} character(s) long"),
    "string_too_long": ("max_length", "must be at most {} characters long"),
    "too_short": ("min_length", "must have at least {} item(s)"),
    "too_long": ("max_length", "must have at most {} items"),
}


def plain_errors(
    errors: Iterable[Mapping[str, Any]], *, json_body: bool = True, whole: str = "body"
) -> list[dict[str, Any]]:
    """pydantic's (or FastAPI's) errors as `{"field", "msg", "loc", "type"}`, each once. `json_body`: False
    when a REST body came without a JSON Content-Type (FastAPI then never reads it as JSON). `whole`: what an
    error about the whole input names (`body`, or the socket's `frame`)."""
    errors = list(errors)
    fields_with_others = {_field(e.get("loc", ()), whole) for e in errors if e.get("type") != "none_required"}
    plain: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for error in errors:
        loc = list(error.get("loc", ()))
        kind = str(error.get("type", ""))
        field = _field(loc, whole)
        if kind == "none_required" and any(_within(other, field) for other in fields_with_others):
            continue  # the null branch of "a value, or left out": the other branch's error says it
        msg = f"{field} {_phrase(error, loc, json_body)}"
        if (field, msg) not in seen:
            seen.add((field, msg))
            plain.append({"field": field, "msg": msg, "loc": loc, "type": kind})
    return plain


def _within(field: str, outer: str) -> bool:
    return field == outer or field.startswith((f"{outer}.", f"{outer}["))


def detail_of(errors: Sequence[Mapping[str, Any]]) -> str:
    """The problem's `detail`: the errors' sentences, the first few of them."""
    if not errors:
        return "The request is malformed."
    sentences = [str(error["msg"]) for error in errors[:_AT_MOST]]
    more = len(errors) - _AT_MOST
    return "; ".join(sentences) + (f"; and {more} more (see errors)." if more > 0 else ".")


def _field(loc: Sequence[Any], whole: str) -> str:
    """`("body", "support_resources", 1, "label")` -> `support_resources[1].label`; the body itself: `whole`."""
    parts = list(loc)
    if len(parts) > 1 and parts[0] in _PLACES:
        parts = parts[1:]
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif text and (part in _BRANCHES or _BRANCH.fullmatch(str(part))):
            continue
        else:
            text += f".{part}" if text else str(part)
    return text or whole


def _phrase(error: Mapping[str, Any], loc: Sequence[Any], json_body: bool) -> str:
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    if kind in {"model_attributes_type", "dict_type", "model_type"} and list(loc) == ["body"] and not json_body:
        return "must be a JSON object, sent with Content-Type: application/json"
    if kind == "json_invalid":
        return f"is not valid JSON ({ctx.get('error', 'cannot be read')})"
    if kind in _FIXED:
        return _FIXED[kind]
    if kind in _BOUNDS:
        name, template = _BOUNDS[kind]
        if kind == "string_too_short" and ctx.get(name) == 1:
            return "must not be empty"
        return template.format(ctx.get(name))
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        return _PATTERNS.get(pattern, f"must match the pattern {pattern}")
    if kind in {"enum", "literal_error"}:
        return "must be one of " + _ENUM_MEMBER.sub(r"\1", str(ctx.get("expected", "")))
    if kind.startswith("datetime") or kind in {"timezone_aware", "date_from_datetime_parsing"}:
        return _DATE_AND_TIME
    if kind in {"value_error", "assertion_error"} and "error" in ctx:
        return str(ctx["error"])
    message = str(error.get("msg", "is not valid"))
    return "is not valid: " + message[0].lower() + message[1:] if message else "is not valid"

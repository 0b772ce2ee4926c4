"""Hostile values for every field a JSON schema describes (issue 22, items 5 and 6), generated from the
API's own documents so that a field added later is tried too: NUL in every string, and the two dates whose
UTC falls outside years 1 to 9999 in every date-time.

`hostile_bodies(schema, root)` walks a request body's schema (following `$ref`s within `root`, the whole
document) and gives, for each field, a body holding the hostile value at that field and nothing else, with
the field's name as problems spell it (`support_resources[0].label`); `hostile_queries(parameters, root)`
does the same for an operation's query parameters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

NUL_TEXT = "a\x00b"
UNPAIRED_SURROGATE = "a\ud800"  # JSON can carry it ("\\ud800"); no Unicode text can
DATES_UTC_CANNOT_HOLD = ("9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00")
_DEPTH = 8  # deeper than any body the API takes; a recursive schema stops here

Path = tuple[str | int, ...]


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _leaves(node: dict[str, Any], root: dict[str, Any], path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    node = _resolve(node, root)
    if len(path) > _DEPTH:
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for option in node.get(key, []):
            yield from _leaves(option, root, path)
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        for name, child in node.get("properties", {}).items():
            yield from _leaves(child, root, (*path, name))
    elif kind == "array" and isinstance(node.get("items"), dict):
        yield from _leaves(node["items"], root, (*path, 0))
    elif kind == "string":
        yield path, node


def field_name(path: Path) -> str:
    """As a problem's `errors[].field` names it: `rounds[0].prompt`."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")


def _holding(path: Path, value: Any) -> Any:
    for part in reversed(path):
        value = [value] if isinstance(part, int) else {part: value}
    return value


def hostile_bodies(
    schema: dict[str, Any], root: dict[str, Any], *, surrogates: bool = False
) -> dict[tuple[str, str], Any]:
    """{(field, what is wrong with it): a body holding only that}: NUL in every string field, and each date
    UTC cannot hold in every date-time field; with `surrogates`, an unpaired surrogate in every string too."""
    bodies: dict[tuple[str, str], Any] = {}
    for path, leaf in _leaves(schema, root, ()):
        if not path:
            continue
        bodies[(field_name(path), "NUL")] = _holding(path, NUL_TEXT)
        if surrogates:
            bodies[(field_name(path), "unpaired surrogate")] = _holding(path, UNPAIRED_SURROGATE)
        if leaf.get("format") == "date-time":
            for when in DATES_UTC_CANNOT_HOLD:
                bodies[(field_name(path), when)] = _holding(path, when)
    return bodies


def hostile_queries(parameters: list[dict[str, Any]], root: dict[str, Any]) -> dict[tuple[str, str], dict[str, str]]:
    """{(parameter, what is wrong with it): a query holding only that}, for an OpenAPI operation's
    `parameters`: NUL in every string, each date UTC cannot hold in every date-time."""
    queries: dict[tuple[str, str], dict[str, str]] = {}
    for parameter in parameters:
        if parameter.get("in") != "query":
            continue
        name = parameter["name"]
        for _path, leaf in _leaves(parameter.get("schema", {}), root, ()):
            queries[(name, "NUL")] = {name: NUL_TEXT}
            if leaf.get("format") == "date-time":
                for when in DATES_UTC_CANNOT_HOLD:
                    queries[(name, when)] = {name: when}
    return queries

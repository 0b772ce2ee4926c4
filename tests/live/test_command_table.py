"""The socket's command table covers every REST operation on a circle (plain checks over the table and the
OpenAPI document: no server needed)."""

from __future__ import annotations

import json
from pathlib import Path

from circles.live.commands import COMMANDS

CIRCLE = "/v1/circles/{circle_id}"


def test_every_operation_on_a_circle_has_its_command() -> None:
    document = json.loads((Path(__file__).resolve().parents[2] / "openapi" / "openapi.json").read_text())
    operations = {
        f"{method.upper()} {path.removeprefix(CIRCLE)}"
        for path, methods in document["paths"].items()
        if path == CIRCLE or path.startswith(CIRCLE + "/")
        for method in methods
    }
    mirrored = [command.rest.rstrip() for command in COMMANDS.values()]
    assert len(mirrored) == len(set(mirrored)), "two commands mirror one operation"
    assert {m.strip() for m in mirrored} == {o.strip() for o in operations}


def test_every_command_names_the_ids_its_rest_path_carries() -> None:
    for name, command in COMMANDS.items():
        path_ids = {part.strip("{}") for part in command.rest.split()[-1].split("/") if part.startswith("{")}
        assert set(command.ids) == path_ids, name

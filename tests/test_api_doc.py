"""docs/api.md lists every operation the service serves, so the table a developer reads is never short."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def documented_rows() -> set[tuple[str, str]]:
    """(method, path) for each row of docs/api.md; `a` · `b` rows and `/x` · `/y` suffix rows are spread out."""
    rows: set[tuple[str, str]] = set()
    for line in (ROOT / "docs" / "api.md").read_text().splitlines():
        if not line.startswith("| `"):
            continue
        cell = line.split("|")[1]
        base = ""
        for part in re.findall(r"`([^`]+)`", cell):
            if " " in part:
                method, path = part.split(" ", 1)
                base = path
                rows.add((method, path))
            else:  # a suffix such as `/resume`, after `POST …/pause`
                rows.add((method, base.rsplit("/", 1)[0] + part))
    return rows


def test_every_operation_in_the_openapi_document_is_in_the_table() -> None:
    document = json.loads((ROOT / "openapi" / "openapi.json").read_text())
    served = {(method.upper(), path) for path, operations in document["paths"].items() for method in operations}
    assert served - documented_rows() == set()
    assert documented_rows() - served == set()

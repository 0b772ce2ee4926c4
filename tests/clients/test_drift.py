"""The committed clients are what `python -m clients.regenerate` makes of the committed OpenAPI document and
of the circle page's live client; a change to either that was not followed by a regeneration fails here.

The generators are pinned and installed by the command itself on first use (into a cache outside the work
tree), so a fresh machine needs only Python, npm and the registries."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from clients import regenerate

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_clients_are_up_to_date() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "clients.regenerate", "--check"], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, f"{done.stdout}{done.stderr}(run `python -m clients.regenerate`)"


def _copy(root: Path, *paths: Path) -> None:
    for path in paths:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / path).is_dir():
            shutil.copytree(ROOT / path, root / path)
        else:
            shutil.copyfile(ROOT / path, root / path)


def test_a_changed_document_or_live_client_is_caught_and_regeneration_fixes_it(tmp_path: Path) -> None:
    """In a copy of the repository's inputs and clients: an operation added to the document, and a line added
    to the page's live client, each make the check name the files to regenerate; writing them clears it, and
    leaves the hand-written files alone."""
    _copy(
        tmp_path,
        regenerate.OPENAPI,
        regenerate.LIVE_SOURCE,
        regenerate.PYTHON_PACKAGE,
        regenerate.JS_REST_TYPES,
        regenerate.JS_LIVE,
    )
    document = json.loads((tmp_path / regenerate.OPENAPI).read_text())
    document["paths"]["/v1/drift"] = {"get": {**document["paths"]["/livez"]["get"], "operationId": "drift_probe"}}
    (tmp_path / regenerate.OPENAPI).write_text(json.dumps(document))
    live_source = tmp_path / regenerate.LIVE_SOURCE
    live_source.write_text(live_source.read_text() + "// a change on the page\n")

    wanted, changes = regenerate.differences(tmp_path)
    assert f"{regenerate.JS_REST_TYPES}: differs" in changes
    assert f"{regenerate.JS_LIVE}: differs" in changes
    assert f"{regenerate.PYTHON_PACKAGE}/api/health/drift_probe.py: missing" in changes, changes

    regenerate.write(tmp_path, wanted)
    assert regenerate.differences(tmp_path)[1] == []
    for hand_written in regenerate.HAND_WRITTEN:
        assert (tmp_path / hand_written).read_bytes() == (ROOT / hand_written).read_bytes()

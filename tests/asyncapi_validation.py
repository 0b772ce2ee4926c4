"""Checking against AsyncAPI: frames against our document's message schemas, and our document against the
official AsyncAPI 3.0.0 JSON Schema.

The official schema comes from the AsyncAPI initiative's own npm package `@asyncapi/specs`. No PyPI
package ships it, so the first run fetches the pinned package with `npm pack` (bounded in time) into a
cache outside the work tree and keeps only the schema file. Without npm or the registry the test that
needs it fails, saying why: it never skips.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from circles.asyncapi_document import asyncapi_document

SPECS_PACKAGE = "@asyncapi/specs@6.11.1"
SCHEMA_MEMBER = "package/schemas/3.0.0.json"
NPM_SECONDS = 180


class DocumentedFrames:
    """Validates frames against the AsyncAPI document's message schemas."""

    def __init__(self) -> None:
        self.document = asyncapi_document()
        self.components = self.document["components"]

    @staticmethod
    def message_of(frame: dict[str, Any]) -> str:
        if frame["type"] == "event":
            return f"event.{frame['name']}"
        if frame["type"] == "presence":
            return "presence-list" if "participants_online" in frame else "presence"
        return frame["type"]

    def errors(self, frame: dict[str, Any]) -> list[str]:
        message = self.components["messages"].get(self.message_of(frame))
        if message is None:
            return [f"no message {self.message_of(frame)!r} in the AsyncAPI document"]
        validator = Draft202012Validator({**message["payload"], "components": self.components})
        return [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(frame)]


def _cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "circles-tests" / SPECS_PACKAGE.replace("/", "-").replace("@", "")


def official_asyncapi_3_schema() -> dict[str, Any]:
    cached = _cache_dir() / "3.0.0.json"
    if not cached.exists():
        _fetch(cached)
    return json.loads(cached.read_text())


def _fetch(target: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail(f"npm is not installed: it is needed once to fetch {SPECS_PACKAGE} (the AsyncAPI schema)")
    with tempfile.TemporaryDirectory() as folder:
        try:
            done = subprocess.run(
                [npm, "pack", "--silent", "--pack-destination", folder, SPECS_PACKAGE],
                capture_output=True,
                text=True,
                timeout=NPM_SECONDS,
                cwd=folder,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"`npm pack {SPECS_PACKAGE}` took more than {NPM_SECONDS} s")
        if done.returncode != 0:
            pytest.fail(f"`npm pack {SPECS_PACKAGE}` failed ({done.returncode}):\n{done.stderr}")
        tarballs = list(Path(folder).glob("*.tgz"))
        assert len(tarballs) == 1, f"npm pack left {tarballs}"
        with tarfile.open(tarballs[0]) as archive:
            member = archive.extractfile(SCHEMA_MEMBER)
            assert member is not None, f"{SPECS_PACKAGE} has no {SCHEMA_MEMBER}"
            schema = member.read()
    json.loads(schema)  # a whole JSON document, or fail here rather than cache it
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_bytes(schema)
    partial.replace(target)

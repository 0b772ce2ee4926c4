"""The committed AsyncAPI document is the code's own, and a valid AsyncAPI 3.0 document."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from circles.asyncapi_document import asyncapi_document
from circles.cli import main, render_asyncapi
from circles.event.payloads import EVENTS
from circles.live.protocol import CloseCode
from tests import asyncapi_validation
from tests.asyncapi_validation import official_asyncapi_3_schema

COMMITTED = Path(__file__).resolve().parents[1] / "openapi" / "asyncapi.json"


def test_the_committed_asyncapi_document_is_up_to_date() -> None:
    assert COMMITTED.read_text() == render_asyncapi(), "openapi/asyncapi.json is stale: run `circles asyncapi`"


def test_the_check_command_fails_on_a_stale_document(tmp_path: Path) -> None:
    stale = tmp_path / "asyncapi.json"
    stale.write_text("{}\n")
    assert main(["asyncapi", "--check", "--path", str(stale)]) == 1
    assert main(["asyncapi", "--path", str(stale)]) == 0
    assert main(["asyncapi", "--check", "--path", str(stale)]) == 0
    assert json.loads(stale.read_text())["asyncapi"] == "3.0.0"


def test_it_is_valid_against_the_official_asyncapi_3_schema() -> None:
    validator = Draft7Validator(official_asyncapi_3_schema())
    document = json.loads(COMMITTED.read_text())
    assert [error.message for error in validator.iter_errors(document)] == []
    # The validator does reject what AsyncAPI 3.0 forbids, so the pass above means something.
    broken = copy.deepcopy(document)
    broken["operations"]["follow"]["action"] = "publish"  # AsyncAPI 2's word; 3.0 has send and receive
    del broken["channels"]["live"]["messages"]
    broken["channels"]["live"]["messages"] = {"auth": {"payload": {"type": 7}}}
    assert len(list(validator.iter_errors(broken))) >= 2


def test_it_documents_every_frame_every_event_and_every_close_code() -> None:
    document = asyncapi_document()
    messages = document["components"]["messages"]
    frames = {"auth", "welcome", "snapshot", "presence", "presence-list", "audience", "command", "reply", "support"}
    frames.add("support-acknowledged")
    assert set(messages) == frames | {f"event.{name}" for name in EVENTS}
    schemas = document["components"]["schemas"]
    for name, kind in EVENTS.items():
        event = schemas[messages[f"event.{name}"]["payload"]["$ref"].rsplit("/", 1)[1]]
        assert event["properties"]["name"]["const"] == name
        assert event["properties"]["data"] == {"$ref": f"#/components/schemas/{kind.data.__name__}"}
        assert set(event["required"]) == {"type", "seq", "name", "at", "data"}  # the hub always sends them all
    auth = schemas["AuthFrame"]
    assert set(auth["required"]) == {"type", "token"}  # `after` is the client's choice
    live = document["channels"]["live"]
    assert sorted(c["code"] for c in live["x-close-codes"]) == sorted(int(code) for code in CloseCode)
    for code in CloseCode:
        assert f"| {int(code)} |" in live["description"]


def test_without_npm_the_schema_fetch_fails_saying_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(asyncapi_validation.shutil, "which", lambda _name: None)
    with pytest.raises(pytest.fail.Exception, match="npm is not installed"):
        asyncapi_validation._fetch(tmp_path / "3.0.0.json")
    assert not (tmp_path / "3.0.0.json").exists()

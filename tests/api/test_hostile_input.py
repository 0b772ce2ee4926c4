"""Hostile input on every database (issue 22, items 5 and 6): a control character in any text a request
carries, a date whose UTC falls outside years 1 to 9999, a forged cursor. Each is a 422 problem that names
the field, nothing changes, and no statement's values reach the log.

PostgreSQL cannot store NUL in a text column: before the shared text rule (circles.text) these were 500s
there, and the error log printed the statement's parameters (a person's name, a token hash)."""

from __future__ import annotations

import base64
import json
import logging
import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from circles.db import create_db_engine
from tests.factories import auth, create_circle, events, ok, problem, seat

# What no line of text may hold; free text (a circle's intention) may hold tab, line feed and carriage return.
CONTROLS = ["\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\x9b"]
LINE_BREAKS = ["\t", "\n", "\r"]


def _cases() -> list[Any]:
    """(method, path after the circle, credential, body, the field the problem names) for every text field."""
    cases = []
    for bad in CONTROLS[1:]:  # each control character in a line and in free text
        cases += [
            ("POST", "", "app", {"name": f"a{bad}b"}, "name"),
            ("POST", "", "app", {"name": "ok", "intention": f"why{bad}"}, "intention"),
        ]
    for bad in CONTROLS[:1]:  # NUL in every text field there is
        cases += [
            ("POST", "", "app", {"name": f"a{bad}b"}, "name"),
            ("POST", "", "app", {"name": "ok", "intention": f"why{bad}"}, "intention"),
            ("POST", "", "app", {"name": "ok", "agreements": ["fine", f"x{bad}"]}, "agreements[1]"),
            (
                "POST",
                "",
                "app",
                {"name": "ok", "support_resources": [{"label": f"L{bad}x", "text": "t"}]},
                "support_resources[0].label",
            ),  # fmt: skip
            (
                "POST",
                "",
                "app",
                {"name": "ok", "support_resources": [{"label": "L", "text": f"t{bad}x"}]},
                "support_resources[0].text",
            ),  # fmt: skip
            (
                "POST",
                "",
                "app",
                {"name": "ok", "support_resources": [{"label": "L", "url": f"https://a.org/{bad}"}]},
                "support_resources[0].url",
            ),  # fmt: skip
            ("PATCH", "", "app", {"name": f"{bad}"}, "name"),
            ("PATCH", "", "app", {"intention": f"{bad}"}, "intention"),
            ("PATCH", "", "app", {"agreements": [f"{bad}"]}, "agreements[0]"),
            ("POST", "/participants", "app", {"display_name": f"Bo{bad}"}, "display_name"),
            ("POST", "/participants", "app", {"display_name": "Bo", "external_id": f"zoom{bad}"}, "external_id"),
            ("PATCH", "/participants/{member}", "member", {"display_name": f"Ana{bad}"}, "display_name"),
            ("PATCH", "/participants/{member}", "app", {"display_name": f"Ana{bad}"}, "display_name"),
            ("POST", "/rounds", "app", {"prompt": f"How are you?{bad}"}, "prompt"),
            ("PUT", "/gathering", "app", {"rounds": [{"prompt": "fine"}, {"prompt": f"q{bad}"}]}, "rounds[1].prompt"),
        ]
    for brk in LINE_BREAKS:  # a line break is allowed in free text only
        cases += [
            ("POST", "", "app", {"name": f"a{brk}b"}, "name"),
            ("POST", "/participants", "app", {"display_name": f"Bo{brk}"}, "display_name"),
            ("POST", "/rounds", "app", {"prompt": f"q{brk}"}, "prompt"),
        ]
    return [pytest.param(*case, id=f"{case[0]} {case[1]} {case[4]} {case[3]!r:.40}") for case in cases]


@pytest.mark.parametrize(("method", "path", "who", "body", "field"), _cases())
def test_a_control_character_in_any_text_is_422_naming_the_field_and_changes_nothing(
    client: TestClient, app_key: str, method: str, path: str, who: str, body: dict[str, Any], field: str
) -> None:
    circle = create_circle(client, app_key)
    member = seat(client, app_key, circle["id"], "Ana")
    credential = member["token"] if who == "member" else app_key
    before = events(client, app_key, circle["id"])
    url = f"/v1/circles/{circle['id']}" + path.format(member=member["id"])
    if path == "" and method == "POST":
        url = "/v1/circles"
    response = client.request(method, url, json=body, headers=auth(credential))
    found = problem(response, 422, "validation_error")
    assert [error["field"] for error in found["errors"]] == [field], found
    assert found["detail"].startswith(field) and "control characters" in found["detail"], found
    assert events(client, app_key, circle["id"]) == before
    assert [c["id"] for c in ok(client.get("/v1/circles", headers=auth(app_key)))["items"]] == [circle["id"]]


def test_free_text_keeps_its_tabs_and_line_breaks_and_any_script(client: TestClient, app_key: str) -> None:
    intention = "Why we gather:\n\tto listen\r\nto each other"
    circle = create_circle(client, app_key, name="Círculo · 集い · حلقة 🌿", intention=intention)
    assert circle["intention"] == intention
    ana = seat(client, app_key, circle["id"], "Zoë O'Brien-Łukasz", external_id="zoom:5f1e-ü")
    assert ana["display_name"] == "Zoë O'Brien-Łukasz"


def test_an_unpaired_surrogate_is_422(client: TestClient, app_key: str) -> None:
    for text in ('{"name": "a\\ud800"}', '{"name": "\\udfff"}', '{"name": "ok", "intention": "\\ud83d"}'):
        response = client.post(
            "/v1/circles", content=text.encode(), headers={**auth(app_key), "content-type": "application/json"}
        )
        found = problem(response, 422, "validation_error")
        assert "Unicode" in found["detail"], found
    assert ok(client.get("/v1/circles", headers=auth(app_key)))["items"] == []


@pytest.mark.parametrize("end", ["since", "until"])
@pytest.mark.parametrize(
    "when", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-01:00"]
)
def test_an_airtime_window_end_outside_utc_years_is_422(client: TestClient, app_key: str, end: str, when: str) -> None:
    circle = create_circle(client, app_key)
    response = client.get(f"/v1/circles/{circle['id']}/airtime", params={end: when}, headers=auth(app_key))
    found = problem(response, 422, "validation_error")
    assert found["errors"][0]["field"] == end and "UTC" in found["detail"], found


def test_the_widest_airtime_window_utc_can_hold_is_fine(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key)
    window = {"since": "0001-01-01T00:00:00Z", "until": "9999-12-31T23:59:59-00:00"}
    assert ok(client.get(f"/v1/circles/{circle['id']}/airtime", params=window, headers=auth(app_key)))["rounds"] == []


@pytest.mark.parametrize(
    "at",
    ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "2026-01-01T00:00:00", "2026-01-01T00:00:00\x00"],
)
def test_a_forged_time_cursor_is_an_invalid_cursor(client: TestClient, app_key: str, at: str) -> None:
    create_circle(client, app_key)
    cursor = base64.urlsafe_b64encode(json.dumps([at, str(uuid.uuid4())]).encode()).decode().rstrip("=")
    response = client.get("/v1/circles", params={"cursor": cursor}, headers=auth(app_key))
    problem(response, 422, "invalid_cursor")


def test_a_failed_statement_never_logs_its_values(database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """A statement that fails says what failed, never with which values: they are names and token hashes."""
    engine = create_db_engine(database_url)
    try:
        with caplog.at_level(logging.DEBUG), engine.connect() as connection, pytest.raises(sa.exc.DBAPIError) as failed:
            connection.execute(sa.text("INSERT INTO no_such_table (name) VALUES (:name)"), {"name": "Ana Secret"})
    finally:
        engine.dispose()
    assert "no_such_table" in str(failed.value)
    assert "Ana Secret" not in str(failed.value) and "Ana Secret" not in caplog.text

"""A query parameter a route does not declare is a 422 problem, on every route there is; and the one filter
an app needs most: the participant it knows by its own id (`?external_id=`)."""

from __future__ import annotations

import json
import uuid

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from circles.query_check import declared_query
from tests.factories import auth, create_circle, ok, problem, seat

UNKNOWN = "not_a_parameter"


def _operations(client: TestClient) -> list[tuple[str, str, APIRoute]]:
    found = []
    for context in iter_route_contexts(client.app.routes):  # type: ignore[attr-defined]
        route = context.original_route
        assert isinstance(route, APIRoute), f"{context.path} is not an APIRoute: the app-wide check never sees it"
        found += [(method, context.path, route) for method in sorted(context.methods)]
    return found


def _concrete(path: str) -> str:
    """The path with each parameter given a value that parses: a file name for the static files, else an id."""
    return path.replace("{name}", "circle.css").format_map(_AnyId())


class _AnyId(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return str(uuid.uuid4())


def test_every_operation_refuses_a_query_parameter_it_does_not_declare(client: TestClient, app_key: str) -> None:
    operations = _operations(client)
    assert len(operations) > 50 and {path for _, path, _ in operations} >= {"/openapi.json", "/circle/{circle_id}"}
    for method, path, _route in operations:
        response = client.request(method, _concrete(path), params={UNKNOWN: "1"}, headers=auth(app_key))
        if not _route.include_in_schema:  # a page opens whatever its link carries
            assert response.status_code != 422, f"{method} {path}"
            continue
        body = problem(response, 422, "validation_error")
        assert body["errors"] == [
            {
                "field": UNKNOWN,
                "msg": f"{UNKNOWN} is not a field this accepts",
                "loc": ["query", UNKNOWN],
                "type": "extra_forbidden",
            }
        ], f"{method} {path}"


def test_every_declared_query_parameter_is_in_the_openapi_document(client: TestClient) -> None:
    documented = client.get("/openapi.json").json()["paths"]
    for method, path, route in _operations(client):
        if not route.include_in_schema:
            assert declared_query(route) == frozenset(), f"{method} {path}: a page that reads a query parameter"
            continue
        operation = documented[path][method.lower()]
        named = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        assert named == declared_query(route), f"{method} {path}"
        assert operation["responses"]["422"]["content"].keys() == {"application/problem+json"}, f"{method} {path}"


def test_declared_parameters_pass_and_the_refusal_names_only_the_unknown_ones(client: TestClient, app_key: str) -> None:
    ok(client.get("/v1/circles", params={"limit": 1}, headers=auth(app_key)))
    body = problem(
        client.get("/v1/circles?limit=1&externalId=Ana&externalId=Bo&q=", headers=auth(app_key)),
        422,
        "validation_error",
    )
    assert [error["field"] for error in body["errors"]] == ["externalId", "q"]
    assert "Ana" not in response_text(body) and "Bo" not in response_text(body)  # a value is never repeated


def response_text(body: dict[str, object]) -> str:
    return json.dumps(body)


def test_a_participant_is_found_by_the_apps_own_id(client: TestClient, app_key: str) -> None:
    circle_id = create_circle(client, app_key)["id"]
    ana = seat(client, app_key, circle_id, "Ana", external_id="zoom:Ana-1")
    bo = seat(client, app_key, circle_id, "Bo", external_id="zoom:bo-2")
    seat(client, app_key, circle_id, "Cy")
    url = f"/v1/circles/{circle_id}/participants"

    found = ok(client.get(url, params={"external_id": "zoom:bo-2"}, headers=auth(app_key)))
    assert [p["id"] for p in found["items"]] == [bo["id"]] and found["next_cursor"] is None
    assert ok(client.get(url, params={"external_id": "zoom:ana-1"}, headers=auth(app_key)))["items"] == []  # exact
    assert ok(client.get(url, params={"external_id": "nobody"}, headers=auth(app_key)))["items"] == []
    assert len(ok(client.get(url, headers=auth(app_key)))["items"]) == 3  # without it: everyone, as before
    # a participant may ask too (they may list the circle already), and the filter pages like the list
    mine = ok(client.get(url, params={"external_id": "zoom:Ana-1", "limit": 1}, headers=auth(ana["token"])))
    assert [p["id"] for p in mine["items"]] == [ana["id"]] and mine["next_cursor"] is None

    ok(client.delete(f"{url}/{bo['id']}", headers=auth(app_key)), 204)
    assert ok(client.get(url, params={"external_id": "zoom:bo-2"}, headers=auth(app_key)))["items"] == []  # left


@pytest.mark.parametrize("value", ["", "x" * 201])
def test_an_external_id_out_of_bounds_is_a_validation_problem(client: TestClient, app_key: str, value: str) -> None:
    circle_id = create_circle(client, app_key)["id"]
    url = f"/v1/circles/{circle_id}/participants"
    body = problem(client.get(url, params={"external_id": value}, headers=auth(app_key)), 422, "validation_error")
    assert body["errors"][0]["loc"] == ["query", "external_id"]

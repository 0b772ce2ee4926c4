"""The OpenAPI document: FastAPI's, plus what middleware adds that no route declares, and operation ids that
are the routes' own names (`create_circle`, not `create_circle_v1_circles_post`): the generated clients
(clients/) name their functions after them."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from circles.errors import PROBLEM_MEDIA_TYPE, Problem

IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Send the same key to retry safely: the first answer is replayed (Idempotent-Replayed: true); "
        "the same key with another request is 422 idempotency_key_reused; while the first is in progress, "
        "409 idempotency_key_in_use; when the first answer carried a credential (never stored), "
        "409 idempotency_answer_withheld."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[\\x21-\\x7e]+$"},
}


def openapi_document(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = Problem.model_json_schema()
        _name_operations(document)
        for path, operations in document["paths"].items():
            for operation in operations.values():  # any route refuses a query parameter it does not declare
                operation["responses"].setdefault("422", _problem("Unprocessable Entity"))
            post = operations.get("post")
            if post is None or not path.startswith("/v1/"):
                continue
            post.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
            post["responses"].setdefault("409", _problem("Conflict"))
        app.openapi_schema = document
    return app.openapi_schema


def _name_operations(document: dict[str, Any]) -> None:
    """Each operation's id becomes its route's name: FastAPI's id is the name, then the path and the method
    (fastapi.utils.generate_unique_id), so the name is what is left without them. A name two operations share
    keeps FastAPI's longer ids, so ids stay unique whatever routes are added."""
    names: dict[tuple[str, str], str] = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            suffix = re.sub(r"\W", "_", path) + "_" + method
            if operation.get("operationId", "").endswith(suffix):
                names[(path, method)] = operation["operationId"].removesuffix(suffix)
    counts = Counter(names.values())
    for (path, method), name in names.items():
        if counts[name] == 1:
            document["paths"][path][method]["operationId"] = name


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }

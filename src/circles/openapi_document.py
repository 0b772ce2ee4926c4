"""The OpenAPI document: FastAPI's, plus what middleware adds that no route declares."""

from __future__ import annotations

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


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }

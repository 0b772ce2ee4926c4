"""The committed OpenAPI document is the app's own, and the docs are served."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from circles.cli import main, render_openapi

COMMITTED = Path(__file__).resolve().parents[1] / "openapi" / "openapi.json"


def test_the_committed_openapi_document_is_up_to_date() -> None:
    assert COMMITTED.read_text() == render_openapi(), "openapi/openapi.json is stale: run `circles openapi`"


def test_the_check_command_fails_on_a_stale_document(tmp_path: Path) -> None:
    stale = tmp_path / "openapi.json"
    stale.write_text("{}\n")
    assert main(["openapi", "--check", "--path", str(stale)]) == 1
    assert main(["openapi", "--path", str(stale)]) == 0
    assert main(["openapi", "--check", "--path", str(stale)]) == 0


def test_every_operation_documents_its_problems_as_problem_json() -> None:
    document = json.loads(COMMITTED.read_text())
    for path, operations in document["paths"].items():
        if not path.startswith("/v1/"):
            continue  # /livez and /readyz: for load balancers, no credential
        for method, operation in operations.items():
            # A Zoom app context is the credential, in the body: the document says no header is needed.
            credential = [] if (method, path) == ("post", "/v1/zoom/session") else [{"HTTPBearer": []}]
            assert operation["security"] == credential, (method, path)
            for status in ("401", "413", "422", "429"):
                content = operation["responses"][status]["content"]
                assert list(content) == ["application/problem+json"], (method, path, status)


def test_docs_and_openapi_are_served(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200 and docs.headers["content-type"].startswith("text/html")
    assert client.get("/openapi.json").json()["info"]["title"] == "Circles"


def test_health_endpoints_answer_without_a_credential(client: TestClient) -> None:
    assert client.get("/livez").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "draining": False,
        "database": True,
        "broker": {"kind": "memory", "status": "ok"},  # no broker configured: said so, not `true`
    }

"""Every response carries a request id and the security headers; HTML pages get a CSP of their own."""

from __future__ import annotations

from fastapi.testclient import TestClient

from circles.http_headers import API_CSP, DOCS_CSP, LIVE_DOCS_CSP
from tests.factories import auth


def _security_headers_are_set(headers: dict[str, str] | object) -> None:
    assert headers["strict-transport-security"].startswith("max-age=")  # type: ignore[index]
    assert headers["x-content-type-options"] == "nosniff"  # type: ignore[index]
    assert headers["referrer-policy"] == "no-referrer"  # type: ignore[index]


def test_html_pages_carry_the_headers_zoom_requires(client: TestClient) -> None:
    for page, policy in (("/docs", DOCS_CSP), ("/docs/live", LIVE_DOCS_CSP)):
        response = client.get(page)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
        _security_headers_are_set(response.headers)
        assert response.headers["content-security-policy"] == policy
        assert "frame-ancestors 'none'" in policy


def test_api_answers_carry_them_too_errors_included(client: TestClient, app_key: str) -> None:
    for response in (
        client.get("/v1/circles", headers=auth(app_key)),
        client.get("/v1/circles"),
        client.get("/v1/no-such-thing"),
        client.post("/v1/circles", json={"nope": 1}, headers=auth(app_key)),
    ):
        _security_headers_are_set(response.headers)
        assert response.headers["content-security-policy"] == API_CSP


def test_every_response_has_a_request_id_and_a_good_incoming_one_is_kept(client: TestClient) -> None:
    first, second = client.get("/livez"), client.get("/livez")
    assert len(first.headers["x-request-id"]) == 32
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
    assert client.get("/livez", headers={"X-Request-ID": "lb-7f3a:42"}).headers["x-request-id"] == "lb-7f3a:42"
    forged = client.get("/livez", headers={"X-Request-ID": "x" * 65 + "\n"}).headers["x-request-id"]
    assert len(forged) == 32 and "\n" not in forged

"""The circle page and its files: the security headers Zoom requires, and a CSP of their own."""

from __future__ import annotations

import uuid
from importlib import resources

from fastapi.testclient import TestClient

from circles.http_headers import DOCS_CSP
from circles.web.router import PAGE_FILE, STATIC_FILES


def test_the_page_carries_the_security_headers_and_a_csp_that_allows_only_itself(client: TestClient) -> None:
    page = client.get(f"/circle/{uuid.uuid4()}", headers={"Host": "circles.example:8443"})
    assert page.status_code == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["strict-transport-security"].startswith("max-age=")
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    csp = page.headers["content-security-policy"]
    assert csp != DOCS_CSP  # the page's own, not the middleware's default for HTML
    assert csp == (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self' ws://circles.example:8443; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )
    assert 'src="http' not in page.text and 'href="http' not in page.text  # nothing from another origin
    assert client.get(f"/circle/{uuid.uuid4()}").content == page.content  # nothing about a circle is written in


def test_a_host_header_cannot_write_into_the_csp(client: TestClient) -> None:
    csp = client.get(f"/circle/{uuid.uuid4()}", headers={"Host": "evil; script-src *"}).headers[
        "content-security-policy"
    ]
    assert "connect-src 'self';" in csp and "evil" not in csp


def test_static_files_are_served_by_name_with_their_type_and_revalidated_by_etag(client: TestClient) -> None:
    for name, media_type in (
        ("circles-live.js", "text/javascript; charset=utf-8"),
        ("circle-page.js", "text/javascript; charset=utf-8"),
        ("circle-commands.js", "text/javascript; charset=utf-8"),
        ("circle-agreements.js", "text/javascript; charset=utf-8"),
        ("circle-hands.js", "text/javascript; charset=utf-8"),
        ("circle-support.js", "text/javascript; charset=utf-8"),
        ("circle-agreement-status.js", "text/javascript; charset=utf-8"),
        ("circle-ring.js", "text/javascript; charset=utf-8"),
        ("circle-round-progress.js", "text/javascript; charset=utf-8"),
        ("circle-token.js", "text/javascript; charset=utf-8"),
        ("circle-views.js", "text/javascript; charset=utf-8"),
        ("circle-date.js", "text/javascript; charset=utf-8"),
        ("circle-breakout.js", "text/javascript; charset=utf-8"),
        ("circle-breakout.css", "text/css; charset=utf-8"),
        ("circle.css", "text/css; charset=utf-8"),
        ("circle-date.css", "text/css; charset=utf-8"),
        ("icon.svg", "image/svg+xml"),
    ):
        answer = client.get(f"/circle/static/{name}")
        assert answer.status_code == 200 and answer.headers["content-type"] == media_type
        assert answer.headers["cache-control"] == "no-cache" and answer.headers["x-content-type-options"] == "nosniff"
        again = client.get(f"/circle/static/{name}", headers={"If-None-Match": answer.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
    for name in ("router.py", "__init__.py", "circle.html", "..%2Frouter.py"):
        assert client.get(f"/circle/static/{name}").status_code == 404


def test_the_page_is_not_part_of_the_api_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not [path for path in paths if path.startswith("/circle/")]


def test_every_file_in_the_static_folder_is_served_and_nothing_else_ships_there() -> None:
    shipped = {entry.name for entry in resources.files("circles.web").joinpath("static").iterdir()}
    assert shipped == {PAGE_FILE, *STATIC_FILES}

"""Who may frame the circle page (CIRCLES_FRAME_ANCESTORS, CIRCLES_ZOOM_EMBED), and which browser origins
may call the API (CIRCLES_CORS_ORIGINS): the settings take only what a header can hold safely."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from circles.app import create_app
from circles.cross_origin import ZOOM_FRAME_ANCESTORS
from circles.settings import Settings
from tests.conftest import make_settings

ZOOM = " ".join(ZOOM_FRAME_ANCESTORS)


@contextmanager
def _page_client(database_url: str, **settings: object) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(database_url, **settings))) as client:
        yield client


def _frame_ancestors(client: TestClient) -> str:
    page = client.get(f"/circle/{uuid.uuid4()}")
    assert page.status_code == 200
    directives = dict(d.strip().split(" ", 1) for d in page.headers["content-security-policy"].split(";"))
    return directives["frame-ancestors"]


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({}, "'none'"),
        ({"frame_ancestors": "'self' https://app.example https://*.example.org:8443"}, None),
        ({"zoom_embed": True}, ZOOM),
        ({"zoom_embed": True, "frame_ancestors": "'self' https://app.example"}, f"'self' https://app.example {ZOOM}"),
    ],
)
def test_the_page_may_be_framed_only_by_whom_the_settings_name(
    database_url: str, settings: dict[str, object], expected: str | None
) -> None:
    with _page_client(database_url, **settings) as client:
        assert _frame_ancestors(client) == (expected or settings["frame_ancestors"])


def test_zoom_embedded_the_page_carries_every_header_zooms_owasp_check_asks_for(database_url: str) -> None:
    with _page_client(database_url, zoom_embed=True) as client:
        page = client.get(f"/circle/{uuid.uuid4()}", headers={"Host": "circles.example"})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert page.headers["strict-transport-security"].startswith("max-age=")
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["referrer-policy"] == "no-referrer"
        assert f"frame-ancestors {ZOOM};" in page.headers["content-security-policy"]
        # the API and the docs stay unframeable: only the page is a Zoom App's home
        assert "frame-ancestors 'none'" in client.get("/docs").headers["content-security-policy"]
        assert "frame-ancestors 'none'" in client.get("/livez").headers["content-security-policy"]


@pytest.mark.parametrize(
    "value",
    [
        "",
        "none",  # without its quotes: a host named none
        "'none' https://app.example",
        "'self'; script-src *",
        "https://app.example\r\nSet-Cookie: a=b",
        "https://app.example/path",
        "https://app.example,https://b.example",
        "'unsafe-inline'",
        "javascript:",
    ],
)
def test_a_frame_ancestors_value_that_is_not_a_list_of_sources_is_refused_at_startup(value: str) -> None:
    with pytest.raises(ValidationError, match="frame_ancestors"):
        Settings(frame_ancestors=value)


@pytest.mark.parametrize(
    "value",
    [
        "app.example",
        "https://app.example/",  # accepted below: a trailing slash is dropped
        "https://app.example/path",
        "*,https://app.example",
        "https://app.example\r\nX-Evil: 1",
        "javascript:alert(1)",
        "https://app.example:3000:1",
        "null",
    ],
)
def test_a_cors_origin_that_is_not_an_origin_is_refused_at_startup(value: str) -> None:
    if value.endswith("/"):
        assert Settings(cors_origins=value).cors_origins == "https://app.example"
        return
    with pytest.raises(ValidationError, match="cors_origins"):
        Settings(cors_origins=value)


def test_cors_origins_are_normalized_as_browsers_send_them() -> None:
    settings = Settings(cors_origins=" https://App.Example , http://localhost:3000/,https://app.example,  ")
    assert settings.cors_origins == "https://app.example,http://localhost:3000"
    assert Settings(cors_origins=" * ").cors_origins == "*"
    assert Settings().cors_origins == ""

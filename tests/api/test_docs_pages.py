"""The docs pages load nothing from another host: every asset is ours and answers with its type, and the
CSP names no host at all. The live protocol's page is the AsyncAPI document, rendered."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from fastapi.testclient import TestClient

from circles.event.payloads import EVENTS
from circles.live.protocol import CloseCode

ROOT = Path(__file__).resolve().parents[2]
# Every source a docs page's CSP may name: keywords and same-origin data, never a host or a scheme of hosts.
ALLOWED_SOURCES = {"'none'", "'self'", "data:"}
TYPES = {".js": "text/javascript", ".css": "text/css"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []  # (tag, url) of every src and href
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [(tag, value) for name, value in attrs if name in ("src", "href") and value is not None]


def _links(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def _assert_csp_names_no_host(policy: str) -> None:
    assert not re.search(r"https?:|wss?:|//|\*", policy), policy
    for directive in filter(None, (part.strip() for part in policy.split(";"))):
        _name, *sources = directive.split()
        assert set(sources) <= ALLOWED_SOURCES, directive


def test_the_rest_reference_loads_only_its_own_assets(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert not re.search(r"https?://|//[a-z]", page.text), "the page names another host"
    links = _links(page.text)
    scripts = [url for tag, url in links.urls if tag == "script"]
    stylesheets = [url for tag, url in links.urls if tag == "link"]
    assert scripts == ["/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-init.js"]
    assert stylesheets == ["/docs/assets/swagger-ui.css", "/docs/assets/reference.css"]
    for url in scripts + stylesheets:
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert asset.headers["content-type"].startswith(TYPES[Path(url).suffix]), (url, asset.headers)
        assert len(asset.content) > 400, url
    assert "SwaggerUIBundle" in client.get("/docs/assets/swagger-ui-bundle.js").text
    assert 'id="swagger-ui" data-openapi-url="/openapi.json"' in page.text
    _assert_csp_names_no_host(page.headers["content-security-policy"])
    assert "'unsafe-inline'" not in page.headers["content-security-policy"]
    assert "<script>" not in page.text, "no inline script: the CSP allows none"


def test_an_unknown_asset_is_404_and_the_old_cdn_pages_are_gone(client: TestClient) -> None:
    assert client.get("/docs/assets/redoc.standalone.js").status_code == 404
    assert client.get("/docs/assets/..%2Fpyproject.toml").status_code == 404
    assert client.get("/redoc").status_code == 404


def test_the_live_page_renders_the_asyncapi_document_without_script(client: TestClient) -> None:
    page = client.get("/docs/live")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    _assert_csp_names_no_host(page.headers["content-security-policy"])
    assert "script-src" not in page.headers["content-security-policy"]
    links = _links(page.text)
    assert "script" not in links.tags
    assert not re.search(r"https?://|//[a-z]", page.text), "the page names another host"
    for tag, url in links.urls:
        assert url.startswith(("/", "#")) or url == "asyncapi.json", (tag, url)
        if url.startswith("#"):
            assert f'id="{url[1:]}"' in page.text, f"{url} points at nothing"
    assert client.get("/docs/assets/reference.css").headers["content-type"].startswith("text/css")
    assert "<code>/v1/circles/{circle_id}/live</code>" in page.text
    for name in EVENTS:
        assert f'id="message-event.{name}"' in page.text, name
    for code in CloseCode:
        assert f"<td>{int(code)}</td>" in page.text, code
    assert 'href="/docs"' in page.text and 'href="/docs/live"' in page.text  # each page links the other


def test_the_served_asyncapi_document_is_the_committed_one(client: TestClient) -> None:
    served = client.get("/docs/asyncapi.json")
    assert served.status_code == 200 and served.headers["content-type"].startswith("application/json")
    assert served.json() == json.loads((ROOT / "openapi" / "asyncapi.json").read_text())

"""CORS over real HTTP, against a `circles serve` process: a page on an allowed origin can send every
command (its preflight is answered before any limit, and counts against none), can read the request id and
the rate-limit headers, and reads refusals too; any other origin gets no CORS header; and a server without
CIRCLES_CORS_ORIGINS answers as it always did."""

from __future__ import annotations

import tempfile
import uuid

import httpx

from circles.app import create_app
from circles.cross_origin import ALLOWED_HEADERS, EXPOSED_HEADERS
from circles.settings import Settings
from tests.factories import auth, create_circle, ok, problem
from tests.live.conftest import Server, StartServer

APP = "https://app.example"
OTHER = "https://evil.example"
BURST = 5


def _operations() -> list[tuple[str, str]]:
    """Every (method, path) the API serves, as the app's own document names them."""
    document = create_app(Settings(database_url=f"sqlite:///{tempfile.gettempdir()}/unused.db")).openapi()
    return [(method.upper(), path) for path, operations in document["paths"].items() for method in operations]


def _path(template: str) -> str:
    return template.format_map(_Ids())


class _Ids(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return str(uuid.uuid4())


def _preflight(client: httpx.Client, method: str, path: str, origin: str = APP) -> httpx.Response:
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
        },
    )


def _cors_server(start_server: StartServer, **env: str) -> Server:
    return start_server(
        env={
            "CIRCLES_CORS_ORIGINS": f"{APP},http://localhost:3000",
            "CIRCLES_RATE_LIMIT_PER_MINUTE": "1",  # a token a minute: a preflight that counted would show
            "CIRCLES_RATE_LIMIT_BURST": str(BURST),
            **env,
        }
    )


def test_every_operation_is_preflighted_for_an_allowed_origin_and_no_preflight_counts(
    start_server: StartServer,
) -> None:
    server = _cors_server(start_server)
    http = server.http()
    operations = _operations()
    assert len(operations) > 40
    for method, template in operations:
        answer = _preflight(http, method, _path(template))
        assert answer.status_code == 200, f"{method} {template}: {answer.text}"
        assert answer.headers["access-control-allow-origin"] == APP
        assert method in answer.headers["access-control-allow-methods"].split(", ")
        allowed = {h.lower() for h in answer.headers["access-control-allow-headers"].split(", ")}
        assert allowed >= {h.lower() for h in ALLOWED_HEADERS}
        assert "access-control-allow-credentials" not in answer.headers  # bearer tokens only, never cookies
        assert answer.headers["x-request-id"] and answer.headers["x-content-type-options"] == "nosniff"
        assert "ratelimit" not in answer.headers  # never reached the limits
    # many more preflights than the burst, from an address with no credential: none was limited, none counted
    first = http.get("/v1/circles", headers={**auth(server.app_key), "Origin": APP})
    assert first.status_code == 200
    assert first.headers["ratelimit"].startswith(f"limit={BURST}, remaining={BURST - 1},")


def test_an_answer_to_an_allowed_origin_lets_its_script_read_the_id_and_the_limits(start_server: StartServer) -> None:
    server = _cors_server(start_server)
    http = server.http()
    answer = http.get("/v1/circles", headers={**auth(server.app_key), "Origin": APP})
    assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == APP
    exposed = answer.headers["access-control-expose-headers"].split(", ")
    assert set(exposed) == set(EXPOSED_HEADERS) >= {"X-Request-ID", "RateLimit", "RateLimit-Policy", "Retry-After"}
    assert "Origin" in answer.headers["vary"]
    assert answer.headers["x-request-id"] and answer.headers["ratelimit-policy"]
    # a refusal by the limits (no credential here) is readable too, so the page can say why
    refused = http.get("/v1/circles", headers={"Origin": APP})
    assert problem(refused, 401, "unauthenticated") and refused.headers["access-control-allow-origin"] == APP
    # and so is "too many": the page can read Retry-After and back off
    for _ in range(BURST):
        http.get("/v1/circles", headers=auth(server.app_key))
    limited = http.get("/v1/circles", headers={**auth(server.app_key), "Origin": APP})
    assert limited.status_code == 429 and limited.headers["access-control-allow-origin"] == APP
    assert limited.headers["retry-after"]


def test_an_idempotent_retry_from_a_page_is_replayed_and_its_preflight_records_nothing(
    start_server: StartServer,
) -> None:
    server = _cors_server(start_server, CIRCLES_RATE_LIMIT_PER_MINUTE="3000")
    http = server.http()
    headers = {**auth(server.app_key), "Origin": APP, "Idempotency-Key": "page-retry-1"}
    assert _preflight(http, "POST", "/v1/circles").status_code == 200
    assert _preflight(http, "POST", "/v1/circles").status_code == 200
    first = http.post("/v1/circles", json={"name": "From a page"}, headers=headers)
    again = http.post("/v1/circles", json={"name": "From a page"}, headers=headers)
    assert first.status_code == again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert "idempotent-replayed" not in first.headers and again.headers["idempotent-replayed"] == "true"
    assert again.headers["access-control-allow-origin"] == APP
    names = [c["name"] for c in ok(http.get("/v1/circles", headers=auth(server.app_key)))["items"]]
    assert names.count("From a page") == 1


def test_another_origin_gets_no_cors_header(start_server: StartServer) -> None:
    server = _cors_server(start_server, CIRCLES_RATE_LIMIT_PER_MINUTE="3000")
    http = server.http()
    refused = _preflight(http, "POST", "/v1/circles", origin=OTHER)
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
    assert _preflight(http, "POST", "/v1/circles", origin="http://localhost:3000").status_code == 200
    answer = http.get("/v1/circles", headers={**auth(server.app_key), "Origin": OTHER})
    assert answer.status_code == 200  # the server answers; the browser withholds it from the page
    assert "access-control-allow-origin" not in answer.headers  # (Expose-Headers alone grants nothing)


def test_without_the_setting_nothing_changes(server: Server, http: httpx.Client) -> None:
    circle = create_circle(http, server.app_key)
    preflight = _preflight(http, "POST", f"/v1/circles/{circle['id']}/rounds")
    assert problem(preflight, 401, "unauthenticated")  # as before: no credential, answered by the limits
    assert not [name for name in preflight.headers if name.startswith("access-control-")]
    answer = http.get("/v1/circles", headers={**auth(server.app_key), "Origin": APP})
    assert answer.status_code == 200 and not [name for name in answer.headers if name.startswith("access-control-")]

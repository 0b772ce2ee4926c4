"""A browser-first app: its page, on an origin of its own, uses the shipped clients (copied into the app, as
circles-live.js says) with a `baseUrl` naming the Circles server. From an origin the server allows it sends
REST commands with fetch, reads the exposed headers and follows the live socket; from any other origin
Chromium withholds every answer, and the socket is refused too when CIRCLES_ALLOWED_ORIGINS is set."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any

import pytest

from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.factories import auth, create_circle, ok, seat, state
from tests.live.conftest import StartServer

CLIENTS = ("circles-live.js", "circle-commands.js")
BLANK = b"<!doctype html><meta charset=utf-8><title>An app of its own</title><h1>Our app</h1>"


def _app_server() -> ThreadingHTTPServer:
    """The app's own web server: a blank page and its copies of the two clients, on a free loopback port."""
    static = resources.files("circles.web").joinpath("static")
    files = {"/": (BLANK, "text/html")} | {
        f"/{name}": (static.joinpath(name).read_bytes(), "text/javascript") for name in CLIENTS
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body, media_type = files.get(self.path, (b"not found", "text/plain"))
            self.send_response(200 if self.path in files else 404)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def app_origins() -> Iterator[tuple[str, str]]:
    """Two app origins (two loopback ports): the first is allowed by the Circles server, the second is not."""
    servers = [_app_server(), _app_server()]
    try:
        allowed, other = (f"http://127.0.0.1:{s.server_address[1]}" for s in servers)
        yield allowed, other
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


OpenApp = Callable[[str], Any]


@pytest.fixture
def open_app(browser: Any) -> Iterator[OpenApp]:
    contexts: list[Any] = []

    def open_page(origin: str) -> Any:
        context = browser.new_context()
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{origin}/")
        return page

    try:
        yield open_page
    finally:
        for context in contexts:
            context.close()


# Runs in the app's page: the live client and the REST commands, both pointed at the Circles server.
FOLLOW_AND_START_A_ROUND = """async ({ base, circleId, token }) => {
  const { CirclesLive } = await import("/circles-live.js");
  const { CircleCommands } = await import("/circle-commands.js");
  const live = new CirclesLive({ circleId, token, baseUrl: base });
  const phases = [];
  const firstOutcome = new Promise((resolve) => live.addEventListener("status", (e) => {
    phases.push(e.detail.phase);
    if (e.detail.phase !== "connecting") resolve(e.detail);
  }));
  live.start();
  const status = await firstOutcome;
  const commands = new CircleCommands({ circleId, token, baseUrl: base });
  let round = null, refusal = null;
  try { round = await commands.startRound({ prompt: "What brought you here?" }); }
  catch (error) { refusal = `${error.name}: ${error.message}`; }
  let headers = null;
  try {
    const answer = await fetch(new URL(`v1/circles/${circleId}/state`, base), {
      headers: { Authorization: `Bearer ${token}` }, credentials: "omit" });
    headers = { requestId: answer.headers.get("X-Request-ID"), rateLimit: answer.headers.get("RateLimit"),
                policy: answer.headers.get("RateLimit-Policy"), server: answer.headers.get("Server") };
  } catch (error) { headers = `${error.name}`; }
  if (round) {  // the round the command started arrives on the socket
    await new Promise((resolve) => {
      const seen = () => live.state && live.state.round && live.state.round.id === round.id;
      if (seen()) resolve(); else live.addEventListener("state", () => seen() && resolve());
    });
  }
  live.stop();
  return { status: { phase: status.phase, closeCode: status.closeCode }, phases, round, refusal, headers,
           liveRound: live.state && live.state.round ? live.state.round.id : null };
}"""


def test_a_page_on_an_allowed_origin_commands_and_follows_and_another_origin_is_refused(
    start_server: StartServer, app_origins: tuple[str, str], open_app: OpenApp
) -> None:
    allowed, other = app_origins
    server = start_server(env={"CIRCLES_CORS_ORIGINS": allowed, "CIRCLES_ALLOWED_ORIGINS": allowed})
    http = server.http()
    circle_id = create_circle(http, server.app_key)["id"]
    keeper = seat(http, server.app_key, circle_id, "Kim", role="keeper")
    seat(http, server.app_key, circle_id, "Ana")
    arg = {"base": server.base_url + "/", "circleId": circle_id, "token": keeper["token"]}

    refused = open_app(other).evaluate(FOLLOW_AND_START_A_ROUND, arg)
    assert refused["round"] is None and refused["refusal"] == "TypeError: Failed to fetch"
    assert refused["headers"] == "TypeError"  # the answer was withheld from the page, headers and all
    assert refused["status"] == {"phase": "reconnecting", "closeCode": 1006} and "live" not in refused["phases"]
    assert state(http, server.app_key, circle_id)["round"] is None  # and the server changed nothing

    done = open_app(allowed).evaluate(FOLLOW_AND_START_A_ROUND, arg)
    assert done["status"]["phase"] == "live" and done["refusal"] is None
    assert done["round"]["prompt"] == "What brought you here?" and done["liveRound"] == done["round"]["id"]
    assert len(done["headers"]["requestId"]) == 32  # exposed: the page can quote it when it reports a problem
    assert done["headers"]["rateLimit"].startswith("limit=") and done["headers"]["policy"]
    assert done["headers"]["server"] is None  # not exposed: a page reads only what the server lets it
    assert (
        ok(http.get(f"/v1/circles/{circle_id}/state", headers=auth(server.app_key)))["round"]["id"]
        == done["round"]["id"]
    )

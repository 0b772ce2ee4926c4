"""A minimal app on Circles: one page (index.html) and this server, with nothing but the standard library.

The app key stays here, on the server: the page asks this server to start a circle, and this server asks
Circles (create the circle, seat each person with the app's own id for them, and hand back their links).
The page then opens each person's circle page, which Circles serves.

    CIRCLES_URL=http://127.0.0.1:8000 CIRCLES_APP_KEY=ck_... python3 server.py    # then open http://127.0.0.1:8080
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CIRCLES_URL = os.environ.get("CIRCLES_URL", "http://127.0.0.1:8000").rstrip("/")
APP_KEY = os.environ.get("CIRCLES_APP_KEY", "")
PAGE = (Path(__file__).parent / "index.html").read_bytes()


def circles(method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """One call to the Circles API with the app key; a refusal raises with its problem+json detail."""
    request = urllib.request.Request(
        f"{CIRCLES_URL}/v1/{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {APP_KEY}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.load(answer)
    except urllib.error.HTTPError as refusal:
        raise ValueError(json.load(refusal).get("detail", str(refusal))) from None


def link(circle_id: str, token: str) -> str:
    """The person's circle page; the token rides in the fragment, which no browser sends to any server."""
    return f"{CIRCLES_URL}/circle/{circle_id}#token={token}"


def start_circle(name: str, people: list[str]) -> dict[str, Any]:
    """The first person keeps the circle; each is seated with the app's own id for them (here, `person-N`)."""
    circle = circles("POST", "circles", {"name": name})
    seated = []
    for number, person in enumerate(people, 1):
        role = "keeper" if number == 1 else "member"
        body = {"display_name": person, "role": role, "external_id": f"person-{number}"}
        participant = circles("POST", f"circles/{circle['id']}/participants", body)
        seated.append({"name": person, "role": role, "link": link(circle["id"], participant["token"])})
    return {"circle_id": circle["id"], "people": seated}


def new_link(circle_id: str, external_id: str) -> dict[str, Any]:
    """A fresh link for someone the app knows by its own id (their old link stops working)."""
    query = urllib.parse.urlencode({"external_id": external_id})
    found = circles("GET", f"circles/{circle_id}/participants?{query}")["items"]
    if not found:
        raise ValueError("No one in this circle has that id.")
    token = circles("POST", f"circles/{circle_id}/participants/{found[0]['id']}/token", {})["token"]
    return {"name": found[0]["display_name"], "link": link(circle_id, token)}


class App(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path != "/":
            return self.answer(404, {"detail": "Not found."})
        self.answer(200, PAGE, "text/html; charset=utf-8")

    def do_POST(self) -> None:
        try:
            asked = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            if self.path == "/circles":
                self.answer(201, start_circle(str(asked["name"]), [str(p) for p in asked["people"]]))
            elif self.path == "/links":
                self.answer(201, new_link(str(asked["circle_id"]), str(asked["external_id"])))
            else:
                self.answer(404, {"detail": "Not found."})
        except (ValueError, KeyError, TypeError) as refusal:
            self.answer(422, {"detail": str(refusal)})

    def answer(self, status: int, body: Any, media_type: str = "application/json") -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Content-Security-Policy", "frame-ancestors 'none'")
        self.end_headers()
        self.wfile.write(data)


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8080"))
    print(f"the app: http://127.0.0.1:{port}/ (Circles at {CIRCLES_URL})", flush=True)
    ThreadingHTTPServer(("127.0.0.1", port), App).serve_forever()

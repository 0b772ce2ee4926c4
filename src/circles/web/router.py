"""Serves the circle page (`/circle/{circle_id}`) and its static files (`/circle/static/{name}`).

The page is one static HTML file: nothing about the circle or the person is written into it. The person's
token reaches the page in the URL fragment, which browsers never send to a server (see
docs/circle-page.md). The files are read once, from the package, and served only by name from a fixed
list, so no request can reach any other file.

Every answer carries its own Content-Security-Policy, which the ResponseHeaders middleware leaves alone
(it only fills in headers a response did not set): the page may load its own scripts, styles and icon,
and talk to its own origin over HTTP and WebSocket, and nothing else.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from functools import cache
from importlib import resources

from fastapi import APIRouter, Request, Response

from circles.errors import NotFound

router = APIRouter(include_in_schema=False)

PAGE_FILE = "circle.html"
STATIC_FILES = {
    "circle.css": "text/css; charset=utf-8",
    "circle-page.js": "text/javascript; charset=utf-8",
    "circles-live.js": "text/javascript; charset=utf-8",
    "circle-commands.js": "text/javascript; charset=utf-8",
    "circle-agreements.js": "text/javascript; charset=utf-8",
    "circle-hands.js": "text/javascript; charset=utf-8",
    "circle-support.js": "text/javascript; charset=utf-8",
    "circle-agreement-status.js": "text/javascript; charset=utf-8",
    "circle-ring.js": "text/javascript; charset=utf-8",
    "circle-round-progress.js": "text/javascript; charset=utf-8",
    "circle-token.js": "text/javascript; charset=utf-8",
    "circle-views.js": "text/javascript; charset=utf-8",
    "circle-date.js": "text/javascript; charset=utf-8",  # a support date's two-person layout
    "circle-date.css": "text/css; charset=utf-8",
    "circle-breakout.js": "text/javascript; charset=utf-8",
    "circle-breakout.css": "text/css; charset=utf-8",
    "icon.svg": "image/svg+xml",
}
# A host as it may appear in a Host header: a name or an IPv4/IPv6 address, with an optional port.
_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$")


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    media_type: str
    etag: str


@cache
def _load(name: str, media_type: str) -> StaticFile:
    body = resources.files("circles.web").joinpath("static", name).read_bytes()
    return StaticFile(body, media_type, f'"{hashlib.sha256(body).hexdigest()[:32]}"')


def page_csp(request: Request) -> str:
    """Exactly what the page needs. Who may frame it is a setting (CIRCLES_FRAME_ANCESTORS, and Zoom's
    domains with CIRCLES_ZOOM_EMBED=1; docs/deploy.md): by default nothing may ('none')."""
    connect = "'self'"
    host = request.headers.get("host", "")
    if _HOST.match(host):
        socket_scheme = "wss" if request.url.scheme == "https" else "ws"
        connect += f" {socket_scheme}://{host}"  # older browsers do not count ws(s) as 'self'
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        f"connect-src {connect}; frame-ancestors {request.app.state.settings.page_frame_ancestors}; "
        "base-uri 'none'; form-action 'none'"
    )


def _answer(request: Request, file: StaticFile) -> Response:
    headers = {
        "Cache-Control": "no-cache",  # always revalidate: an upgrade never leaves a stale script behind
        "ETag": file.etag,
        "Content-Security-Policy": page_csp(request),
    }
    if request.headers.get("if-none-match") == file.etag:
        return Response(status_code=304, headers=headers)
    return Response(file.body, media_type=file.media_type, headers=headers)


@router.get("/circle/{circle_id}")
def circle_page(circle_id: uuid.UUID, request: Request) -> Response:
    """The circle page; the script reads the circle's id from the path and the token from the fragment."""
    return _answer(request, _load(PAGE_FILE, "text/html; charset=utf-8"))


@router.get("/circle/static/{name}")
def static_file(name: str, request: Request) -> Response:
    media_type = STATIC_FILES.get(name)
    if media_type is None:
        raise NotFound("No such file.")
    return _answer(request, _load(name, media_type))

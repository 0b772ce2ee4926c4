"""Who on another origin may use the service from a browser: pages that call the REST API (CORS), and pages
that frame the circle page (its CSP `frame-ancestors`, e.g. Zoom's clients).

The settings are read and checked here (`CIRCLES_CORS_ORIGINS`, `CIRCLES_FRAME_ANCESTORS`,
`CIRCLES_ZOOM_EMBED`); a value that is not a plain origin or CSP source is refused at startup, so nothing a
setting holds can end a header early or add a directive. The CORS answers themselves are Starlette's
`CORSMiddleware`, given the options below.
"""

from __future__ import annotations

import re
from typing import Any

from circles.http_headers import REQUEST_ID_HEADER

# An origin as a browser sends it: scheme, host (a name, IPv4 or bracketed IPv6) and an optional port.
_ORIGIN = re.compile(r"^https?://(\[[0-9a-f:.]+\]|[a-z0-9-]+(\.[a-z0-9-]+)*)(:[0-9]{1,5})?$")
# A CSP host-source without a path: optional scheme, optional `*.` before a name, optional port or `:*`.
_HOST_SOURCE = re.compile(
    r"^([a-z][a-z0-9+.-]*://)?(\*\.)?(\[[0-9a-f:.]+\]|[a-z0-9-]+(\.[a-z0-9-]+)*)(:([0-9]{1,5}|\*))?$"
)
_SCHEME_SOURCE = re.compile(r"^(https?|wss?):$")
_KEYWORDS = {"'self'", "'none'"}

# Where Zoom's clients (desktop, mobile, web) open a Zoom App from (docs/deploy.md, docs/zoom.md).
ZOOM_FRAME_ANCESTORS = ("https://zoom.us", "https://*.zoom.us", "https://zoom.com", "https://*.zoom.com")

# What a page on an allowed origin may send, beyond the headers every browser may: the credential, the
# retry key, and a JSON Content-Type (which a browser would otherwise preflight and refuse).
ALLOWED_HEADERS = ("Authorization", "Idempotency-Key", "Content-Type", REQUEST_ID_HEADER)
# What its script may read of an answer (a browser shows it only the safelisted headers otherwise).
EXPOSED_HEADERS = (REQUEST_ID_HEADER, "RateLimit", "RateLimit-Policy", "Retry-After", "Idempotent-Replayed")
ALLOWED_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
PREFLIGHT_MAX_AGE_SECONDS = 600


def parse_origins(value: str) -> str:
    """`CIRCLES_CORS_ORIGINS`, normalized (lower case, no trailing slash); `*` alone: any origin."""
    items = [item.strip().rstrip("/").lower() for item in value.split(",") if item.strip()]
    if items == ["*"]:
        return "*"
    for item in items:
        if not _ORIGIN.match(item):
            raise ValueError(f"{item!r} is not an origin such as https://app.example or http://localhost:3000")
    return ",".join(dict.fromkeys(items))


def parse_frame_ancestors(value: str) -> str:
    """`CIRCLES_FRAME_ANCESTORS`: CSP sources separated by spaces ('none', 'self', https:, hosts)."""
    sources = value.split()
    if not sources:
        raise ValueError("name at least one source, or 'none' (with its quotes) so that nothing may frame the page")
    for source in sources:
        lowered = source.lower()
        if lowered in {"none", "self"}:
            raise ValueError(f"{source!r} must be written with its single quotes: '{lowered}'")
        if lowered not in _KEYWORDS and not _SCHEME_SOURCE.match(lowered) and not _HOST_SOURCE.match(lowered):
            raise ValueError(f"{source!r} is not a frame-ancestors source ('self', https:, https://*.example.org…)")
    if "'none'" in (s.lower() for s in sources) and len(sources) > 1:
        raise ValueError("'none' must stand alone")
    return " ".join(dict.fromkeys(sources))


def frame_ancestors(configured: str, zoom_embed: bool) -> str:
    """The circle page's `frame-ancestors` sources: the setting's, with Zoom's domains when it is embedded."""
    sources = [s for s in configured.split() if s != "'none'"] if zoom_embed else configured.split()
    if zoom_embed:
        sources += [zoom for zoom in ZOOM_FRAME_ANCESTORS if zoom not in sources]
    return " ".join(sources) or "'none'"


def cors_options(origins: str) -> dict[str, Any]:
    """CORSMiddleware's options for the origins `parse_origins` let through. No cookies: the service takes
    only a bearer credential, so `allow_credentials` stays off (and `*` is safe to answer)."""
    return {
        "allow_origins": origins.split(","),
        "allow_methods": ALLOWED_METHODS,
        "allow_headers": ALLOWED_HEADERS,
        "expose_headers": EXPOSED_HEADERS,
        "allow_credentials": False,
        "max_age": PREFLIGHT_MAX_AGE_SECONDS,
    }

"""The docs pages: /docs (the REST reference) and /docs/live (the live protocol), with every asset they
load served from here. No page loads anything from another host, and each carries a CSP that allows
exactly what it loads.

Swagger UI's files come from the `fastapi-offline` package, which ships swagger-ui-dist 5 (OpenAPI 3.1).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from circles.asyncapi_document import asyncapi_document, asyncapi_json_text
from circles.http_headers import DOCS_CSP, LIVE_DOCS_CSP
from circles.reference.live_page import render_live_page

router = APIRouter(include_in_schema=False)

ASSET_PREFIX = "/docs/assets"
_CSP = "Content-Security-Policy"


@dataclass(frozen=True)
class Asset:
    path: Path
    media_type: str


def _asset_files() -> dict[str, Asset]:
    own = Path(str(files("circles.reference") / "static"))
    swagger = Path(str(files("fastapi_offline") / "static"))
    return {
        "swagger-ui-bundle.js": Asset(swagger / "swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
        "swagger-ui.css": Asset(swagger / "swagger-ui.css", "text/css; charset=utf-8"),
        "swagger-init.js": Asset(own / "swagger-init.js", "text/javascript; charset=utf-8"),
        "reference.css": Asset(own / "reference.css", "text/css; charset=utf-8"),
    }


ASSETS = _asset_files()


def _serve_asset(asset: Asset) -> Callable[[], FileResponse]:
    def serve() -> FileResponse:
        return FileResponse(asset.path, media_type=asset.media_type, headers={"Cache-Control": "public, max-age=3600"})

    return serve


for _name, _asset in ASSETS.items():
    router.add_api_route(f"{ASSET_PREFIX}/{_name}", _serve_asset(_asset), methods=["GET"], include_in_schema=False)


def nav(root: str, current: str) -> str:
    links = [
        ("/docs", "REST API"),
        ("/docs/live", "Live protocol"),
        ("/openapi.json", "openapi.json"),
        ("/docs/asyncapi.json", "asyncapi.json"),
    ]
    items = "".join(
        f'<a href="{html.escape(root + path)}"{" aria-current=page" if path == current else ""}>{label}</a>'
        for path, label in links
    )
    return f'<nav class="docs-nav" aria-label="Docs"><strong>Circles</strong>{items}</nav>'


@router.get("/docs", response_class=HTMLResponse)
def rest_reference(request: Request) -> HTMLResponse:
    """Swagger UI over /openapi.json, started by a script file (no inline script)."""
    root = request.scope.get("root_path", "")
    assets = root + ASSET_PREFIX
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Circles API reference</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
<link rel="stylesheet" href="{assets}/reference.css">
</head><body>
{nav(root, "/docs")}
<div id="swagger-ui" data-openapi-url="{html.escape(root)}/openapi.json"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{assets}/swagger-init.js"></script>
</body></html>
"""
    return HTMLResponse(page, headers={_CSP: DOCS_CSP})


@router.get("/docs/live", response_class=HTMLResponse)
def live_reference(request: Request) -> HTMLResponse:
    """The live protocol, rendered from the AsyncAPI document: HTML and a stylesheet, no script."""
    root = request.scope.get("root_path", "")
    return HTMLResponse(_live_page(root), headers={_CSP: LIVE_DOCS_CSP})


@router.get("/openapi.json")
def openapi_json(request: Request) -> JSONResponse:
    """The OpenAPI document of the REST API (the same as openapi/openapi.json)."""
    return JSONResponse(request.app.openapi())


@router.get("/docs/asyncapi.json")
def asyncapi_json() -> Response:
    """The AsyncAPI 3.0 document of the live protocol (the same as openapi/asyncapi.json)."""
    return Response(_asyncapi_text(), media_type="application/json")


@cache
def _asyncapi_text() -> str:
    return asyncapi_json_text()


@lru_cache(maxsize=4)
def _live_page(root: str) -> str:
    document = asyncapi_document()  # not the sorted JSON: fields stay in the order frames carry them
    return render_live_page(document, stylesheet=f"{root}{ASSET_PREFIX}/reference.css", nav=nav(root, "/docs/live"))

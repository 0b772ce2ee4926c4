"""examples/zoom-app, run as Zoom would run it: the very page, in Chromium, with a stand-in for Zoom's Apps
SDK (`zoomSdk`) whose `getAppContext()` gives a real app context, built as Zoom builds it, against a real
`circles serve`. The page must seat its Zoom user and open the circle page with their token."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.factories import auth, create_circle, ok
from tests.live.conftest import StartServer
from tests.zoom_tokens import claims, zoom_context

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "zoom-app"
ZOOM_SECRET = "zoom-client-secret-for-the-browser"
MEETING = "browserMeeting/uuid=="
CONTENT_TYPES = {".html": "text/html", ".js": "text/javascript"}


def _serve(file: Path) -> Callable[[Any], None]:
    body, kind = file.read_text(), CONTENT_TYPES[file.suffix]
    return lambda route: route.fulfill(body=body, content_type=kind)


def _stub_sdk(context: str, screen_name: str) -> str:
    """Zoom's SDK as the page sees it: `config`, then the app context and the user's screen name."""
    return f"""
        window.zoomSdk = {{
            configured: false,
            async config(options) {{
                this.configured = options.capabilities.includes("getAppContext");
                return {{ runningContext: "inMeeting" }};
            }},
            async getAppContext() {{
                if (!this.configured) throw new Error("config first");
                return {{ context: {json.dumps(context)} }};
            }},
            async getUserContext() {{ return {{ screenName: {json.dumps(screen_name)}, role: "attendee" }}; }},
        }};
    """


def test_the_zoom_app_sample_seats_its_zoom_user_and_opens_the_circle_page(
    browser: Any, start_server: StartServer
) -> None:
    server = start_server(env={"CIRCLES_SECRET_KEY": "a-secret-key-for-the-browser-test"})
    http = server.http()
    zoom = {"client_id": "browserZoomApp", "client_secret": ZOOM_SECRET}
    ok(http.put("/v1/app/zoom", json=zoom, headers=auth(server.app_key)))
    circle = create_circle(http, server.app_key, name="Zoom circle", zoom_meeting_uuid=MEETING)
    context = zoom_context(claims("zoomUserInBrowser", MEETING), ZOOM_SECRET)

    browser_context = browser.new_context()
    browser_context.set_default_timeout(ACTION_TIMEOUT_MS)
    sdk = _stub_sdk(context, "Ana in Zoom")
    browser_context.route(
        "https://appssdk.zoom.us/sdk.min.js", lambda r: r.fulfill(body=sdk, content_type="text/javascript")
    )
    for file in EXAMPLE.glob("*.*"):  # the example served from Circles' own origin, as a proxy would
        if file.suffix in CONTENT_TYPES:
            browser_context.route(f"{server.base_url}/zoom-app/{file.name}", _serve(file))
    errors: list[str] = []
    page = browser_context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{server.base_url}/zoom-app/index.html")
        page.wait_for_url(re.compile(rf"/circle/{circle['id']}$"))  # the token was taken from the fragment
        expect(page.locator("#circle-name")).to_have_text("Zoom circle")
        expect(page.locator("#seats")).to_contain_text("Ana in Zoom")
        expect(page.locator("#connection")).to_have_attribute("data-phase", "live")
        stored = page.evaluate(f"sessionStorage.getItem('circles.token.{circle['id']}')")
    finally:
        browser_context.close()
    assert errors == []
    people = ok(http.get(f"/v1/circles/{circle['id']}/participants", headers=auth(server.app_key)))["items"]
    assert [(p["display_name"], p["external_id"], p["role"]) for p in people] == [
        ("Ana in Zoom", "zoomUserInBrowser", "member")
    ]
    assert stored is not None and stored.startswith("cpt_")
    assert ok(http.get(f"/v1/circles/{circle['id']}/state", headers=auth(stored)))["circle"]["id"] == circle["id"]
    assert "zoomUserInBrowser" not in server.log_path.read_text()  # the uid is never logged

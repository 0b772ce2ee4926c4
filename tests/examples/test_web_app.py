"""examples/web-app against a real Circles server: it starts a circle, seats everyone with the app's own
ids, hands out working links, and finds a person again by their id for a fresh link."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import httpx

from tests.examples.web_app_process import web_app
from tests.factories import auth, ok
from tests.live.conftest import Server, live_template, server, start_server  # noqa: F401 (fixtures)


def test_the_example_starts_a_circle_and_hands_out_each_persons_link(server: Server, tmp_path: Path) -> None:  # noqa: F811
    with (
        web_app(server.base_url, server.app_key, tmp_path / "web-app.log") as app_url,
        httpx.Client(base_url=app_url, trust_env=False, timeout=15.0) as app,
    ):
        page = app.get("/")
        assert page.status_code == 200 and "<form" in page.text

        started = ok(app.post("/circles", json={"name": "Tuesday check-in", "people": ["Kim", "Ana", "Bo"]}), 201)
        circle_id = started["circle_id"]
        assert [(p["name"], p["role"]) for p in started["people"]] == [
            ("Kim", "keeper"),
            ("Ana", "member"),
            ("Bo", "member"),
        ]
        http = server.http()
        seated = ok(http.get(f"/v1/circles/{circle_id}/participants", headers=auth(server.app_key)))["items"]
        assert [(p["display_name"], p["external_id"]) for p in seated] == [
            ("Kim", "person-1"),
            ("Ana", "person-2"),
            ("Bo", "person-3"),
        ]
        for person in started["people"]:  # each link is the circle page, and its token works
            link = urlsplit(person["link"])
            assert f"{link.scheme}://{link.netloc}" == server.base_url and link.path == f"/circle/{circle_id}"
            token = link.fragment.removeprefix("token=")
            assert http.get(link.path).status_code == 200
            ok(http.get(f"/v1/circles/{circle_id}/state", headers=auth(token)))

        ana_token = urlsplit(started["people"][1]["link"]).fragment.removeprefix("token=")
        fresh = ok(app.post("/links", json={"circle_id": circle_id, "external_id": "person-2"}), 201)
        assert fresh["name"] == "Ana"
        new_token = urlsplit(fresh["link"]).fragment.removeprefix("token=")
        ok(http.get(f"/v1/circles/{circle_id}/state", headers=auth(new_token)))
        assert http.get(f"/v1/circles/{circle_id}/state", headers=auth(ana_token)).status_code == 401  # replaced

        refused = app.post("/links", json={"circle_id": circle_id, "external_id": "person-9"})
        assert refused.status_code == 422 and refused.json()["detail"] == "No one in this circle has that id."

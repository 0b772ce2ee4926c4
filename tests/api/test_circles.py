"""Circles and participants: create, read, list, change, erase."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.factories import auth, create_circle, events, ok, seat, start_round, state


def test_create_and_read_a_circle(client: TestClient, app_key: str) -> None:
    circle = create_circle(
        client, app_key, intention="To be heard", agreements=["What is shared here stays here"], turn_seconds=90
    )
    assert circle["status"] == "open" and circle["time_limit"] == "soft"
    assert ok(client.get(f"/v1/circles/{circle['id']}", headers=auth(app_key))) == circle


def test_circles_are_listed_page_by_page(client: TestClient, app_key: str, other_app_key: str) -> None:
    made = [create_circle(client, app_key, name=f"c{n}")["id"] for n in range(5)]
    create_circle(client, other_app_key, name="not yours")
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = ok(client.get("/v1/circles", params=params, headers=auth(app_key)))
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == made


def test_participants_are_listed_in_seat_order_page_by_page(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key)
    for name, number in [("C", 30), ("A", 10), ("B", 20)]:
        seat(client, app_key, circle["id"], name, seat=number)
    url = f"/v1/circles/{circle['id']}/participants"
    first = ok(client.get(url, params={"limit": 2}, headers=auth(app_key)))
    rest = ok(client.get(url, params={"cursor": first["next_cursor"]}, headers=auth(app_key)))
    assert [p["display_name"] for p in first["items"] + rest["items"]] == ["A", "B", "C"]
    assert rest["next_cursor"] is None
    assert all(p["online"] is False and "token" not in p for p in first["items"])


def test_changing_a_circle_is_logged(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key)
    changed = ok(
        client.patch(
            f"/v1/circles/{circle['id']}", json={"name": "Thursday", "time_limit": "hard"}, headers=auth(app_key)
        )
    )
    assert (changed["name"], changed["time_limit"]) == ("Thursday", "hard")
    (event,) = events(client, app_key, circle["id"])
    assert event["name"] == "circle.updated" and event["data"]["circle"]["name"] == "Thursday"


def test_a_round_takes_the_circles_timing_unless_it_says_otherwise(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key, turn_seconds=120, time_limit="hard")
    seat(client, app_key, circle["id"], "Ana")
    round_ = start_round(client, app_key, circle["id"])
    assert (round_["turn_seconds"], round_["time_limit"]) == (120, "hard")
    ok(client.post(f"/v1/circles/{circle['id']}/rounds/{round_['id']}/end", headers=auth(app_key)))
    untimed = start_round(client, app_key, circle["id"], turn_seconds=None, time_limit="soft")
    assert (untimed["turn_seconds"], untimed["time_limit"]) == (None, "soft")
    assert untimed["turns"][0]["deadline"] is None


def test_the_snapshot_has_everything_a_screen_draws(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key)
    ana = seat(client, app_key, circle["id"], "Ana")
    round_ = start_round(client, app_key, circle["id"], prompt="What are you grateful for?")
    snapshot = state(client, ana["token"], circle["id"])
    assert set(snapshot) == {
        "seq",
        "server_time",
        "circle",
        "participants",
        "audience",
        "round",
        "turn",
        "hands",
        "gathering",
        "breakout",
    }
    assert snapshot["round"]["prompt"] == "What are you grateful for?"
    assert snapshot["turn"]["participant_id"] == ana["id"]
    assert snapshot["seq"] == len(events(client, app_key, circle["id"]))
    assert snapshot["round"]["id"] == round_["id"]


def test_the_snapshot_counts_witnesses_and_the_participants_listing_names_them(
    client: TestClient, app_key: str
) -> None:
    circle = create_circle(client, app_key)
    seat(client, app_key, circle["id"], "Ana")
    for name in ("Wes", "Wil", "Wyn"):
        seat(client, app_key, circle["id"], name, role="witness")
    wes = seat(client, app_key, circle["id"], "Wen", role="witness")
    client.delete(f"/v1/circles/{circle['id']}/participants/{wes['id']}", headers=auth(app_key)).raise_for_status()
    snapshot = state(client, app_key, circle["id"])
    assert [p["display_name"] for p in snapshot["participants"]] == ["Ana"]
    assert snapshot["audience"] == {"witnesses": 3, "online": 0}
    listed = client.get(f"/v1/circles/{circle['id']}/participants", headers=auth(app_key)).json()["items"]
    assert sorted(p["display_name"] for p in listed) == ["Ana", "Wes", "Wil", "Wyn"]


def _rows_naming(database_url: str, circle_id: str) -> dict[str, int]:
    """How many rows of each table belong to the circle, read straight from the database."""
    key = uuid.UUID(circle_id).hex if database_url.startswith("sqlite") else circle_id
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            return {
                table: connection.execute(
                    sa.text(f"SELECT count(*) FROM {table} WHERE {'id' if table == 'circle' else 'circle_id'} = :c"),
                    {"c": key},
                ).scalar_one()
                for table in ("circle", "participant", "round", "turn", "event")
            }
    finally:
        engine.dispose()


def test_erasing_a_circle_removes_everything_in_it(client: TestClient, app_key: str, database_url: str) -> None:
    circle = create_circle(client, app_key)
    ana = seat(client, app_key, circle["id"], "Ana")
    start_round(client, app_key, circle["id"])
    assert all(count > 0 for count in _rows_naming(database_url, circle["id"]).values())
    assert client.delete(f"/v1/circles/{circle['id']}", headers=auth(app_key)).status_code == 204
    assert client.get(f"/v1/circles/{circle['id']}", headers=auth(app_key)).status_code == 404
    assert client.get(f"/v1/circles/{circle['id']}/events", headers=auth(app_key)).status_code == 404
    assert client.get(f"/v1/circles/{circle['id']}", headers=auth(ana["token"])).status_code == 401
    assert set(_rows_naming(database_url, circle["id"]).values()) == {0}

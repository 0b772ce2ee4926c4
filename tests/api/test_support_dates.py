"""Support dates through the REST API: two people, their own circle, meetings on the turn engine, the
schedule and its calendar, `support_date.due` once per meeting, ending, erasure, and airtime."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from starlette.websockets import WebSocketDisconnect

from circles.app import create_app
from circles.clock import ManualClock
from tests.api.test_audit_and_privacy import _dump
from tests.conftest import make_settings, new_app_key
from tests.factories import auth, create_circle, events, ok, open_turn, problem, seat

WEEKLY = {"rrule": "FREQ=WEEKLY;BYDAY=TU", "start": "2027-03-09T19:00:00", "time_zone": "Europe/Berlin"}
# Monday 2027-03-08, noon UTC: the first Tuesday meeting is the next day.
MONDAY = datetime(2027, 3, 8, 12, 0, tzinfo=UTC)


def arrange(client: TestClient, key: str, **fields: Any) -> dict[str, Any]:
    body = {
        "people": [
            {"external_id": "ext-ana", "display_name": "Ana"},
            {"external_id": "ext-ben", "display_name": "Ben"},
        ],
        "seconds_each": 120,
        **fields,
    }
    return ok(client.post("/v1/support-dates", json=body, headers=auth(key)), 201)


def people(date: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    ana, ben = date["people"]
    return {**ana, "token": date["tokens"]["ext-ana"]}, {**ben, "token": date["tokens"]["ext-ben"]}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(MONDAY)


@pytest.fixture
def clocked(database_url: str, clock: ManualClock) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(database_url), clock=clock)) as test_client:
        yield test_client


def advance(client: TestClient, clock: ManualClock, seconds: float) -> None:
    """Move the app's clock on, on its event loop, and wait for the announcements that came due."""
    assert client.portal is not None
    client.portal.call(clock.advance, seconds)
    client.portal.call(client.app.state.support_dates_due.settled)  # type: ignore[attr-defined]


def test_a_reciprocal_date_meets_on_the_turn_engine_and_who_starts_alternates(client: TestClient, app_key: str) -> None:
    date = arrange(client, app_key)
    ana, ben = people(date)
    assert (date["kind"], date["status"], date["seconds_each"], date["time_limit"]) == (
        "reciprocal",
        "active",
        120,
        "hard",
    )
    assert [(p["display_name"], p["external_id"], p["speaks"]) for p in date["people"]] == [
        ("Ana", "ext-ana", True),
        ("Ben", "ext-ben", True),
    ]
    assert date["next_starts_with"] == ana["participant_id"]
    assert date["schedule"] is None and date["next_occurrences"] == []
    circle_id, url = date["circle_id"], f"/v1/support-dates/{date['id']}"
    assert ok(client.get(f"/v1/circles/{circle_id}", headers=auth(app_key)))["kind"] == "support_date"
    for credential in (app_key, ana["token"], ben["token"]):  # the app and both of the two read it
        read = ok(client.get(url, headers=auth(credential)))
        assert read["id"] == date["id"] and "tokens" not in read

    meeting = ok(client.post(f"{url}/meetings", headers=auth(ben["token"])), 201)
    turn = open_turn(meeting)
    assert turn is not None and turn["participant_id"] == ana["participant_id"]
    started = datetime.fromisoformat(turn["started_at"])
    assert datetime.fromisoformat(turn["deadline"]) - started == timedelta(seconds=120)
    problem(client.post(f"{url}/meetings", headers=auth(ana["token"])), 409, "round_already_active")
    # The swap is the piece passing; either of the two may pause and resume (both keep the date).
    rounds = f"/v1/circles/{circle_id}/rounds/{meeting['id']}"
    ok(client.post(f"{rounds}/pause", headers=auth(ben["token"])))
    ok(client.post(f"{rounds}/resume", headers=auth(ana["token"])))
    swap = f"/v1/circles/{circle_id}/turns/{turn['id']}/finish"
    swapped = ok(client.post(swap, json={"outcome": "spoke"}, headers=auth(ana["token"])))
    second = open_turn(swapped)
    assert second is not None and second["participant_id"] == ben["participant_id"]
    done = f"/v1/circles/{circle_id}/turns/{second['id']}/finish"
    ended = ok(client.post(done, json={"outcome": "spoke"}, headers=auth(ben["token"])))
    assert (ended["status"], ended["end_reason"]) == ("ended", "completed")
    assert [t["participant_id"] for t in ended["turns"]] == [ana["participant_id"], ben["participant_id"]]

    # The next meeting starts with Ben, the one after with Ana again.
    assert ok(client.get(url, headers=auth(app_key)))["next_starts_with"] == ben["participant_id"]
    nxt = ok(client.post(f"{url}/meetings", headers=auth(ana["token"])), 201)
    assert open_turn(nxt)["participant_id"] == ben["participant_id"]  # type: ignore[index]
    assert ok(client.get(url, headers=auth(app_key)))["next_starts_with"] == ana["participant_id"]
    audit = ok(client.get("/v1/app/audit", headers=auth(app_key)))["items"]
    arranged = next(e for e in audit if e["action"] == "create_support_date")
    assert (arranged["circle_id"], arranged["object_id"]) == (circle_id, date["id"])
    assert {(e["action"], e["actor"], e["circle_id"]) for e in audit if e["action"] == "start_meeting"} == {
        ("start_meeting", "member", circle_id)
    }
    names = [e["name"] for e in events(client, ana["token"], circle_id)]
    assert names[:3] == ["participant.joined", "participant.joined", "support_date.created"]
    assert names.count("round.started") == 2


def test_a_mentoring_date_gives_the_piece_only_to_the_one_who_speaks(client: TestClient, app_key: str) -> None:
    date = arrange(client, app_key, kind="mentoring", speaker="ext-ben", seconds_each=300)
    ana, ben = people(date)
    assert [p["speaks"] for p in date["people"]] == [False, True]
    assert date["next_starts_with"] == ben["participant_id"]
    url = f"/v1/support-dates/{date['id']}"
    meeting = ok(client.post(f"{url}/meetings", headers=auth(ana["token"])), 201)  # the listener may begin it
    turn = open_turn(meeting)
    assert turn is not None and turn["participant_id"] == ben["participant_id"]
    finished = ok(
        client.post(
            f"/v1/circles/{date['circle_id']}/turns/{turn['id']}/finish",
            json={"outcome": "spoke"},
            headers=auth(ben["token"]),
        )
    )
    assert (finished["status"], finished["end_reason"]) == ("ended", "completed")  # the listener only listens
    assert {t["participant_id"] for t in finished["turns"]} == {ben["participant_id"]}
    # Mentoring: always the same one begins.
    assert ok(client.get(url, headers=auth(ana["token"])))["next_starts_with"] == ben["participant_id"]
    airtime = ok(client.get(f"{url}/airtime", headers=auth(ana["token"])))
    assert airtime["meetings"] == 1 and airtime["shared_equally"] is None


def test_a_third_person_never_reads_or_joins_a_date_and_another_apps_ids_are_404(
    client: TestClient, app_key: str, other_app_key: str
) -> None:
    date = arrange(client, app_key)
    ana, ben = people(date)
    other = arrange(client, app_key)
    stranger = people(other)[0]  # someone in another date of the same app
    circle = create_circle(client, app_key)
    member = seat(client, app_key, circle["id"], "Mo")  # someone in a circle of the same app
    url = f"/v1/support-dates/{date['id']}"
    person = f"{url}/people/{ana['participant_id']}"
    for credential in (other_app_key, stranger["token"], member["token"]):
        for method, path in [
            ("GET", url),
            ("POST", f"{url}/meetings"),
            ("POST", f"{url}/end"),
            ("GET", f"{url}/calendar.ics"),
            ("GET", f"{url}/airtime"),
            ("POST", f"{person}/token"),
        ]:
            problem(client.request(method, path, headers=auth(credential)), 404, "support_date_not_found")
        problem(client.get(f"/v1/circles/{date['circle_id']}/state", headers=auth(credential)), 404, "circle_not_found")
        with client.websocket_connect(f"/v1/circles/{date['circle_id']}/live") as socket:
            socket.send_json({"type": "auth", "token": credential})
            with pytest.raises(WebSocketDisconnect) as closed:
                socket.receive_json()
            assert closed.value.code == 4404
    # No one is seated in a date's circle but its two, not even by the app; their roles stay.
    seat_url = f"/v1/circles/{date['circle_id']}/participants"
    for credential in (app_key, ana["token"]):
        problem(
            client.post(seat_url, json={"display_name": "Third"}, headers=auth(credential)),
            409,
            "support_date_is_for_two",
        )
    role = client.patch(f"{seat_url}/{ben['participant_id']}", json={"role": "witness"}, headers=auth(app_key))
    problem(role, 409, "support_date_is_for_two")
    # Both keep the meetings, but neither acts on the other: no renaming, removing or renewing the partner.
    partner = f"{seat_url}/{ben['participant_id']}"
    problem(client.patch(partner, json={"display_name": "B"}, headers=auth(ana["token"])), 403, "forbidden")
    problem(client.post(f"{partner}/token", headers=auth(ana["token"])), 403, "forbidden")
    problem(client.delete(partner, headers=auth(ana["token"])), 403, "forbidden")
    problem(client.get(partner, headers=auth(ana["token"])), 403, "forbidden")
    ok(client.patch(f"{seat_url}/{ana['participant_id']}", json={"display_name": "Ana B."}, headers=auth(ana["token"])))
    # Each renews their own token only; erasing and listing are the app's.
    problem(client.post(f"{url}/people/{ben['participant_id']}/token", headers=auth(ana["token"])), 403, "self_or_app")
    problem(client.post(f"{person}/erase", headers=auth(ana["token"])), 403, "app_only")
    # A token lists only the date it is for; a circle's participant has none.
    assert [d["id"] for d in ok(client.get("/v1/support-dates", headers=auth(ana["token"])))["items"]] == [date["id"]]
    assert ok(client.get("/v1/support-dates", headers=auth(member["token"])))["items"] == []
    problem(client.get(f"{url}/people/{member['id']}/token", headers=auth(app_key)), 405, "method_not_allowed")
    problem(client.post(f"{url}/people/{member['id']}/token", headers=auth(app_key)), 404, "participant_not_found")
    assert ok(client.get("/v1/support-dates", headers=auth(other_app_key)))["items"] == []


def test_a_token_is_renewed_and_the_old_one_stops_working(client: TestClient, app_key: str) -> None:
    date = arrange(client, app_key)
    ana, _ = people(date)
    url = f"/v1/support-dates/{date['id']}"
    renewed = ok(client.post(f"{url}/people/{ana['participant_id']}/token", headers=auth(ana["token"])))
    assert renewed["participant_id"] == ana["participant_id"]
    problem(client.get(url, headers=auth(ana["token"])), 401, "unauthenticated")
    ok(client.get(url, headers=auth(renewed["token"])))
    again = ok(client.post(f"{url}/people/{ana['participant_id']}/token", headers=auth(app_key)))
    problem(client.get(url, headers=auth(renewed["token"])), 401, "unauthenticated")
    ok(client.get(url, headers=auth(again["token"])))


def test_the_app_lists_its_dates_and_one_persons(client: TestClient, app_key: str) -> None:
    first = arrange(client, app_key)
    body = {
        "people": [{"external_id": "ext-cy", "display_name": "Cy"}, {"external_id": "ext-ana", "display_name": "A"}]
    }
    second = ok(client.post("/v1/support-dates", json={**body, "seconds_each": 60}, headers=auth(app_key)), 201)
    arrange_third = ok(
        client.post(
            "/v1/support-dates",
            json={"people": [body["people"][0], {"external_id": "ext-di", "display_name": "Di"}], "seconds_each": 60},
            headers=auth(app_key),
        ),
        201,
    )
    listed = ok(client.get("/v1/support-dates", params={"limit": 2}, headers=auth(app_key)))
    assert [d["id"] for d in listed["items"]] == [first["id"], second["id"]]
    rest = ok(client.get("/v1/support-dates", params={"cursor": listed["next_cursor"]}, headers=auth(app_key)))
    assert [d["id"] for d in rest["items"]] == [arrange_third["id"]] and rest["next_cursor"] is None
    anas = ok(client.get("/v1/support-dates", params={"external_id": "ext-ana"}, headers=auth(app_key)))
    assert [d["id"] for d in anas["items"]] == [first["id"], second["id"]]


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"schedule": {**WEEKLY, "rrule": "FREQ=FORTNIGHTLY"}}, "FREQ"),
        ({"schedule": {**WEEKLY, "rrule": "FREQ=WEEKLY;BYDAY=XX"}}, "rrule"),
        ({"schedule": {**WEEKLY, "rrule": "FREQ=HOURLY"}}, "FREQ"),
        ({"schedule": {**WEEKLY, "rrule": "FREQ=WEEKLY\nDTSTART:20270101T000000Z"}}, "rrule"),
        ({"schedule": {**WEEKLY, "rrule": "FREQ=WEEKLY;COUNT=0"}}, "no meeting"),
        ({"schedule": {**WEEKLY, "time_zone": "Mars/Olympus_Mons"}}, "time_zone"),
        ({"schedule": {**WEEKLY, "time_zone": "../../etc/passwd"}}, "time_zone"),
        ({"schedule": {**WEEKLY, "start": "2027-03-09T19:00:00+01:00"}}, "offset"),
        ({"kind": "mentoring"}, "speaker"),
        ({"kind": "mentoring", "speaker": "ext-nobody"}, "speaker"),
        ({"speaker": "ext-ana"}, "speaker"),
        ({"seconds_each": 5}, "seconds_each"),
        (
            {"people": [{"external_id": "same", "display_name": "A"}, {"external_id": "same", "display_name": "B"}]},
            "two",
        ),
        ({"people": [{"external_id": "solo", "display_name": "A"}]}, "people"),
        ({"note": "what I said tonight"}, "note"),
    ],
)
def test_a_bad_date_is_refused_with_what_is_wrong(
    client: TestClient, app_key: str, change: dict[str, Any], says: str
) -> None:
    body = {
        "people": [
            {"external_id": "ext-ana", "display_name": "Ana"},
            {"external_id": "ext-ben", "display_name": "Ben"},
        ],
        "seconds_each": 120,
        **change,
    }
    refused = problem(client.post("/v1/support-dates", json=body, headers=auth(app_key)), 422, "validation_error")
    assert says in str(refused["errors"]) + refused["detail"]
    assert ok(client.get("/v1/support-dates", headers=auth(app_key)))["items"] == []


def test_the_schedule_gives_the_next_meetings_and_a_calendar(clocked: TestClient, database_url: str) -> None:
    key = new_app_key(database_url)
    date = arrange(clocked, key, schedule=WEEKLY)
    ana, _ = people(date)
    assert date["schedule"] == WEEKLY
    # 19:00 in Berlin: 18:00 UTC until the clocks go forward on 28 March, then 17:00 UTC.
    assert date["next_occurrences"] == [
        "2027-03-09T18:00:00Z",
        "2027-03-16T18:00:00Z",
        "2027-03-23T18:00:00Z",
        "2027-03-30T17:00:00Z",
        "2027-04-06T17:00:00Z",
    ]
    response = clocked.get(f"/v1/support-dates/{date['id']}/calendar.ics", headers=auth(ana["token"]))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=TU"
    assert event.decoded("DTSTART") == datetime(2027, 3, 9, 19, 0, tzinfo=event.decoded("DTSTART").tzinfo)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("DURATION") == timedelta(minutes=4)  # two minutes each way
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert b"Ana" not in response.content and b"ext-ana" not in response.content
    assert "STATUS" not in event
    # Without a schedule: a calendar with no event.
    bare = arrange(clocked, key)
    plain = clocked.get(f"/v1/support-dates/{bare['id']}/calendar.ics", headers=auth(key))
    assert Calendar.from_ical(plain.content).walk("VEVENT") == []


def test_a_due_meeting_is_announced_once_even_with_two_instances(database_url: str) -> None:
    first_clock, second_clock = ManualClock(MONDAY), ManualClock(MONDAY)
    settings = make_settings(database_url)
    key = new_app_key(database_url)
    with (
        TestClient(create_app(settings, clock=first_clock)) as first,
        TestClient(create_app(settings, clock=second_clock)) as second,
    ):
        date = arrange(first, key, schedule=WEEKLY)
        assert second.portal is not None
        second.portal.call(second.app.state.support_dates_due.sweep, None)  # type: ignore[attr-defined]
        # A minute before the meeting: nothing yet.
        for client, clock in ((first, first_clock), (second, second_clock)):
            advance(client, clock, timedelta(days=1, hours=6, minutes=-1).total_seconds())
        assert [e for e in events(first, key, date["circle_id"]) if e["name"] == "support_date.due"] == []
        # Both instances reach the meeting at once, each on its own event loop: one announces it.
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda pair: advance(*pair, 61), ((first, first_clock), (second, second_clock))))
        due = [e for e in events(first, key, date["circle_id"]) if e["name"] == "support_date.due"]
        assert [e["data"] for e in due] == [
            {
                "support_date_id": date["id"],
                "occurrence_at": "2027-03-09T18:00:00Z",
                "ends_at": "2027-03-09T18:04:00Z",
                "starts_with": date["people"][0]["participant_id"],
                "next_due_at": "2027-03-16T18:00:00Z",
            }
        ]
        # A week on, the next one, once again.
        for client, clock in ((second, second_clock), (first, first_clock)):
            advance(client, clock, timedelta(days=7).total_seconds())
        due = [e for e in events(first, key, date["circle_id"]) if e["name"] == "support_date.due"]
        assert [e["data"]["occurrence_at"] for e in due] == ["2027-03-09T18:00:00Z", "2027-03-16T18:00:00Z"]


def test_a_meeting_missed_while_nothing_ran_is_not_announced_late(clocked: TestClient, clock: ManualClock) -> None:
    key = new_app_key(str(clocked.app.state.settings.database_url))  # type: ignore[attr-defined]
    date = arrange(clocked, key, schedule=WEEKLY)
    url = f"/v1/support-dates/{date['id']}"
    # Jump straight to two hours after the first meeting: it is past, and the next one is what comes.
    assert clocked.portal is not None
    clocked.portal.call(clock.set, datetime(2027, 3, 9, 20, 0, tzinfo=UTC))
    clocked.portal.call(clocked.app.state.support_dates_due.settled)  # type: ignore[attr-defined]
    assert [e for e in events(clocked, key, date["circle_id"]) if e["name"] == "support_date.due"] == []
    assert ok(clocked.get(url, headers=auth(key)))["next_occurrences"][0] == "2027-03-16T18:00:00Z"


def test_either_person_ends_the_date_at_any_time(clocked: TestClient, clock: ManualClock, database_url: str) -> None:
    key = new_app_key(database_url)
    date = arrange(clocked, key, schedule=WEEKLY)
    ana, ben = people(date)
    url = f"/v1/support-dates/{date['id']}"
    ok(clocked.post(f"{url}/meetings", headers=auth(ana["token"])), 201)
    with clocked.websocket_connect(f"/v1/circles/{date['circle_id']}/live") as socket:
        socket.send_json({"type": "auth", "token": ana["token"]})
        assert socket.receive_json()["type"] == "welcome"
        assert socket.receive_json()["type"] == "snapshot"
        ended = ok(clocked.post(f"{url}/end", headers=auth(ben["token"])))
        names = []
        with pytest.raises(WebSocketDisconnect) as closed:
            while True:
                frame = socket.receive_json()
                names.append(frame.get("name"))
        assert closed.value.code == 4410
    # The date ends, then its meeting, then its circle closes (and the socket with it).
    assert names[0] == "support_date.ended" and names[-1] == "circle.closed"
    assert "round.ended" in names
    assert (ended["status"], ended["next_starts_with"], ended["next_occurrences"]) == ("ended", None, [])
    log = events(clocked, key, date["circle_id"])
    assert [e["data"] for e in log if e["name"] == "support_date.ended"] == [
        {"support_date_id": date["id"], "ended_by": ben["participant_id"]}
    ]
    assert ok(clocked.post(f"{url}/end", headers=auth(ana["token"])))["ended_at"] == ended["ended_at"]  # no change
    problem(clocked.post(f"{url}/meetings", headers=auth(ana["token"])), 409, "support_date_ended")
    calendar = Calendar.from_ical(clocked.get(f"{url}/calendar.ics", headers=auth(ana["token"])).content)
    assert [str(e["STATUS"]) for e in calendar.walk("VEVENT")] == ["CANCELLED"]
    advance(clocked, clock, timedelta(days=2).total_seconds())  # its meeting passes: not announced
    assert [e for e in events(clocked, key, date["circle_id"]) if e["name"] == "support_date.due"] == []


def test_airtime_says_whether_the_time_was_shared_equally(
    clocked: TestClient, clock: ManualClock, database_url: str
) -> None:
    key = new_app_key(database_url)
    date = arrange(clocked, key, seconds_each=60)
    ana, ben = people(date)
    url = f"/v1/support-dates/{date['id']}"
    assert ok(clocked.get(f"{url}/airtime", headers=auth(ben["token"])))["shared_equally"] is None  # no one yet

    def meet(ana_seconds: float, ben_seconds: float) -> dict[str, Any]:
        meeting = ok(clocked.post(f"{url}/meetings", headers=auth(ana["token"])), 201)
        for _ in range(2):
            turn = ok(clocked.get(f"/v1/circles/{date['circle_id']}/state", headers=auth(key)))["turn"]
            holder = ana if turn["participant_id"] == ana["participant_id"] else ben
            advance(clocked, clock, ana_seconds if holder is ana else ben_seconds)
            clocked.post(
                f"/v1/circles/{date['circle_id']}/turns/{turn['id']}/finish",
                json={"outcome": "spoke"},
                headers=auth(holder["token"]),
            )
        assert (
            ok(clocked.get(f"/v1/circles/{date['circle_id']}/rounds/{meeting['id']}", headers=auth(key)))["status"]
            == "ended"
        )
        return ok(clocked.get(f"{url}/airtime", headers=auth(ana["token"])))

    even = meet(58, 60)
    assert (even["meetings"], even["shared_equally"], even["difference_seconds"]) == (1, True, 2)
    uneven = meet(10, 55)  # Ana stopped early this time
    assert uneven["meetings"] == 2 and uneven["shared_equally"] is False
    assert uneven["difference_seconds"] == pytest.approx(47)
    assert {p["participant_id"]: p["held_seconds"] for p in uneven["people"]} == {
        ana["participant_id"]: 68,
        ben["participant_id"]: 115,
    }


def test_erasing_ones_part_removes_everything_that_names_them(
    client: TestClient, app_key: str, database_url: str
) -> None:
    secret = "MARKER-what-i-shared-at-our-date"
    body = {
        "people": [
            {"external_id": "zoom-anastasia", "display_name": "Anastasia Q."},
            {"external_id": "zoom-ben", "display_name": "Ben"},
        ],
        "seconds_each": 120,
        "schedule": WEEKLY,
    }
    arranged = client.post("/v1/support-dates", json=body, headers={**auth(app_key), "Idempotency-Key": "arrange"})
    date = ok(arranged, 201)
    ana, ben = date["people"]
    ana_token = date["tokens"]["zoom-anastasia"]
    url = f"/v1/support-dates/{date['id']}"
    meeting = ok(client.post(f"{url}/meetings", headers=auth(ana_token)), 201)
    problem(
        client.post(
            f"/v1/circles/{date['circle_id']}/turns/{open_turn(meeting)['id']}/finish",  # type: ignore[index]
            json={"outcome": "spoke", "content": secret},
            headers=auth(ana_token),
        ),
        422,
        "validation_error",
    )
    with client.websocket_connect(f"/v1/circles/{date['circle_id']}/live") as socket:
        socket.send_json({"type": "auth", "token": ana_token})
        assert socket.receive_json()["type"] == "welcome"
        socket.send_json({"type": "say", "text": secret})
    # Ben ends it, with an Idempotency-Key: its kept answer names them both, until her erasure.
    bye = client.post(f"{url}/end", headers={**auth(date["tokens"]["zoom-ben"]), "Idempotency-Key": "bye"})
    assert ok(bye)["people"][0]["display_name"] == "Anastasia Q."
    dump = _dump(database_url)
    assert "Anastasia Q." in dump and date["id"].replace("-", "") in dump.replace("-", "")  # the new tables are read
    assert not [token for token in date["tokens"].values() if token in dump]  # the arranging answer is not kept

    assert client.post(f"{url}/people/{ana['participant_id']}/erase", headers=auth(app_key)).status_code == 204
    dump = _dump(database_url)
    for name in ("Anastasia Q.", "zoom-anastasia", secret):
        assert name not in dump
    assert "zoom-ben" in dump  # Ben's part is his
    read = ok(client.get(url, headers=auth(date["tokens"]["zoom-ben"])))
    assert read["status"] == "ended" and read["ended_at"] == ok(bye)["ended_at"]
    assert read["people"][0] | {"participant_id": None} == {
        "participant_id": None,
        "external_id": None,
        "display_name": "(erased)",
        "speaks": True,
        "present": False,
    }
    assert read["people"][1]["display_name"] == "Ben"
    problem(client.get(url, headers=auth(ana_token)), 401, "unauthenticated")


def test_closing_a_dates_circle_as_a_circle_ends_the_date(client: TestClient, app_key: str) -> None:
    date = arrange(client, app_key, schedule=WEEKLY | {"start": "2099-01-06T19:00:00"})
    ana, _ = people(date)
    ok(client.post(f"/v1/circles/{date['circle_id']}/close", headers=auth(ana["token"])))
    url = f"/v1/support-dates/{date['id']}"
    read = ok(client.get(url, headers=auth(app_key)))
    assert (read["status"], read["next_occurrences"]) == ("ended", []) and read["ended_at"] is not None
    problem(client.post(f"{url}/meetings", headers=auth(ana["token"])), 409, "support_date_ended")
    assert ok(client.post(f"{url}/end", headers=auth(ana["token"])))["status"] == "ended"


def test_a_due_meeting_reaches_both_screens_on_the_dates_socket(
    clocked: TestClient, clock: ManualClock, database_url: str
) -> None:
    key = new_app_key(database_url)
    date = arrange(clocked, key, schedule=WEEKLY)
    ana, ben = people(date)
    with (
        clocked.websocket_connect(f"/v1/circles/{date['circle_id']}/live") as ana_socket,
        clocked.websocket_connect(f"/v1/circles/{date['circle_id']}/live") as ben_socket,
    ):
        for socket, person in ((ana_socket, ana), (ben_socket, ben)):
            socket.send_json({"type": "auth", "token": person["token"], "after": 3})  # after support_date.created
            assert socket.receive_json()["type"] == "welcome"
        advance(clocked, clock, timedelta(days=1, hours=6).total_seconds())
        for socket in (ana_socket, ben_socket):
            frame = socket.receive_json()
            while frame["type"] != "event":
                frame = socket.receive_json()
            assert (frame["seq"], frame["name"]) == (4, "support_date.due")
            assert frame["data"]["occurrence_at"] == "2027-03-09T18:00:00Z"
            assert frame["data"]["starts_with"] == ana["participant_id"]

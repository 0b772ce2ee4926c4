"""The audit log says who changed what, and when; nothing a person says, and no credential, is ever stored;
`circles purge` forgets what is past its retention."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
import redis
import sqlalchemy as sa
from fastapi.testclient import TestClient

from circles.app import create_app
from circles.cli import main as cli
from circles.db import Database, create_db_engine
from circles.retention import purge
from circles.schema import utc_now
from tests.conftest import make_settings, new_app_key
from tests.factories import auth, create_circle, finish, ok, open_turn, problem, seat, start_round


def test_every_change_is_audited_with_who_what_and_which(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key)
    ana = seat(client, app_key, circle["id"], "Ana")
    round_ = start_round(client, app_key, circle["id"])
    turn = open_turn(round_)
    ok(finish(client, ana["token"], circle["id"], turn["id"]))
    problem(finish(client, ana["token"], circle["id"], turn["id"]), 409, "turn_not_open")  # refused: not audited

    entries = ok(client.get("/v1/app/audit", headers=auth(app_key)))["items"]
    assert [(e["action"], e["actor"]) for e in entries] == [
        ("finish_turn", "member"),
        ("start_round", "app"),
        ("seat_participant", "app"),
        ("create_circle", "app"),
    ]
    finished, started, seated, created = entries
    assert (finished["actor_id"], finished["circle_id"], finished["object_id"]) == (ana["id"], circle["id"], turn["id"])
    assert (started["object_id"], seated["object_id"]) == (round_["id"], ana["id"])
    assert created["circle_id"] == circle["id"] and created["object_id"] is None
    assert all(len(e["request_id"]) >= 1 for e in entries)
    problem(client.get("/v1/app/audit", headers=auth(ana["token"])), 403, "app_only")


def test_the_audit_log_is_the_apps_own(client: TestClient, app_key: str, other_app_key: str) -> None:
    create_circle(client, app_key)
    assert ok(client.get("/v1/app/audit", headers=auth(other_app_key)))["items"] == []


def test_nothing_a_participant_sends_and_no_credential_is_stored(
    client: TestClient, app_key: str, database_url: str
) -> None:
    secret = "MARKER-what-i-shared-tonight"
    circle = create_circle(client, app_key)
    ana = seat(client, app_key, circle["id"], "Ana")
    cid, url = circle["id"], f"/v1/circles/{circle['id']}/participants/{ana['id']}"
    # Every way a participant could try to send words: unknown fields, a finish with content, the socket.
    problem(
        client.patch(url, json={"display_name": "Ana", "note": secret}, headers=auth(ana["token"])),
        422,
        "validation_error",
    )
    turn = open_turn(start_round(client, app_key, cid))
    body = {"outcome": "spoke", "content": secret}
    response = client.post(f"/v1/circles/{cid}/turns/{turn['id']}/finish", json=body, headers=auth(ana["token"]))
    problem(response, 422, "validation_error")
    with client.websocket_connect(f"/v1/circles/{cid}/live") as socket:
        socket.send_json({"type": "auth", "token": ana["token"]})
        assert socket.receive_json()["type"] == "welcome"
        socket.send_json({"type": "say", "text": secret})
    ok(
        client.post(
            f"/v1/circles/{cid}/turns/{turn['id']}/finish", json={"outcome": "spoke"}, headers=auth(ana["token"])
        )
    )

    # A breakout: nothing said in a pair is taken either, and its tables hold only who, when and in what order.
    ben = seat(client, app_key, cid, "Ben")
    breakouts = f"/v1/circles/{cid}/breakouts"
    refused = client.post(breakouts, json={"seconds_each": 60, "note": secret}, headers=auth(app_key))
    problem(refused, 422, "validation_error")
    breakout = ok(client.post(breakouts, json={"seconds_each": 60}, headers=auth(app_key)), 201)
    pair_turn = next(t for t in breakout["groups"][0]["turns"] if t["position"] == 0)
    holder = ana if pair_turn["participant_id"] == ana["id"] else ben
    said = {"outcome": "spoke", "content": secret}
    finish_url = f"/v1/circles/{cid}/breakout-turns/{pair_turn['id']}/finish"
    problem(client.post(finish_url, json=said, headers=auth(holder["token"])), 422, "validation_error")
    ok(client.post(finish_url, json={"outcome": "spoke"}, headers=auth(holder["token"])))

    dump = _dump(database_url)
    assert secret not in dump
    assert ana["token"] not in dump and app_key not in dump  # only hashes
    assert pair_turn["id"].replace("-", "") in dump.replace("-", "")  # the breakout's tables were read


def test_purge_erases_closed_circles_past_retention_and_nothing_else(
    client: TestClient, app_key: str, database_url: str
) -> None:
    old = create_circle(client, app_key, name="Long closed")
    recent = create_circle(client, app_key, name="Closed yesterday")
    still_open = create_circle(client, app_key, name="Open")
    for circle in (old, recent):
        seat(client, app_key, circle["id"], "Ana")
        ok(client.post(f"/v1/circles/{circle['id']}/close", headers=auth(app_key)))
    _close_long_ago(database_url, "Long closed")

    settings = make_settings(database_url)
    database = Database(create_db_engine(database_url))
    try:
        with database.write_session() as session:
            assert purge(session, settings, utc_now(), dry_run=True).circles == 1
        with database.write_session() as session:
            report = purge(session, settings, utc_now())
    finally:
        database.dispose()
    assert report.circles == 1
    remaining = {c["name"] for c in ok(client.get("/v1/circles", headers=auth(app_key)))["items"]}
    assert remaining == {recent["name"], still_open["name"]}


def _close_long_ago(database_url: str, name: str) -> None:
    """Pretend the circle called `name` closed 91 days ago, past the default retention of 90."""
    long_ago = utc_now() - timedelta(days=91)
    engine = sa.create_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                sa.text("UPDATE circle SET closed_at = :at WHERE name = :name"),
                {"at": long_ago.replace(tzinfo=None) if "sqlite" in database_url else long_ago, "name": name},
            )
    finally:
        engine.dispose()


def test_the_purge_command_reports_what_it_did(database_url: str, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CIRCLES_DATABASE_URL", database_url)
    assert cli(["purge", "--dry-run"]) == 0
    assert "would erase 0 closed circle(s) older than 90 days" in capsys.readouterr().out


def test_the_purge_command_deletes_the_erased_circles_entries_from_the_redis_stream(
    database_url: str, redis_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings(database_url, broker_url=redis_url, redis_prefix=f"circles-test-{uuid.uuid4().hex[:8]}:")
    key = new_app_key(database_url)
    with TestClient(create_app(settings)) as client:
        old = create_circle(client, key, name="Long closed")["id"]
        seat(client, key, old, "Cleo", external_id="zoom-cleo")
        ok(client.post(f"/v1/circles/{old}/close", headers=auth(key)))
        kept = create_circle(client, key, name="Still open")["id"]
        seat(client, key, kept, "Ben", external_id="zoom-ben")
    _close_long_ago(database_url, "Long closed")
    for variable, value in {
        "CIRCLES_DATABASE_URL": database_url,
        "CIRCLES_BROKER_URL": redis_url,
        "CIRCLES_REDIS_PREFIX": settings.redis_prefix,
    }.items():
        monkeypatch.setenv(variable, value)

    assert cli(["purge"]) == 0
    assert "erased 1 closed circle(s)" in capsys.readouterr().out
    after = json.dumps(_stream_entries(redis_url, settings.redis_prefix))
    for name in ("Long closed", "Cleo", "zoom-cleo", old):
        assert name not in after
    assert "zoom-ben" in after and kept in after  # only the erased circle's entries are gone


def _dump(database_url: str) -> str:
    """Every value in every table, as text; and inside every value that holds JSON (a stored answer, an
    event's data), each string as itself, however the JSON escaped it."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            tables = sa.inspect(connection).get_table_names()
            assert "idempotency_record" in tables
            return "\n".join(
                f"{row!r} {_inside(row)}"
                for table in tables
                for row in connection.execute(sa.text(f'SELECT * FROM "{table}"'))
            )
    finally:
        engine.dispose()


def _inside(row: sa.Row) -> str:  # type: ignore[type-arg]
    strings: list[str] = []
    for value in row:
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
        if isinstance(value, dict | list):
            text = json.dumps(value)
        if isinstance(text, str):
            try:
                strings.append(json.dumps(json.loads(text), ensure_ascii=False))
            except ValueError:
                strings.append(text)
    return " ".join(strings)


def test_erasing_a_participant_removes_everything_that_names_them(
    client: TestClient, app_key: str, database_url: str
) -> None:
    circle = create_circle(client, app_key)
    ana = seat(client, app_key, circle["id"], "Anastasia Q.", external_id="zoom-anastasia")
    ben = seat(client, app_key, circle["id"], "Ben")
    url = f"/v1/circles/{circle['id']}/participants/{ana['id']}"
    ok(client.patch(url, json={"display_name": "Ana Q."}, headers=auth(ana["token"])))
    support = f"/v1/circles/{circle['id']}/support"
    asked = ok(client.post(support, headers=auth(ana["token"])), 201)  # who asked for support, and when
    ok(client.post(f"{support}/{asked['id']}/ack", headers=auth(app_key)))
    ok(client.post(support, headers=auth(ana["token"])), 201)  # and one still pending
    bens = ok(client.post(support, headers=auth(ben["token"])), 201)
    round_ = start_round(client, app_key, circle["id"])
    ok(finish(client, ana["token"], circle["id"], open_turn(round_)["id"]))
    assert "Anastasia Q." in _dump(database_url)

    problem(client.post(f"{url}/erase", headers=auth(ana["token"])), 403, "app_only")
    assert client.post(f"{url}/erase", headers=auth(app_key)).status_code == 204

    dump = _dump(database_url)
    for name in ("Anastasia Q.", "Ana Q.", "zoom-anastasia"):
        assert name not in dump
    log = ok(client.get(f"/v1/circles/{circle['id']}/events", headers=auth(app_key)))["items"]
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))  # the log keeps its shape
    assert log[-1]["name"] == "participant.left"
    history = ok(client.get(f"/v1/circles/{circle['id']}/rounds/{round_['id']}", headers=auth(app_key)))
    assert history["turns"][0]["participant_id"] == ana["id"]  # who held the piece, under an id alone
    problem(client.get(f"/v1/circles/{circle['id']}", headers=auth(ana["token"])), 401, "unauthenticated")
    assert ok(client.get(support, headers=auth(app_key)))["items"] == [bens]  # hers are gone, acknowledged or not
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            asked_by = [row[0] for row in connection.execute(sa.text("SELECT participant_id FROM support_signal"))]
    finally:
        engine.dispose()
    assert len(asked_by) == 1  # Ben's, in every circle of the test's database


def test_erasure_reaches_the_answers_kept_for_retries(client: TestClient, app_key: str, database_url: str) -> None:
    circle = create_circle(client, app_key, name="Kept circle", agreements=["We listen."])
    ana = seat(client, app_key, circle["id"], "Anastasía Ü.", external_id="zoom-anastasía")
    url = f"/v1/circles/{circle['id']}/participants/{ana['id']}"
    retry = {**auth(ana["token"]), "Idempotency-Key": "agree"}
    ok(client.post(f"{url}/agreement", json={"agreements_version": 1}, headers=retry))
    ok(client.post(f"/v1/circles/{circle['id']}/support", headers={**auth(ana["token"]), "Idempotency-Key": "s"}), 201)
    assert "Anastasía Ü." in _dump(database_url)  # in the stored answer, as the dump reads it

    assert client.post(f"{url}/erase", headers=auth(app_key)).status_code == 204
    dump = _dump(database_url)
    for name in ("Anastasía Ü.", "zoom-anastasía"):
        assert name not in dump
    replay = client.post(f"{url}/agreement", json={"agreements_version": 1}, headers=retry)
    assert replay.status_code == 401 and "Anastas" not in replay.text

    close = {**auth(app_key), "Idempotency-Key": "close"}
    ok(client.post(f"/v1/circles/{circle['id']}/close", headers=close))
    assert client.delete(f"/v1/circles/{circle['id']}", headers=auth(app_key)).status_code == 204
    assert "Kept circle" not in _dump(database_url)


def _stream_entries(redis_url: str, prefix: str) -> list[dict[str, str]]:
    with redis.Redis.from_url(redis_url, socket_timeout=2, decode_responses=True) as stream:
        try:
            return [fields for _id, fields in stream.xrange(f"{prefix}events")]
        finally:
            stream.delete(*stream.keys(f"{prefix}*"))


@pytest.mark.redis
def test_erasure_reaches_the_copies_of_the_events_in_the_redis_stream(database_url: str, redis_url: str) -> None:
    """Each app's lifetime ends with its stream appends (and an erasure's deletions) done: what the stream
    holds is read after it."""
    settings = make_settings(database_url, broker_url=redis_url, redis_prefix=f"circles-test-{uuid.uuid4().hex[:8]}:")
    key = new_app_key(database_url)
    with TestClient(create_app(settings)) as client:
        kept = create_circle(client, key, name="Kept circle")["id"]
        ana = seat(client, key, kept, "Anastasia Q.", external_id="zoom-anastasia")
        ok(
            client.patch(
                f"/v1/circles/{kept}/participants/{ana['id']}", json={"display_name": "Ana Q."}, headers=auth(key)
            )
        )
        seat(client, key, kept, "Ben", external_id="zoom-ben")
        gone = create_circle(client, key, name="Gone circle")["id"]
        seat(client, key, gone, "Cleo", external_id="zoom-cleo")
    with redis.Redis.from_url(redis_url, socket_timeout=2, decode_responses=True) as stream:
        before = json.dumps(stream.xrange(f"{settings.redis_prefix}events"))
    for name in ("Anastasia Q.", "Ana Q.", "zoom-anastasia", "zoom-cleo"):
        assert name in before

    with TestClient(create_app(settings)) as client:
        assert client.post(f"/v1/circles/{kept}/participants/{ana['id']}/erase", headers=auth(key)).status_code == 204
        ok(client.post(f"/v1/circles/{gone}/close", headers=auth(key)))  # circle.closed names the circle
        assert client.delete(f"/v1/circles/{gone}", headers=auth(key)).status_code == 204
    entries = _stream_entries(redis_url, settings.redis_prefix)
    after = json.dumps(entries)
    for name in ("Anastasia Q.", "Ana Q.", "zoom-anastasia", "Gone circle", "Cleo", "zoom-cleo"):
        assert name not in after
    assert "zoom-ben" in after  # only what named the erased is gone
    assert [e["name"] for e in map(json.loads, (e["body"] for e in entries if e["kind"] == "event"))][-1] == (
        "participant.left"  # Ana's leaving, which names her by id alone
    )
    erased = [e for e in entries if e["kind"] == "erased"]  # how the other instances hear of it
    assert [(e["circle_id"], e["body"]) for e in erased] == [(gone, "")]


def test_the_audit_log_is_read_page_by_page(client: TestClient, app_key: str) -> None:
    made = [create_circle(client, app_key, name=f"c{n}")["id"] for n in range(5)]
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = ok(client.get("/v1/app/audit", params=params, headers=auth(app_key)))
        seen += [entry["circle_id"] for entry in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            break
    assert seen == made[::-1]
    problem(
        client.get("/v1/app/audit", params={"cursor": "bm90LWEtY3Vyc29y"}, headers=auth(app_key)), 422, "invalid_cursor"
    )

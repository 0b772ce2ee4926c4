"""Many writes at once against one server process on SQLite: each is answered (200 or a stated refusal),
none with 500, and none is lost or done twice. More requests are in flight than the server has threadpool
threads (40), so writers that waited for the database inside threads would starve the one that holds it."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.factories import auth, create_circle, finish, seat, start_round, state
from tests.live.client import assert_gapless, full_log
from tests.live.conftest import StartServer

WRITERS = 64
FINISHES_EACH = 6
REQUEST_SECONDS = 60.0


def _finish_in_turn(http: httpx.Client, key: str, circle_id: str) -> list[tuple[str, int]]:
    """Finish the open turn FINISHES_EACH times (starting a new round when one runs out); what was asked
    each time, and the status it got."""
    answers = []
    for _ in range(FINISHES_EACH):
        turn = state(http, key, circle_id)["turn"]
        if turn is None:
            started = http.post(f"/v1/circles/{circle_id}/rounds", json={}, headers=auth(key))
            answers.append(("round", started.status_code))
        else:
            answers.append(("finish", finish(http, key, circle_id, turn["id"]).status_code))
    return answers


def test_many_concurrent_writes_on_sqlite_are_all_answered_without_a_500(start_server: StartServer) -> None:
    server = start_server(  # one app key drives all the writers
        env={
            "CIRCLES_RATE_LIMIT_PER_MINUTE": "100000",
            "CIRCLES_RATE_LIMIT_BURST": "100000",
            "CIRCLES_IN_FLIGHT_PER_CREDENTIAL": str(WRITERS),
            "CIRCLES_IN_FLIGHT_PER_APP": str(WRITERS),
        }
    )
    key = server.app_key
    setup = server.http()
    circles = []
    for index in range(WRITERS):
        circle_id = create_circle(setup, key, name=f"Load {index}")["id"]
        for name in ("Ana", "Ben", "Cy"):
            seat(setup, key, circle_id, name)
        start_round(setup, key, circle_id)
        circles.append(circle_id)
    clients = [server.http(timeout=REQUEST_SECONDS) for _ in circles]

    with ThreadPoolExecutor(WRITERS) as pool:
        runs = [pool.submit(_finish_in_turn, clients[i], key, circles[i]) for i in range(WRITERS)]
        answers = [run.result(timeout=REQUEST_SECONDS * FINISHES_EACH) for run in runs]

    statuses = Counter(status for circle_answers in answers for _asked, status in circle_answers)
    assert statuses[500] == 0, statuses
    assert set(statuses) <= {200, 201}, statuses  # one writer per circle: nothing to refuse
    assert sum(statuses.values()) == WRITERS * FINISHES_EACH
    assert "database is locked" not in server.log()
    for circle_id, circle_answers in zip(circles, answers, strict=True):  # each change in the log, once
        log = full_log(setup, key, circle_id)
        assert_gapless([event["seq"] for event in log])
        finished = sum(1 for asked, _status in circle_answers if asked == "finish")
        assert sum(1 for event in log if event["name"] == "turn.ended") == finished

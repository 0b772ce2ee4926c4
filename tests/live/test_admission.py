"""Admissions read together: each answered as its own REST request would be (the same credential and circle
rules), and sockets resuming one circle from one seq share one replay."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from circles.db import Database
from circles.errors import CircleClosed, CircleNotFound, Unauthenticated
from circles.live.admission import Admission, AdmissionRequest, admit_all
from tests.factories import auth, create_circle, ok, seat

NOW = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)


def test_a_batch_answers_each_admission_as_its_own_request_would_be(
    client: TestClient, app_key: str, other_app_key: str
) -> None:
    circle = create_circle(client, app_key)
    ana = seat(client, app_key, circle["id"], "Ana")
    ben = seat(client, app_key, circle["id"], "Ben", role="keeper")
    gone = seat(client, app_key, circle["id"], "Gone")
    ok(client.delete(f"/v1/circles/{circle['id']}/participants/{gone['id']}", headers=auth(app_key)), 204)
    elsewhere = create_circle(client, app_key, name="Elsewhere")
    theirs = create_circle(client, other_app_key, name="Another app's")
    closed = create_circle(client, app_key, name="Closed")
    cai = seat(client, app_key, closed["id"], "Cai")
    ok(client.post(f"/v1/circles/{closed['id']}/close", headers=auth(app_key)))
    circle_id = uuid.UUID(circle["id"])

    requests = [
        AdmissionRequest(ana["token"], circle_id, 1),
        AdmissionRequest(ben["token"], circle_id, 1),
        AdmissionRequest(app_key, circle_id, None),
        AdmissionRequest("pt_not-a-token", circle_id, 1),
        AdmissionRequest("not even a credential", circle_id, 1),
        AdmissionRequest(gone["token"], circle_id, 1),
        AdmissionRequest(ana["token"], uuid.UUID(elsewhere["id"]), None),  # her token is for her circle only
        AdmissionRequest(app_key, uuid.UUID(theirs["id"]), None),  # another app's circle
        AdmissionRequest(app_key, uuid.uuid4(), None),
        AdmissionRequest(cai["token"], uuid.UUID(closed["id"]), None),
    ]
    database: Database = client.app.state.database  # type: ignore[attr-defined]
    answers = admit_all(database, requests, NOW)

    assert len(answers) == len(requests)
    first, second, app = answers[:3]
    assert isinstance(first, Admission) and isinstance(second, Admission) and isinstance(app, Admission)
    assert (first.participant_id, first.role) == (uuid.UUID(ana["id"]), "member")
    assert (second.participant_id, second.role) == (uuid.UUID(ben["id"]), "keeper")
    assert (app.participant_id, app.role) == (None, "app")
    # Three seated (seqs 1 to 3) and one removed (4): both resumes replay 2..4, read once for the two.
    assert first.catch_up is second.catch_up
    assert first.catch_up.state is None and first.catch_up.seq == 4
    assert [json.loads(event)["seq"] for event in first.catch_up.events] == [2, 3, 4]
    assert app.catch_up.state is not None and app.catch_up.seq == 4  # no `after`: a snapshot
    assert [type(a) for a in answers[3:]] == [
        Unauthenticated,
        Unauthenticated,
        Unauthenticated,
        CircleNotFound,
        CircleNotFound,
        CircleNotFound,
        CircleClosed,
    ]


def test_an_empty_circle_list_and_a_lone_request_are_read_as_well(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key)
    database: Database = client.app.state.database  # type: ignore[attr-defined]
    [alone] = admit_all(database, [AdmissionRequest(app_key, uuid.UUID(circle["id"]), 0)], NOW)
    assert isinstance(alone, Admission) and alone.catch_up.seq == 0 and alone.catch_up.events == []
    assert admit_all(database, [], NOW) == []

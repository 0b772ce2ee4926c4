"""The Python client (clients/python) as a developer uses it: the generated REST client registers a webhook
endpoint on a real receiver and drives a whole round against a real server; the hand-written live module
follows it, across a server restart, and the receiver is sent the same log, signed."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import pytest
from circles_client import AuthenticatedClient
from circles_client.api.circles import create_circle
from circles_client.api.participants import seat_participant
from circles_client.api.rounds import finish_turn, start_round
from circles_client.api.webhooks import create_webhook
from circles_client.live import CirclesLive, Event, LiveStopped, Snapshot
from circles_client.models import (
    CircleCreate,
    CirclePublic,
    ParticipantCreate,
    ParticipantWithToken,
    Role,
    RoundCreate,
    RoundWithTurns,
    TurnFinish,
    TurnFinishOutcome,
    WebhookEndpointCreate,
    WebhookEndpointCreated,
)

from tests.clients.conftest import PYTHON_CLIENT
from tests.clients.observed import Seen, assert_each_saw_the_log, circle_log, webhook_saw
from tests.live.conftest import Server
from tests.webhook_receiver import Receiver

T = TypeVar("T")
WAIT_SECONDS = 30.0  # a bound on waiting for the live client, never a measured time


class Follower:
    """A CirclesLive in a thread of its own (its own event loop), recording each event until `round.ended`."""

    def __init__(self, live: CirclesLive) -> None:
        self.live = live
        self.seen: Seen = []
        self.snapshots: list[Snapshot] = []
        self.ended = threading.Event()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._follow()), daemon=True)
        self._thread.start()

    async def _follow(self) -> None:
        try:
            async with self.live:
                async for frame in self.live.frames():
                    if isinstance(frame, Snapshot):
                        self.snapshots.append(frame)
                    if isinstance(frame, Event):
                        self.seen.append((frame.seq, frame.name))
                        if frame.name == "round.ended":
                            break
        except BaseException as error:  # handed to the test
            self.error = error
        finally:
            self.ended.set()

    def wait(self) -> Seen:
        assert self.ended.wait(WAIT_SECONDS), f"no round.ended within {WAIT_SECONDS} s; saw {self.seen}"
        self._thread.join(WAIT_SECONDS)
        if self.error is not None:
            raise self.error
        return self.seen


@pytest.fixture
def client_for(server: Server) -> Iterator[Callable[[str], AuthenticatedClient]]:
    """client_for(token) -> the generated REST client with that credential; each is closed at the end."""
    made: dict[str, AuthenticatedClient] = {}

    def client(token: str) -> AuthenticatedClient:
        if token not in made:
            made[token] = AuthenticatedClient(base_url=server.base_url, token=token, httpx_args={"trust_env": False})
        return made[token]

    try:
        yield client
    finally:
        for each in made.values():
            each.get_httpx_client().close()


def _as(expected: type[T], answer: Any) -> T:
    assert isinstance(answer, expected), answer  # a Problem (or None) otherwise: shown by the assertion
    return answer


def _open_turn_id(round_: RoundWithTurns) -> UUID | None:
    return next((turn.id for turn in round_.turns if turn.ended_at is None), None)


def test_a_whole_round_through_the_generated_client_followed_by_the_live_client_and_a_webhook(
    server: Server, client_for: Callable[[str], AuthenticatedClient], receiver: Receiver
) -> None:
    app = client_for(server.app_key)
    # Registered first: an endpoint is sent what happens after it was registered.
    endpoint = _as(
        WebhookEndpointCreated,
        create_webhook.sync(client=app, body=WebhookEndpointCreate(url=receiver.url, description="client test")),
    )
    receiver.secrets = [endpoint.secret]
    circle = _as(CirclePublic, create_circle.sync(client=app, body=CircleCreate(name="Python client circle")))
    people = [
        _as(ParticipantWithToken, seat_participant.sync(circle.id, client=app, body=ParticipantCreate(name, role=role)))
        for name, role in (("Keeper", Role.KEEPER), ("Ana", Role.MEMBER), ("Ben", Role.MEMBER))
    ]
    tokens = {person.id: person.token for person in people}
    # The app follows from the start (after=0: every event, replayed), reconnecting quickly in a test.
    follower = Follower(
        CirclesLive(
            server.base_url,
            str(circle.id),
            server.app_key,
            after=0,
            initial_delay=0.05,
            max_delay=0.5,
            connect_options={"proxy": None},
        )
    )

    keeper = client_for(people[0].token)
    round_ = _as(RoundWithTurns, start_round.sync(circle.id, client=keeper, body=RoundCreate(prompt="How are you?")))
    finished = 0
    while (turn_id := _open_turn_id(round_)) is not None:
        holder = next(turn.participant_id for turn in round_.turns if turn.id == turn_id)
        if finished == 1:
            server.restart()  # mid-round: the live client reconnects and resumes from its last seq
        speak = TurnFinish(outcome=TurnFinishOutcome.SPOKE)
        round_ = _as(
            RoundWithTurns, finish_turn.sync(circle.id, turn_id, client=client_for(tokens[holder]), body=speak)
        )
        finished += 1
    assert finished == 3 and round_.end_reason == "completed"

    seen = follower.wait()
    assert follower.snapshots == [], "after=0 on a fresh circle is a replay, never a snapshot"
    assert follower.live.last_seq == seen[-1][0]
    log = circle_log(server.http(), server.app_key, str(circle.id))
    webhook = webhook_saw(receiver, str(circle.id), endpoint.secret, log)
    assert_each_saw_the_log(log, python_live=seen, webhook=webhook)


def test_the_live_client_resumes_after_a_given_seq_and_stops_on_a_refused_credential(
    server: Server, client_for: Callable[[str], AuthenticatedClient]
) -> None:
    app = client_for(server.app_key)
    circle = _as(CirclePublic, create_circle.sync(client=app, body=CircleCreate(name="Resume")))
    for name in ("Ana", "Ben", "Cai"):
        _as(ParticipantWithToken, seat_participant.sync(circle.id, client=app, body=ParticipantCreate(name)))

    async def first_events(after: int | None, token: str, count: int) -> list[Event | Snapshot]:
        got: list[Event | Snapshot] = []
        async with CirclesLive(server.base_url, str(circle.id), token, after=after, max_attempts=0) as live:
            async for frame in live.frames():
                if isinstance(frame, (Event, Snapshot)):
                    got.append(frame)
                if len(got) == count:
                    break
        return got

    resumed = asyncio.run(first_events(1, server.app_key, 2))
    assert [(e.seq, e.name) for e in resumed if isinstance(e, Event)] == [
        (2, "participant.joined"),
        (3, "participant.joined"),
    ]
    fresh = asyncio.run(first_events(None, server.app_key, 1))
    assert isinstance(fresh[0], Snapshot) and fresh[0].seq == 3
    with pytest.raises(LiveStopped) as stopped:
        asyncio.run(first_events(0, "ck_not_a_key", 1))
    assert stopped.value.code == 4401


def test_the_python_client_builds_as_a_wheel_with_its_live_module_and_types(tmp_path: Path) -> None:
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--wheel-dir",
            str(tmp_path),
            str(PYTHON_CLIENT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("circles_client-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"circles_client/live.py", "circles_client/py.typed", "circles_client/api/rounds/finish_turn.py"} <= names


def test_the_live_module_is_strictly_typed() -> None:
    """live.py is ours: mypy --strict passes on it (the generated modules it imports are the generator's)."""
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--follow-imports=silent",
            "--cache-dir=/dev/null",
            "circles_client/live.py",
        ],
        cwd=PYTHON_CLIENT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr

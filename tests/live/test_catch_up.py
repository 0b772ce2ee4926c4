"""The catch-up's kept states: a snapshot built from the kept JSON form is the frame the model would write,
and a burst of arrivals at one seq reads the state once."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from circles.circle.snapshot import read_state
from circles.db import Database
from circles.live.catch_up import KeptState, _AsOfSeq
from circles.live.protocol import SnapshotFrame
from circles.records.circle import repository as circle_repository
from tests.factories import create_circle, seat, start_round

NOW = datetime(2026, 11, 25, 4, 30, 15, 123456, tzinfo=UTC)


def test_a_snapshot_from_the_kept_state_is_the_frame_the_model_writes(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key, name='Zoë\'s "Tuesday" circle')
    keeper = seat(client, app_key, circle["id"], "Keeper", role="keeper")
    people = [seat(client, app_key, circle["id"], name) for name in ("Ana", "Zoë", 'Ben "B"')]
    seat(client, app_key, circle["id"], "Watching", role="witness")
    start_round(client, keeper["token"], circle["id"])
    database: Database = client.app.state.database  # type: ignore[attr-defined]
    with database.read_session() as session:
        found = circle_repository.get(session, uuid.UUID(circle["id"]))
        assert found is not None
        state = read_state(session, found, set(), NOW, witnesses_online=0)
    assert state.turn is not None and state.audience.witnesses == 1

    online = {uuid.UUID(keeper["id"]), uuid.UUID(people[1]["id"])}
    as_of = state.model_copy(
        update={
            "server_time": NOW,
            "participants": [p.model_copy(update={"online": p.id in online}) for p in state.participants],
            "audience": state.audience.model_copy(update={"online": 1}),
        }
    )
    expected = SnapshotFrame(seq=state.seq, state=as_of).model_dump_json()
    assert KeptState.of(state).frame(online, 1, NOW) == expected


def test_a_kept_snapshot_is_built_again_for_every_change_of_who_is_online_the_audience_or_the_clock(
    client: TestClient, app_key: str
) -> None:
    """The frame built for one moment is reused only for that moment: each change of who is online, of the
    audience online or of the clock shows in the next arrival's snapshot, exactly as the model writes it."""
    circle = create_circle(client, app_key)
    keeper = seat(client, app_key, circle["id"], "Keeper", role="keeper")
    member = seat(client, app_key, circle["id"], "Ana")
    seat(client, app_key, circle["id"], "Watching", role="witness")
    database: Database = client.app.state.database  # type: ignore[attr-defined]
    with database.read_session() as session:
        found = circle_repository.get(session, uuid.UUID(circle["id"]))
        assert found is not None
        state = read_state(session, found, set(), NOW, witnesses_online=0)
    kept = KeptState.of(state)

    def expected(online: set[uuid.UUID], witnesses_online: int, now: datetime) -> str:
        as_of = state.model_copy(
            update={
                "server_time": now,
                "participants": [p.model_copy(update={"online": p.id in online}) for p in state.participants],
                "audience": state.audience.model_copy(update={"online": witnesses_online}),
            }
        )
        return SnapshotFrame(seq=state.seq, state=as_of).model_dump_json()

    later = datetime(2026, 11, 25, 4, 31, tzinfo=UTC)
    keeper_id, member_id = uuid.UUID(keeper["id"]), uuid.UUID(member["id"])
    for online, witnesses_online, now in [
        ({keeper_id}, 0, NOW),
        ({keeper_id}, 0, later),  # the same moment, a later clock
        ({keeper_id, member_id}, 0, later),  # someone came
        ({keeper_id, member_id}, 1, later),  # the audience changed
        (set(), 1, NOW),  # everyone went
        ({keeper_id}, 0, NOW),  # and back to the first moment
    ]:
        assert kept.frame(online, witnesses_online, now) == expected(online, witnesses_online, now)


def test_arrivals_at_one_seq_read_the_state_once() -> None:
    kept: _AsOfSeq[str] = _AsOfSeq(size=4)
    circle = uuid.uuid4()
    reads: list[int] = []
    results: list[str] = []

    def read() -> str:
        reads.append(1)
        time.sleep(0.05)  # long enough for every other thread to arrive while it reads
        return "state at 7"

    def arrive() -> None:
        results.append(kept.get_or_read(circle, 7, read))

    threads = [threading.Thread(target=arrive) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert reads == [1]
    assert results == ["state at 7"] * 16
    assert kept.get_or_read(circle, 8, lambda: "state at 8") == "state at 8"  # another seq is read anew


def test_when_the_reader_fails_the_next_arrival_reads_it_itself() -> None:
    kept: _AsOfSeq[str] = _AsOfSeq(size=4)
    circle = uuid.uuid4()

    def failing() -> str:
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        kept.get_or_read(circle, 3, failing)
    assert kept.get_or_read(circle, 3, lambda: "state at 3") == "state at 3"


def test_only_the_newest_few_are_kept() -> None:
    kept: _AsOfSeq[int] = _AsOfSeq(size=2)
    circle = uuid.uuid4()
    for seq in (1, 2, 3):
        kept.get_or_read(circle, seq, lambda seq=seq: seq)  # type: ignore[misc]
    assert kept.get_or_read(circle, 1, lambda: -1) == -1  # forgotten, so read again
    assert kept.get_or_read(circle, 3, lambda: -1) == 3

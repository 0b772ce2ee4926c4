"""Every write is one unit of work: what it recorded is handed on once, after its commit, and never when it
rolls back; only a write's session has a unit, and its time is read once."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from circles import unit_of_work
from circles.clock import ManualClock
from circles.db import Database, create_db_engine
from circles.event.models import EventPublic
from circles.unit_of_work import OnlineSnapshot, UnitOfWork

CIRCLE = uuid.uuid4()
START = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = Database(create_db_engine(f"sqlite:///{tmp_path / 'uow.db'}"), clock=ManualClock(START))
    yield database
    database.dispose()


def test_what_a_write_recorded_is_handed_on_after_its_commit_and_not_after_a_rollback(database: Database) -> None:
    handed: list[UnitOfWork] = []
    database.after_commit = handed.append
    event = EventPublic(seq=1, name="circle.updated", at=START, data={})
    with database.unit_of_work(OnlineSnapshot(CIRCLE, frozenset())) as work:
        assert unit_of_work.of(work.session) is work
        work.outbox.events[CIRCLE] = [event]
    with pytest.raises(RuntimeError), database.unit_of_work() as failed:
        failed.outbox.events[CIRCLE] = [event]
        raise RuntimeError("the write failed")
    assert handed == [work]


def test_a_read_session_has_no_unit_of_work(database: Database) -> None:
    with database.read_session() as session:
        assert unit_of_work.find(session) is None
        with pytest.raises(LookupError):
            unit_of_work.of(session)


def test_the_time_is_read_once_and_who_is_online_only_for_the_circle_it_was_read_for(database: Database) -> None:
    clock = database.clock
    assert isinstance(clock, ManualClock)
    someone = uuid.uuid4()
    with database.unit_of_work(OnlineSnapshot(CIRCLE, frozenset({someone}))) as work:
        clock.set(START + timedelta(seconds=1))
        first = work.now
        clock.set(START + timedelta(seconds=2))
        assert work.now == first == START + timedelta(seconds=1)
        assert work.online_in(CIRCLE) == {someone}
        assert work.online_in(uuid.uuid4()) is None

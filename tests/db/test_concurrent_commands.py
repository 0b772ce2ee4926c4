"""Commands racing on one circle, straight through the services with real database sessions:
exactly one wins, the rest get turn_not_open, and seqs stay gapless."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator

import pytest

from circles.access.principal import AppPrincipal
from circles.circle import service as circle_service
from circles.db import Database, create_db_engine
from circles.event import log as event_log
from circles.participant import service as participant_service
from circles.records.circle.models import CircleCreate
from circles.records.participant.models import ParticipantCreate
from circles.records.round import repository as round_repository
from circles.records.round.models import RoundCreate
from circles.round import service as round_service
from circles.talking_piece.errors import TurnNotOpen
from circles.talking_piece.model import Outcome
from circles.tenant.service import create_app_with_key


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> Iterator[Database]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "migrated_postgres_url")
    database = Database(create_db_engine(url))
    yield database
    database.dispose()


def _circle_with_round(database: Database, members: int) -> tuple[AppPrincipal, uuid.UUID, uuid.UUID]:
    with database.write_session() as session:
        app, _key = create_app_with_key(session, "race")
        principal = AppPrincipal(app_id=app.id)
        circle = circle_service.create(session, principal, CircleCreate(name="race"))
    for n in range(members):
        with database.write_session() as session:
            participant_service.seat(session, principal, circle.id, ParticipantCreate(display_name=f"p{n}"))
    with database.write_session() as session:
        round_ = round_service.start(session, principal, circle.id, RoundCreate())
    open_turn = next(t for t in round_.turns if t.ended_at is None)
    return principal, circle.id, open_turn.id


def _race(attempts: list[Callable[[], object]]) -> list[object]:
    """Run the attempts at the same moment; each result is the return value or the exception."""
    barrier = threading.Barrier(len(attempts))
    results: list[object] = [None] * len(attempts)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = attempts[index]()
        except Exception as exc:  # the refusals are what we are counting
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.parametrize("contenders", [2, 8])
def test_racing_finishes_of_one_turn_end_it_once(database: Database, contenders: int) -> None:
    principal, circle_id, turn_id = _circle_with_round(database, members=3)

    def finish() -> object:
        with database.write_session() as session:
            return round_service.finish_turn(session, principal, circle_id, turn_id, Outcome.SPOKE)

    results = _race([finish] * contenders)
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert all(isinstance(r, TurnNotOpen) for r in results if isinstance(r, Exception)), results

    with database.read_session() as session:
        log = event_log.events_after(session, circle_id, 0, 1000)
    assert [e.seq for e in log] == list(range(1, len(log) + 1))
    ended = [e for e in log if e.name == "turn.ended" and e.data["turn"]["id"] == str(turn_id)]
    assert len(ended) == 1


def test_concurrent_joins_and_commands_keep_seqs_gapless(database: Database) -> None:
    principal, circle_id, _turn_id = _circle_with_round(database, members=2)

    def join(n: int) -> Callable[[], object]:
        def attempt() -> object:
            with database.write_session() as session:
                return participant_service.seat(session, principal, circle_id, ParticipantCreate(display_name=f"j{n}"))

        return attempt

    def finish_whoever_holds() -> object:
        with database.read_session() as session:  # look, then act: a race the lock must settle
            row = round_repository.unended(session, circle_id)
            open_turn = round_repository.open_turn(session, row.id) if row else None
            turn_id = open_turn.id if open_turn else None
        if turn_id is None:
            return None
        with database.write_session() as session:
            return round_service.finish_turn(session, principal, circle_id, turn_id, Outcome.PASSED)

    results = _race([join(n) for n in range(6)] + [finish_whoever_holds] * 6)
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, TurnNotOpen)], results
    with database.read_session() as session:
        log = event_log.events_after(session, circle_id, 0, 1000)
    assert [e.seq for e in log] == list(range(1, len(log) + 1))
    assert sum(e.name == "participant.joined" for e in log) == 8

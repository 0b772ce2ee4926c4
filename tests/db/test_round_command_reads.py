"""What a round command reads, straight through the services with real database sessions: only those who may
hold the piece (so its work does not grow with the number of witnesses), while a seating change still sees
the witnesses it needs to tell a holder who became one from one who left."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from circles.access.principal import AppPrincipal
from circles.circle import service as circle_service
from circles.db import Database, create_db_engine
from circles.participant import service as participant_service
from circles.records.circle.models import CircleCreate
from circles.records.participant import repository as participant_repository
from circles.records.participant.models import ParticipantCreate, ParticipantUpdate
from circles.records.round.models import RoundCreate
from circles.round import service as round_service
from circles.talking_piece.model import Outcome, Role
from circles.tenant.service import create_app_with_key


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> Iterator[Database]:
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "migrated_postgres_url")
    database = Database(create_db_engine(url))
    yield database
    database.dispose()


def _circle(database: Database, roles: list[Role]) -> tuple[AppPrincipal, uuid.UUID, list[uuid.UUID]]:
    with database.write_session() as session:
        app, _key = create_app_with_key(session, "reads")
        principal = AppPrincipal(app_id=app.id)
        circle = circle_service.create(session, principal, CircleCreate(name="reads"))
    seated = []
    for n, role in enumerate(roles):
        with database.write_session() as session:
            person, _token = participant_service.seat(
                session, principal, circle.id, ParticipantCreate(display_name=f"p{n}", role=role)
            )
            seated.append(person.id)
    return principal, circle.id, seated


def test_those_who_may_hold_are_keepers_and_members_present_in_seat_order(database: Database) -> None:
    roles = [Role.WITNESS, Role.KEEPER, Role.WITNESS, Role.MEMBER, Role.MEMBER, Role.WITNESS]
    principal, circle_id, seated = _circle(database, roles)
    with database.write_session() as session:
        participant_service.leave(session, principal, circle_id, seated[4])
    with database.read_session() as session:
        holders = participant_repository.holders_present(session, circle_id)
    assert [row.id for row in holders] == [seated[1], seated[3]]
    assert [row.role for row in holders] == [Role.KEEPER, Role.MEMBER]


def test_a_round_among_many_witnesses_goes_to_keepers_and_members_only(database: Database) -> None:
    roles = [Role.KEEPER, *[Role.WITNESS] * 20, Role.MEMBER, Role.MEMBER]
    principal, circle_id, seated = _circle(database, roles)
    with database.write_session() as session:
        round_ = round_service.start(session, principal, circle_id, RoundCreate())
    holders = []
    while (turn := next((t for t in round_.turns if t.ended_at is None), None)) is not None:
        holders.append(turn.participant_id)
        with database.write_session() as session:
            round_ = round_service.finish_turn(session, principal, circle_id, turn.id, Outcome.SPOKE)
    assert holders == [seated[0], seated[21], seated[22]]
    assert round_.status == "ended"


def test_a_holder_who_becomes_a_witness_ends_skipped_not_left(database: Database) -> None:
    principal, circle_id, seated = _circle(database, [Role.KEEPER, Role.MEMBER, Role.WITNESS])
    with database.write_session() as session:
        round_ = round_service.start(session, principal, circle_id, RoundCreate())
    holder = next(t for t in round_.turns if t.ended_at is None)
    with database.write_session() as session:
        participant_service.update(
            session, principal, circle_id, holder.participant_id, ParticipantUpdate(role=Role.WITNESS)
        )
    with database.read_session() as session:
        round_ = round_service.get(session, principal, circle_id, round_.id)
    ended = next(t for t in round_.turns if t.id == holder.id)
    assert ended.outcome == Outcome.SKIPPED
    assert next(t for t in round_.turns if t.ended_at is None).participant_id == seated[1]

"""Who is online is read before a write, so two changes applied at once can commit in the other order than
they read it. The absence watch reads again after each change it applies, and applies again until what it
applied is still who is online: a holder whose drop raced the write that read them online ends up away."""

from __future__ import annotations

import asyncio
import uuid

from circles.access.principal import authenticate
from circles.circle import service as circle_service
from circles.db import Database, create_db_engine
from circles.participant import service as participant_service
from circles.records.circle.models import CircleCreate
from circles.records.participant.models import ParticipantCreate
from circles.records.round import repository as round_repository
from circles.records.round.models import RoundCreate
from circles.round import service as round_service
from circles.round.absence_watch import AbsenceWatch
from circles.talking_piece.model import Role
from circles.unit_of_work import OnlineSnapshot
from circles.write_path import WritePath


def _absence_round_held_by_kim(database: Database, app_key: str) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """(circle, Kim, the round): Kim (a keeper, online) holds the piece of an absence round; Ana is online too."""
    with database.write_session() as session:
        app = authenticate(session, app_key)
        circle_id = circle_service.create(session, app, CircleCreate(name="Racing presence")).id
    with database.write_session() as session:
        app = authenticate(session, app_key)
        keeper = ParticipantCreate(display_name="Kim", role=Role.KEEPER)
        kim, _ = participant_service.seat(session, app, circle_id, keeper)
        ana, _ = participant_service.seat(session, app, circle_id, ParticipantCreate(display_name="Ana"))
        kim_id, ana_id = kim.id, ana.id
    with database.unit_of_work(OnlineSnapshot(circle_id, frozenset({kim_id, ana_id}))) as work:
        app = authenticate(work.session, app_key)
        round_ = round_service.start(work.session, app, circle_id, RoundCreate(absence=True, turn_seconds=None))
    assert round_.turns[0].participant_id == kim_id
    return circle_id, kim_id, round_.id


def test_a_drop_that_raced_the_write_reading_the_holder_online_still_marks_them_away(
    database_url: str, app_key: str
) -> None:
    database = Database(create_db_engine(database_url))
    try:
        circle_id, kim_id, round_id = _absence_round_held_by_kim(database, app_key)
        reads: list[frozenset[uuid.UUID]] = []

        async def online_now(circle: uuid.UUID) -> set[uuid.UUID]:
            """Kim is online when the write reads it, and gone by the time it has committed."""
            answer = {kim_id} if not reads else set()
            reads.append(frozenset(answer))
            return answer

        async def presence_changes() -> None:
            watch = AbsenceWatch(WritePath(database, online_now), grace_seconds=30)
            await watch.on_presence(circle_id)
            await watch.stop()

        asyncio.run(presence_changes())
        with database.read_session() as session:
            turn = round_repository.turns_of(session, round_id)[0]
            away_until, ended_at = turn.away_until, turn.ended_at
        assert away_until is not None and ended_at is None, "applied again with who is online now"
        assert reads == [frozenset({kim_id}), frozenset(), frozenset(), frozenset()]
    finally:
        database.dispose()

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from circles.dependencies import PrincipalDep, SessionDep, WriteDep, Written
from circles.errors import problem_responses
from circles.records.round.models import OutOfTurn, PieceGive, RoundCreate, RoundWithTurns, TurnFinish
from circles.round import service as round_service

# The commands are `async def` routes that hand their whole work to the write path (`WriteDep`: one threadpool
# trip each); their answers are serialized there, so `response_model` names what they answer for the documents
# and `Written[...]` says the same to the type checker.
router = APIRouter(prefix="/v1/circles/{circle_id}", tags=["rounds"])

_COMMAND_PROBLEMS = problem_responses(403, 404, 409)


@router.post("/rounds", status_code=201, responses=_COMMAND_PROBLEMS, response_model=RoundWithTurns)
async def start_round(circle_id: uuid.UUID, data: RoundCreate, write: WriteDep) -> Written[RoundWithTurns]:
    """Start a round (app or keeper); its first turn starts at once."""
    return await write(round_service.start, circle_id, data)


@router.get("/rounds/{round_id}", responses=problem_responses(404))
def get_round(
    circle_id: uuid.UUID, round_id: uuid.UUID, session: SessionDep, principal: PrincipalDep
) -> RoundWithTurns:
    """The round with its turns, in the order they were held."""
    return round_service.get(session, principal, circle_id, round_id)


@router.post("/rounds/{round_id}/pause", responses=_COMMAND_PROBLEMS, response_model=RoundWithTurns)
async def pause_round(circle_id: uuid.UUID, round_id: uuid.UUID, write: WriteDep) -> Written[RoundWithTurns]:
    """Pause the round: the clock stops (app or keeper)."""
    return await write(round_service.pause, circle_id, round_id)


@router.post("/rounds/{round_id}/resume", responses=_COMMAND_PROBLEMS, response_model=RoundWithTurns)
async def resume_round(circle_id: uuid.UUID, round_id: uuid.UUID, write: WriteDep) -> Written[RoundWithTurns]:
    """Resume the round: the open turn's deadline moves by the paused time (app or keeper)."""
    return await write(round_service.resume, circle_id, round_id)


@router.post("/rounds/{round_id}/end", responses=_COMMAND_PROBLEMS, response_model=RoundWithTurns)
async def end_round(circle_id: uuid.UUID, round_id: uuid.UUID, write: WriteDep) -> Written[RoundWithTurns]:
    """End the round now (app or keeper); an open turn ends `skipped`."""
    return await write(round_service.end, circle_id, round_id)


@router.post("/turns/{turn_id}/finish", responses=_COMMAND_PROBLEMS, response_model=RoundWithTurns)
async def finish_turn(
    circle_id: uuid.UUID, turn_id: uuid.UUID, data: TurnFinish, write: WriteDep
) -> Written[RoundWithTurns]:
    """End the turn as `spoke` or `passed` (the holder, a keeper or the app); the piece moves on.

    Names the turn it acts on: once that turn is no longer open this answers 409 and changes nothing."""
    return await write(round_service.finish_turn, circle_id, turn_id, data.outcome)


@router.post("/turns/{turn_id}/accept", responses=_COMMAND_PROBLEMS, response_model=RoundWithTurns)
async def accept_turn(circle_id: uuid.UUID, turn_id: uuid.UUID, write: WriteDep) -> Written[RoundWithTurns]:
    """Take the piece offered (the holder, a keeper or the app), in a round with offer_seconds; the clock
    starts now. Before the moment of silence is over: 409 still_silent."""
    return await write(round_service.accept_turn, circle_id, turn_id)


@router.post("/turns/{turn_id}/skip", responses=_COMMAND_PROBLEMS, response_model=RoundWithTurns)
async def skip_turn(circle_id: uuid.UUID, turn_id: uuid.UUID, write: WriteDep) -> Written[RoundWithTurns]:
    """Skip the holder (app or keeper); the piece moves on."""
    return await write(round_service.skip_turn, circle_id, turn_id)


@router.post("/rounds/{round_id}/hands", responses=_COMMAND_PROBLEMS, response_model=RoundWithTurns)
async def raise_hand(circle_id: uuid.UUID, round_id: uuid.UUID, write: WriteDep) -> Written[RoundWithTurns]:
    """Raise your own hand in an open round (a member or keeper); it joins the end of the line.

    When the piece is free it goes to the first hand in line at once."""
    return await write(round_service.raise_hand, circle_id, round_id)


@router.delete(
    "/rounds/{round_id}/hands/{participant_id}",
    status_code=204,
    response_class=Response,
    response_model=None,
    responses=_COMMAND_PROBLEMS,
)
async def lower_hand(
    circle_id: uuid.UUID, round_id: uuid.UUID, participant_id: uuid.UUID, write: WriteDep
) -> Written[None]:
    """Lower a raised hand (its owner, a keeper or the app)."""
    return await write(round_service.lower_hand, circle_id, round_id, participant_id)


@router.post(
    "/rounds/{round_id}/hands/{participant_id}/call", responses=_COMMAND_PROBLEMS, response_model=RoundWithTurns
)
async def call_on_hand(
    circle_id: uuid.UUID, round_id: uuid.UUID, participant_id: uuid.UUID, write: WriteDep
) -> Written[RoundWithTurns]:
    """Call on a raised hand out of order (a keeper or the app): it goes first in line, and takes the piece
    at once if it is free."""
    return await write(round_service.call_on, circle_id, round_id, participant_id)


@router.post("/rounds/{round_id}/give", responses=problem_responses(403, 404, 409, 422), response_model=RoundWithTurns)
async def give_piece(
    circle_id: uuid.UUID, round_id: uuid.UUID, data: PieceGive, write: WriteDep
) -> Written[RoundWithTurns]:
    """Give the piece to a chosen person now (a keeper or the app); the holder's turn ends `skipped`.

    It counts as the chosen person's turn; what is left of the round goes on from where it was. In an absence
    round, someone with no live connection: 409 offline."""
    return await write(round_service.give, circle_id, round_id, data.participant_id, data.turn_id)


@router.post("/rounds/{round_id}/out-of-turn", responses=_COMMAND_PROBLEMS, response_model=RoundWithTurns)
async def speak_out_of_turn(
    circle_id: uuid.UUID, round_id: uuid.UUID, data: OutOfTurn, write: WriteDep
) -> Written[RoundWithTurns]:
    """A keeper takes the piece to speak out of turn (sequential rounds); the holder's turn ends `interrupted`.

    When the keeper is done, the one interrupted gets the piece back, and the round goes on as before."""
    return await write(round_service.speak_out_of_turn, circle_id, round_id, data.turn_id)

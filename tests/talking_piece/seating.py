"""What the talking piece's rule tests share: a fixed start time, the app as actor, participants numbered
by seat, and the check that a refused command changes nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

import pytest

from circles.talking_piece import errors
from circles.talking_piece.engine import TalkingPiece
from circles.talking_piece.model import Actor, Role, Seat

T0 = datetime(2025, 3, 1, 18, 0, tzinfo=UTC)
APP = Actor.app()


def pid(n: int) -> UUID:
    return UUID(int=n)


def seat(n: int, role: Role = Role.MEMBER, *, at: int | None = None, online: bool = True, agreed: bool = True) -> Seat:
    """Participant `n`, in seat `n` (or `at`)."""
    return Seat(participant_id=pid(n), seat=n if at is None else at, role=role, online=online, agreed=agreed)


def refuses(piece: TalkingPiece, command: Callable[[], object], refusal: type[errors.TalkingPieceError]) -> None:
    """The command is refused with `refusal`, and the round and its events are as they were."""
    before, recorded = copy.deepcopy(piece.round), list(piece.events)
    with pytest.raises(refusal):
        command()
    assert piece.round == before and piece.events == recorded

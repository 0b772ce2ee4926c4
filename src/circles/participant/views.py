"""How a participant is shown, in one place for every way they are asked for (REST, the live socket's
commands, a circle's state): their row, whether they are online now, and their token when it was just made."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from circles.records.participant.models import Participant, ParticipantPage, ParticipantPublic, ParticipantWithToken


def participant_view(participant: Participant, online: Collection[uuid.UUID]) -> ParticipantPublic:
    return ParticipantPublic.model_validate(
        participant, from_attributes=True, update={"online": participant.id in online}
    )


def participant_with_token(
    participant: Participant, token: str, online: Collection[uuid.UUID] = ()
) -> ParticipantWithToken:
    """With the token just made, shown this once."""
    update = {"online": participant.id in online, "token": token}
    return ParticipantWithToken.model_validate(participant, from_attributes=True, update=update)


def participant_page(
    participants: Sequence[Participant], next_cursor: str | None, online: Collection[uuid.UUID]
) -> ParticipantPage:
    return ParticipantPage(items=[participant_view(p, online) for p in participants], next_cursor=next_cursor)

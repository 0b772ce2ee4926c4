"""Private notices: frames for some of a circle's sockets only (its keepers' and the app's), outside the log.

A service notes a notice in its session; after the commit the broker hands it to this instance's hub and,
with Redis, to every other instance's, on a channel of its own, never the public event stream. Notices
carry no seq and are not replayed from here: what a notice says must also be readable over REST, and what a
socket must not miss (a pending request for support) is read from the database when it is admitted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session

_NOTICES_KEY = "circles.private_notices"


@dataclass(frozen=True, slots=True)
class PrivateNotice:
    circle_id: uuid.UUID
    recipients: frozenset[uuid.UUID]  # the participants whose sockets get it; app sockets always do
    text: str  # the frame, serialized once

    def is_for(self, participant_id: uuid.UUID | None) -> bool:
        return participant_id is None or participant_id in self.recipients


def note(session: Session, notice: PrivateNotice) -> None:
    session.info.setdefault(_NOTICES_KEY, []).append(notice)


def take(session: Session) -> list[PrivateNotice]:
    notices: list[PrivateNotice] = session.info.pop(_NOTICES_KEY, None) or []
    return notices

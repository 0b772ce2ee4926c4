"""Private notices: frames for some of a circle's sockets only (its keepers' and the app's), outside the log.

A service notes a notice in its unit of work (`circles.unit_of_work`), next to its outbox; after the commit
the broker hands it to this instance's hub and, with Redis, to every other instance's, on a channel of its
own, never the public event stream. Notices carry no seq and are not replayed from here: what a notice says
must also be readable over REST, and what a socket must not miss (a pending request for support) is read
from the database when it is admitted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PrivateNotice:
    circle_id: uuid.UUID
    recipients: frozenset[uuid.UUID]  # the participants whose sockets get it; app sockets always do
    text: str  # the frame, serialized once

    def is_for(self, participant_id: uuid.UUID | None) -> bool:
        return participant_id is None or participant_id in self.recipients

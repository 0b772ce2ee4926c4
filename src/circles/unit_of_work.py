"""The unit of work: one write, from its transaction's first statement to what it hands on after the commit.

Every write takes one path, whichever way it came in (a REST request, a socket command, a deadline timer,
a change in who is online, the command line): `Database.unit_of_work` opens its session (which takes the
write lock), makes its `UnitOfWork`, commits once, rolls back if anything raises, and only after the commit
hands the outbox and the private notices on (`Database.after_commit`). What the write needs is in the unit,
given before it starts, never fetched back from the event loop by the worker thread it runs in:

- `session`, and `principal` once the write has authenticated its caller (timers act for no one);
- `now`, read from the app's clock the first time the write asks (services ask once they hold the circle's
  lock, so writes in a circle see time move in the order they commit);
- `online`, who had a live socket in the circle, read on the event loop before the write took a thread
  (after its writer turn, so on SQLite writes on one instance read it in the order they write); absence
  rounds pass over the offline and mark an offline holder away;
- `outbox` and `notices`, what it tells the hub (events; circles erased; credentials revoked) and the
  keepers' sockets (private notices) once it has committed;
- `created_id`, the object a create made, which its audit entry names.

Code that holds only the session (the services, the event log) finds its unit with `of(session)`.

The event loop's side of a write (the writer turn, the online snapshot, then a worker thread) is
`circles.write_path.WritePath`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from circles.access.principal import Principal
from circles.clock import Clock
from circles.event.outbox import Outbox
from circles.event.private_notices import PrivateNotice

_KEY = "circles.unit_of_work"  # the one key a write session's `info` holds: its unit of work


@dataclass(frozen=True, slots=True)
class OnlineSnapshot:
    """Who had a live socket in one circle when the write began (keepers and members at least)."""

    circle_id: uuid.UUID
    participants: frozenset[uuid.UUID]


@dataclass(eq=False)
class UnitOfWork:
    session: Session
    clock: Clock
    online: OnlineSnapshot | None = None  # None: not read (the command line); everyone counts as online
    principal: Principal | None = None
    outbox: Outbox = field(default_factory=Outbox)
    notices: list[PrivateNotice] = field(default_factory=list)
    created_id: uuid.UUID | None = None
    about_circle: uuid.UUID | None = None  # the circle a write outside /v1/circles/{id} is about (a support date's)
    _now: datetime | None = field(default=None, repr=False)

    @property
    def now(self) -> datetime:
        """The moment this write acts: read from the clock at its first use, the same thereafter."""
        if self._now is None:
            self._now = self.clock.now()
        return self._now

    def online_in(self, circle_id: uuid.UUID) -> frozenset[uuid.UUID] | None:
        """Who is online in `circle_id`, if this write read it (None: everyone counts as online)."""
        if self.online is None or self.online.circle_id != circle_id:
            return None
        return self.online.participants

    def attach(self) -> UnitOfWork:
        self.session.info[_KEY] = self
        return self


def find(session: Session) -> UnitOfWork | None:
    """The unit of work `session` belongs to, if it is a write's (a read's session has none)."""
    work: UnitOfWork | None = session.info.get(_KEY)
    return work


def of(session: Session) -> UnitOfWork:
    """The unit of work `session` belongs to. Only a write's session has one."""
    work = find(session)
    if work is None:
        raise LookupError("this session is not a write's: only Database.unit_of_work's sessions are")
    return work

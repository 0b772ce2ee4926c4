"""Which live sockets were opened with which credential, so that a revoked key or token closes its sockets.

A revocation through the API closes them at once (it reaches every instance with the commit's outbox). A
revocation from the CLI, or one whose publication was lost, is found by the backstop: every so often the
credentials of all live sockets are checked against the database. That check is one thread trip for all
of them, and costs the event loop a dictionary's keys, however many sockets there are: the sockets are
indexed by credential as they come and go, not gathered from every circle at check time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable

from starlette.concurrency import run_in_threadpool

from circles.background_tasks import end_if_cancelled
from circles.live.connection import Connection
from circles.live.protocol import CloseCode

logger = logging.getLogger(__name__)

StillValid = Callable[[list[str]], set[str]]


class SocketCredentials:
    def __init__(self) -> None:
        self._sockets: dict[str, set[Connection]] = {}

    def add(self, connection: Connection) -> None:
        if connection.credential_hash:
            self._sockets.setdefault(connection.credential_hash, set()).add(connection)

    def remove(self, connection: Connection) -> None:
        sockets = self._sockets.get(connection.credential_hash)
        if sockets is not None:
            sockets.discard(connection)
            if not sockets:
                del self._sockets[connection.credential_hash]

    def revoke(self, credential_hashes: Iterable[str]) -> None:
        """Close every socket opened with one of these credential hashes."""
        for credential_hash in credential_hashes:
            for connection in list(self._sockets.get(credential_hash, ())):
                connection.close_soon(CloseCode.UNAUTHENTICATED, "credential revoked")

    def __len__(self) -> int:
        """How many distinct credentials the live sockets were opened with."""
        return len(self._sockets)

    async def check_forever(self, interval: float, still_valid: StillValid) -> None:
        """Every `interval`, close the sockets whose credential no longer works (revoked from the CLI or by
        another process, or a revocation whose news was lost)."""
        while True:
            await asyncio.sleep(interval)
            await self.check(still_valid)
            end_if_cancelled()

    async def check(self, still_valid: StillValid) -> None:
        hashes = list(self._sockets)
        if not hashes:
            return
        try:
            valid = await run_in_threadpool(still_valid, hashes)
        except Exception:
            logger.exception("checking live sockets' credentials failed; will try again")
            return
        self.revoke(h for h in hashes if h not in valid)

"""Who is online: a participant is online while any instance holds a live socket of theirs.

Each instance records its own sockets; the board answers for all instances. Keepers and members are known
by id (presence frames name them, absence rounds ask for them). Witnesses are the circle's audience and are
only counted: a circle of 10,000 witnesses must not cost a read of 10,000 records per arrival.

In-process the board is this instance's own sockets. With Redis, each circle has two sorted sets of
`participant:instance` members scored by when the record expires: one for keepers and members, read whole,
and one for witnesses, only ever counted (ZCOUNT, O(log n)). Instances refresh their records, so a dead
instance's participants drop out within the TTL. A witness with sockets on two instances at once is two
records and counts twice (see docs/decisions.md).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Mapping, Set
from typing import Any, Protocol

from redis.asyncio import Redis

from circles.live.redis_watch import RedisWatch

logger = logging.getLogger(__name__)


class PresenceBoard(Protocol):
    async def mark(self, circle_id: uuid.UUID, participant_id: uuid.UUID, online: bool, *, witness: bool) -> None: ...

    async def online(self, circle_id: uuid.UUID, local: Set[uuid.UUID]) -> set[uuid.UUID]: ...

    async def witnesses_online(self, circle_id: uuid.UUID, local: Set[uuid.UUID]) -> int: ...

    async def everyone_online(self, circle_id: uuid.UUID, local: Set[uuid.UUID]) -> set[uuid.UUID]: ...

    async def refresh(
        self, local: Mapping[uuid.UUID, Set[uuid.UUID]], local_witnesses: Mapping[uuid.UUID, Set[uuid.UUID]]
    ) -> None: ...


class LocalPresenceBoard:
    """One instance: online is exactly who has a socket here."""

    async def mark(self, circle_id: uuid.UUID, participant_id: uuid.UUID, online: bool, *, witness: bool) -> None:
        return None

    async def online(self, circle_id: uuid.UUID, local: Set[uuid.UUID]) -> set[uuid.UUID]:
        return set(local)

    async def witnesses_online(self, circle_id: uuid.UUID, local: Set[uuid.UUID]) -> int:
        return len(local)

    async def everyone_online(self, circle_id: uuid.UUID, local: Set[uuid.UUID]) -> set[uuid.UUID]:
        return set(local)

    async def refresh(
        self, local: Mapping[uuid.UUID, Set[uuid.UUID]], local_witnesses: Mapping[uuid.UUID, Set[uuid.UUID]]
    ) -> None:
        return None


class RedisPresenceBoard:
    def __init__(self, redis: Redis, prefix: str, instance_id: str, ttl_seconds: float, watch: RedisWatch) -> None:
        self._redis = redis
        self._watch = watch  # a failure is counted there, not logged each time
        self._prefix = prefix
        self._instance_id = instance_id
        self._ttl = ttl_seconds

    def _key(self, circle_id: uuid.UUID) -> str:
        return f"{self._prefix}online:{circle_id}"

    def _witness_key(self, circle_id: uuid.UUID) -> str:
        return f"{self._prefix}audience:{circle_id}"

    def _member(self, participant_id: uuid.UUID) -> str:
        return f"{participant_id}:{self._instance_id}"

    async def mark(self, circle_id: uuid.UUID, participant_id: uuid.UUID, online: bool, *, witness: bool) -> None:
        key = self._witness_key(circle_id) if witness else self._key(circle_id)
        with self._watch.attempt("presence changes not recorded"):
            if online:
                async with self._redis.pipeline(transaction=False) as pipe:
                    pipe.zadd(key, {self._member(participant_id): time.time() + self._ttl})
                    pipe.expire(key, int(self._ttl * 2) + 1)
                    await pipe.execute()
            else:
                await self._redis.zrem(key, self._member(participant_id))

    async def online(self, circle_id: uuid.UUID, local: Set[uuid.UUID]) -> set[uuid.UUID]:
        """The keepers and members with an unexpired record, plus this instance's own (Redis or not)."""
        return await self._read(self._key(circle_id), local)

    async def witnesses_online(self, circle_id: uuid.UUID, local: Set[uuid.UUID]) -> int:
        """How many unexpired witness records there are (never fewer than this instance's own)."""
        counted = 0
        with self._watch.attempt("audience counts answered for this instance only"):
            counted = await self._redis.zcount(self._witness_key(circle_id), time.time(), "+inf")
        return max(int(counted), len(local))

    async def everyone_online(self, circle_id: uuid.UUID, local: Set[uuid.UUID]) -> set[uuid.UUID]:
        """Keepers, members and witnesses by id: reads every record (for listings, not for each arrival)."""
        holders = await self._read(self._key(circle_id), local)
        return holders | await self._read(self._witness_key(circle_id), set())

    async def _read(self, key: str, local: Set[uuid.UUID]) -> set[uuid.UUID]:
        members: list[Any] = []
        with self._watch.attempt("presence reads answered for this instance only"):
            members = await self._redis.zrangebyscore(key, time.time(), "+inf")
        online = set(local)
        for member in members:
            text = member.decode() if isinstance(member, bytes) else str(member)
            online.add(uuid.UUID(text.partition(":")[0]))
        return online

    async def refresh(
        self, local: Mapping[uuid.UUID, Set[uuid.UUID]], local_witnesses: Mapping[uuid.UUID, Set[uuid.UUID]]
    ) -> None:
        """Extend this instance's records and drop everyone's expired ones."""
        now = time.time()
        if not local and not local_witnesses:
            return  # nothing to send (an empty pipeline would not even reach Redis)
        with self._watch.attempt("presence refreshes failed"):
            async with self._redis.pipeline(transaction=False) as pipe:
                for key_of, records in ((self._key, local), (self._witness_key, local_witnesses)):
                    for circle_id, participants in records.items():
                        key = key_of(circle_id)
                        if participants:
                            pipe.zadd(key, {self._member(p): now + self._ttl for p in participants})
                            pipe.expire(key, int(self._ttl * 2) + 1)
                        pipe.zremrangebyscore(key, "-inf", now)
                await pipe.execute()

"""Who is online: a participant is online while any instance holds a live socket of theirs.

Each instance records its own sockets; the board answers for all instances. Keepers and members are known
by id (presence frames name them, absence rounds ask for them). Witnesses are the circle's audience and are
only counted: a circle of 10,000 witnesses must not cost a read of 10,000 records per arrival.

In-process the board is this instance's own sockets. With Redis, a circle has two sorted sets of people
(not of sockets or records), each person scored by the latest expiry among their instances' records: one for
keepers and members (`online:{circle}`), read whole, and one for witnesses (`audience:{circle}`), only ever
counted (ZCOUNT, O(log n)). A person's records in a set are a hash beside it (`online:{circle}:{participant}`,
instance -> when that instance's record expires), so a role change moves them between sets cleanly. One
script changes a record and its person's score together, so a person with sockets on two instances counts
once, stays while either lives, and leaves when the last closes or expires. Instances refresh their
records, so a dead instance's participants drop out within the TTL.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable, Mapping, Set
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from circles.live.redis_watch import RedisWatch

logger = logging.getLogger(__name__)

REFRESH_BATCH = 500  # people per script call: a refresh of 10,000 witnesses never holds Redis for long

# KEYS[1]: the circle's sorted set of people (keepers and members, or witnesses); KEYS[2..]: each person's
# hash of records. ARGV: this instance, now, this instance's new expiry ("0": its record goes), how long the
# keys outlive their last write, then the people, in KEYS' order. Each person's score becomes the latest of
# their unexpired records (expired ones are dropped); a person with none left leaves the set.
_SET_RECORDS = """
local now = tonumber(ARGV[2])
local expiry = ARGV[3]
local keep = tonumber(ARGV[4])
for i = 2, #KEYS do
  local records = KEYS[i]
  if expiry == '0' then
    redis.call('HDEL', records, ARGV[1])
  else
    redis.call('HSET', records, ARGV[1], expiry)
  end
  local latest = nil
  local fields = redis.call('HGETALL', records)
  for j = 1, #fields, 2 do
    local until_then = fields[j + 1]
    if tonumber(until_then) <= now then
      redis.call('HDEL', records, fields[j])
    elseif latest == nil or tonumber(until_then) > tonumber(latest) then
      latest = until_then
    end
  end
  if latest == nil then
    redis.call('ZREM', KEYS[1], ARGV[i + 3])
    redis.call('DEL', records)
  else
    redis.call('ZADD', KEYS[1], latest, ARGV[i + 3])
    redis.call('EXPIRE', records, keep)
  end
end
if expiry ~= '0' and #KEYS > 1 then
  redis.call('EXPIRE', KEYS[1], keep)
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return 0
"""


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
        self._set_records = redis.register_script(_SET_RECORDS)

    def _key(self, circle_id: uuid.UUID) -> str:
        return f"{self._prefix}online:{circle_id}"

    def _witness_key(self, circle_id: uuid.UUID) -> str:
        return f"{self._prefix}audience:{circle_id}"

    @staticmethod
    def _records_key(key: str, participant_id: uuid.UUID) -> str:
        """The hash of one person's records in the set `key`, by instance."""
        return f"{key}:{participant_id}"

    async def mark(self, circle_id: uuid.UUID, participant_id: uuid.UUID, online: bool, *, witness: bool) -> None:
        key = self._witness_key(circle_id) if witness else self._key(circle_id)
        now = time.time()
        with self._watch.attempt("presence changes not recorded"):
            await self._write(key, [participant_id], now, now + self._ttl if online else None)

    async def _write(
        self,
        key: str,
        participants: Iterable[uuid.UUID],
        now: float,
        expiry: float | None,
        pipe: Pipeline | None = None,
    ) -> None:
        """Set (or, with no `expiry`, remove) this instance's record of each participant, and their scores
        (with a `pipe`, queued on it)."""
        people = list(participants)
        await self._set_records(
            keys=[key, *(self._records_key(key, p) for p in people)],
            args=[self._instance_id, repr(now), "0" if expiry is None else repr(expiry), str(int(self._ttl * 2) + 1)]
            + [str(p) for p in people],
            client=pipe,
        )

    async def online(self, circle_id: uuid.UUID, local: Set[uuid.UUID]) -> set[uuid.UUID]:
        """The keepers and members with an unexpired record, plus this instance's own (Redis or not)."""
        return await self._read(self._key(circle_id), local)

    async def witnesses_online(self, circle_id: uuid.UUID, local: Set[uuid.UUID]) -> int:
        """How many witnesses have an unexpired record (each once, however many instances hold their
        sockets; never fewer than this instance's own)."""
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
            online.add(uuid.UUID(member.decode() if isinstance(member, bytes) else str(member)))
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
                        people = sorted(participants)
                        for start in range(0, max(len(people), 1), REFRESH_BATCH):
                            batch = people[start : start + REFRESH_BATCH]
                            await self._write(key_of(circle_id), batch, now, now + self._ttl, pipe)
                await pipe.execute()

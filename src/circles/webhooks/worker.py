"""The delivery worker: reads what each endpoint is owed from the log and sends it, in order, at least once.

Its own asyncio tasks, never a request's: a slow receiver holds one of `concurrency` tasks and nothing else.
Each endpoint's queue is worked by one instance at a time, the holder of its lease (`webhook_lease`): the
worker claims due endpoints (PostgreSQL: FOR UPDATE SKIP LOCKED, so instances claiming together take
different rows), renews the lease in the same transaction as each delivery's record, and lets it go when
the queue is empty. An instance that dies holds its leases until they lapse (`lease_seconds`); then another
claims them and goes on from the last acknowledged seq, so a message whose answer was never recorded is sent
again: at least once, in seq order per circle and endpoint.

A try that fails (no answer within `timeout_seconds`, or any status but 2xx) is tried again after an
exponential backoff with jitter; after `give_up_seconds` of failures the endpoint is disabled. A 410 disables
it at once. The hub's listener only wakes the worker early: it polls the database every `poll_seconds`.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from circles.background_tasks import stop_tasks
from circles.event import log as event_log
from circles.event.payloads import LoggedEvent
from circles.records.webhook import repository
from circles.records.webhook.models import WebhookEndpoint, WebhookMessage
from circles.settings import Settings
from circles.unit_of_work import UnitOfWork
from circles.webhooks import service
from circles.webhooks.delivery import Outcome, Outgoing, Sender, WebhookBody
from circles.write_path import WritePath

logger = logging.getLogger("circles.webhooks")
T = TypeVar("T")

DATABASE_STEPS_AT_ONCE = 4  # of the pool's connections kept beyond the request slots (db.RESERVED_CONNECTIONS)
CIRCLES_PER_PLAN = 10  # a plan takes a batch from each of up to this many circles, so no busy circle starves the rest
EVENTS_PER_CIRCLE = 50


@dataclass(frozen=True)
class Timing:
    """Every delay the delivery keeps (settings `CIRCLES_WEBHOOKS_*`; tests shrink them)."""

    timeout_seconds: float = 10.0
    retry_base_seconds: float = 5.0
    retry_max_seconds: float = 3600.0
    give_up_seconds: float = 86400.0
    lease_seconds: float = 30.0
    poll_seconds: float = 2.0
    concurrency: int = 16

    @staticmethod
    def of(settings: Settings) -> Timing:
        return Timing(
            timeout_seconds=settings.webhooks_timeout_seconds,
            retry_base_seconds=settings.webhooks_retry_base_seconds,
            retry_max_seconds=settings.webhooks_retry_max_seconds,
            give_up_seconds=settings.webhooks_give_up_seconds,
            lease_seconds=settings.webhooks_lease_seconds,
            poll_seconds=settings.webhooks_poll_seconds,
            concurrency=settings.webhooks_concurrency,
        )

    def backoff(self, failures: int, rng: random.Random) -> float:
        """The wait after the `failures`-th failure in a row: doubling from the base, capped, ±20% jitter."""
        delay = min(self.retry_max_seconds, self.retry_base_seconds * 2 ** min(failures - 1, 40))
        return float(delay * rng.uniform(0.8, 1.2))


@dataclass(frozen=True)
class Item:
    """One message of a plan, and what acknowledging it moves: a stored message is deleted; a log event moves
    its circle's cursor from `was` to its seq."""

    outgoing: Outgoing | None  # None: nothing to send, only the cursor to move past events the endpoint skips
    stored: int | None = None
    circle_id: uuid.UUID | None = None
    was: int = 0
    to: int = 0


@dataclass
class Plan:
    url: str
    secrets: list[str]
    items: list[Item] = field(default_factory=list)


class WebhookWorker:
    def __init__(
        self,
        write_path: WritePath,
        timing: Timing,
        holder: str,
        sender: Sender,
        rng: random.Random | None = None,
    ) -> None:
        self._write_path = write_path
        self._database = write_path.database
        self.timing = timing
        self.holder = holder
        self._sender = sender
        self._rng = rng or random.Random()
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._main: asyncio.Task[None] | None = None
        self._active: dict[uuid.UUID, asyncio.Task[None]] = {}
        self._database_steps = asyncio.Semaphore(DATABASE_STEPS_AT_ONCE)  # never the pool's share of the requests

    # Running

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._main = asyncio.create_task(self._run(), name="webhooks")

    async def stop(self) -> None:
        held = list(self._active)
        await stop_tasks([self._main, *self._active.values()])
        if held:  # let the others take them now, not when the leases lapse
            try:
                await asyncio.wait_for(self._write(lambda work: self._release_all(work, held)), 5)
            except Exception:
                logger.warning("webhooks: could not release the leases on stop", exc_info=True)
        await self._sender.close()

    def wake(self) -> None:
        """Look for work now (from any thread)."""
        if self._loop is not None and not self._loop.is_closed() and not self._wake.is_set():
            self._loop.call_soon_threadsafe(self._wake.set)

    def on_event(self, _event: LoggedEvent) -> None:
        """Hub listener: an event was committed; an endpoint may be owed it."""
        self.wake()

    async def _run(self) -> None:
        while True:
            try:
                await self._claim()
            except Exception:
                logger.exception("webhooks: claiming endpoints failed; trying again")
            try:
                await asyncio.wait_for(self._wake.wait(), self.timing.poll_seconds)
                await asyncio.sleep(0.05)  # a burst of events is one look, not one each
            except TimeoutError:
                pass
            self._wake.clear()

    async def _claim(self) -> None:
        free = self.timing.concurrency - len(self._active)
        if free <= 0:
            return
        skip = list(self._active)
        if not await self._read(lambda session: self._any_due(session, skip)):
            return
        for endpoint_id in await self._write(lambda work: self._claim_in(work, skip, free)):
            task = asyncio.create_task(self._work(endpoint_id), name=f"webhook {endpoint_id}")
            self._active[endpoint_id] = task

    def _any_due(self, session: Session, skip: list[uuid.UUID]) -> bool:
        now = self._database.clock.now()
        return bool(repository.claimable(session, self.holder, now, skip, 1))

    def _claim_in(self, work: UnitOfWork, skip: list[uuid.UUID], limit: int) -> list[uuid.UUID]:
        until = work.now + timedelta(seconds=self.timing.lease_seconds)
        return repository.claim(work.session, self.holder, work.now, until, skip, limit)

    # One endpoint's queue, while this instance holds its lease

    async def _work(self, endpoint_id: uuid.UUID) -> None:
        renewed_at = time.monotonic()
        keep = False  # the lease is not ours to release: lost to another instance, or stop() releases it
        try:
            while True:
                plan = await self._read(lambda session: self._plan(session, endpoint_id))
                if plan is None or not plan.items:
                    return
                for item in plan.items:
                    margin = self.timing.lease_seconds - self.timing.timeout_seconds - 1
                    if time.monotonic() - renewed_at > margin / 2:
                        if not await self._write(lambda work: self._renew(work, endpoint_id)):
                            keep = True
                            return
                        renewed_at = time.monotonic()
                    verdict = await self._deliver(endpoint_id, plan, item)
                    renewed_at = time.monotonic()
                    if verdict == "replan":  # a replay moved a cursor: the rest of this plan is stale
                        break
                    if verdict != "ok":
                        keep = verdict == "lost"
                        return
        except asyncio.CancelledError:
            keep = True  # stop() releases what is left
            raise
        except Exception:
            logger.exception("webhooks: working endpoint %s failed; it will be tried again", endpoint_id)
        finally:
            self._active.pop(endpoint_id, None)
            if not keep:
                try:
                    await self._write(lambda work: repository.release(work.session, endpoint_id, self.holder))
                except Exception:
                    logger.warning("webhooks: could not release endpoint %s", endpoint_id, exc_info=True)
            self._wake.set()  # another endpoint may be waiting for this task's place

    async def _deliver(self, endpoint_id: uuid.UUID, plan: Plan, item: Item) -> str:
        if item.outgoing is None:
            return await self._write(lambda work: self._record(work, endpoint_id, item, None, None))
        began = self._database.clock.now()
        outcome = await self._sender.send(plan.url, plan.secrets, item.outgoing)
        return await self._write(lambda work: self._record(work, endpoint_id, item, outcome, began))

    def _plan(self, session: Session, endpoint_id: uuid.UUID) -> Plan | None:
        """What to send next: the stored messages first, then a batch of each circle the endpoint is behind on."""
        endpoint = session.get(WebhookEndpoint, endpoint_id)
        if endpoint is None or not endpoint.enabled:
            return None
        plan = Plan(endpoint.url, repository.signing_secrets(session, endpoint.id, self._database.clock.now()))
        for message in repository.next_messages(session, endpoint.id, EVENTS_PER_CIRCLE):
            plan.items.append(Item(_stored(message), stored=message.id))
        if plan.items:
            return plan
        wanted = set(endpoint.events) if endpoint.events is not None else None
        for circle_id, cursor in repository.circles_behind(session, endpoint, CIRCLES_PER_PLAN):
            events = event_log.events_after(session, circle_id, cursor, EVENTS_PER_CIRCLE)
            was = cursor
            for event in events:
                if wanted is None or event.name in wanted:
                    body = WebhookBody(
                        type="event", circle_id=circle_id, seq=event.seq, name=event.name, at=event.at, data=event.data
                    )
                    outgoing = Outgoing(Outgoing.event_id(circle_id, event.seq), body)
                    plan.items.append(Item(outgoing, circle_id=circle_id, was=was, to=event.seq))
                    was = event.seq
            if events and was != events[-1].seq:  # the rest are events it does not want: move past them
                plan.items.append(Item(None, circle_id=circle_id, was=was, to=events[-1].seq))
        return plan

    def _renew(self, work: UnitOfWork, endpoint_id: uuid.UUID) -> bool:
        until = work.now + timedelta(seconds=self.timing.lease_seconds)
        return repository.renew(work.session, endpoint_id, self.holder, until)

    def _record(
        self, work: UnitOfWork, endpoint_id: uuid.UUID, item: Item, outcome: Outcome | None, began: datetime | None
    ) -> str:
        """The try's record, the lease renewed, and what it acknowledged, in one transaction. Returns `ok` (go
        on), `replan` (a replay moved the cursor: read the plan again), `failed` (wait for the next try), or
        `lost` (another instance holds the lease now)."""
        session, now = work.session, work.now
        if not self._renew(work, endpoint_id):
            return "lost"
        endpoint = session.get(WebhookEndpoint, endpoint_id, with_for_update=True)
        if endpoint is None:
            return "failed"
        if outcome is not None and item.outgoing is not None:
            body = item.outgoing.body
            repository.record_attempt(
                session,
                {
                    "endpoint_id": endpoint_id,
                    "at": began or now,
                    "message_id": item.outgoing.message_id,
                    "name": body.name,
                    "circle_id": body.circle_id,
                    "seq": body.seq,
                    "status_code": outcome.status_code,
                    "duration_ms": outcome.duration_ms,
                    "error": outcome.error,
                },
            )
        if outcome is None or outcome.ok:
            moved = True
            if item.stored is not None:
                repository.delete_message(session, item.stored)
            elif item.circle_id is not None:
                moved = repository.advance_cursor(session, endpoint_id, item.circle_id, item.was, item.to)
            if endpoint.failures:
                endpoint.failing_since, endpoint.failures, endpoint.next_attempt_at = None, 0, None
                session.add(endpoint)
            if not endpoint.enabled:
                return "failed"  # the app disabled it meanwhile: stop here
            return "ok" if moved else "replan"
        if outcome.gone:
            service.disable(session, endpoint, "gone", now)
        else:
            endpoint.failures += 1
            endpoint.failing_since = endpoint.failing_since or now
            if (now - endpoint.failing_since).total_seconds() >= self.timing.give_up_seconds:
                service.disable(session, endpoint, "failing", now)
            else:
                wait = self.timing.backoff(endpoint.failures, self._rng)
                endpoint.next_attempt_at = now + timedelta(seconds=wait)
                session.add(endpoint)
        return "failed"

    def _release_all(self, work: UnitOfWork, endpoint_ids: list[uuid.UUID]) -> None:
        for endpoint_id in endpoint_ids:
            repository.release(work.session, endpoint_id, self.holder)

    # The database, off the event loop

    async def _read(self, read: Callable[[Session], T]) -> T:
        def in_thread() -> T:
            with self._database.read_session() as session:
                return read(session)

        async with self._database_steps:
            return await run_in_threadpool(in_thread)

    async def _write(self, write: Callable[[UnitOfWork], T]) -> T:
        async with self._database_steps:
            return await self._write_path.run(None, write)


def _stored(message: WebhookMessage) -> Outgoing:
    body = WebhookBody(
        type="notice", circle_id=message.circle_id, seq=None, name=message.name, at=message.at, data=message.data
    )
    return Outgoing(message.message_id, body)

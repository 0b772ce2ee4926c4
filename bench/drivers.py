"""What makes the changes: Circles' real REST API, or a publisher socket to a peer, at a fixed rate.

A "turn change" is what a keeper pressing "next" causes. In Circles it is one `POST .../turns/{id}/finish`
(the events turn.ended and turn.started; when a round runs out, round.ended and a new round's
round.started and turn.started, through `POST .../rounds`). For a peer it is one publish of the same two
events, with data of the same shape and size.

Setup uses the real API only: the app key comes from `circles apps create`, circles and participants from
`POST /v1/circles` and `POST /v1/circles/{id}/participants`.
"""

from __future__ import annotations

import asyncio
import itertools
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import orjson

from bench.http_client import HttpClient
from bench.processes import HOST, Server
from bench.wsclient import WebSocketClient, connect

INTENTION_CHARS = 2000  # the longest intention a circle may have: the largest event one request causes
SETUP_CONCURRENCY = 16  # setup requests in flight: enough to keep one server busy, few enough to stay fair


def create_app_key(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "circles", "apps", "create", "bench"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1].strip()


@dataclass
class CircleSeats:
    id: str
    tokens: list[str]
    turn_id: str | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class CirclesApi:
    def __init__(self, server: Server, key: str) -> None:
        self.server = server
        self.setup_gate = asyncio.Semaphore(SETUP_CONCURRENCY)  # shared by every make_circles at once
        # Not httpx: the generator's own CPU is inside every REST latency it times (see bench/http_client.py).
        self.client = HttpClient(HOST, server.port, {"Authorization": f"Bearer {key}"}, max_connections=64)

    async def close(self) -> None:
        await self.client.aclose()

    async def _post(self, path: str, body: dict[str, Any], expect: int) -> dict[str, Any]:
        response = await self.client.post(path, json=body)
        if response.status_code != expect:
            raise RuntimeError(f"POST {path}: {response.status_code} {response.text[:300]}")
        return response.json()

    async def make_circles(self, count: int, members: int, witnesses: int = 0) -> list[CircleSeats]:
        """`count` circles, each with a keeper, members-1 members and `witnesses` witnesses, and a round.
        At most SETUP_CONCURRENCY requests in flight across every make_circles running at once."""

        async def call(path: str, body: dict[str, Any], expect: int) -> dict[str, Any]:
            async with self.setup_gate:
                return await self._post(path, body, expect)

        async def one(index: int) -> CircleSeats:
            circle = await call("/v1/circles", {"name": f"bench {index}", "turn_seconds": None}, 201)
            seats = CircleSeats(circle["id"], [])
            roles = ["keeper"] + ["member"] * (members - 1) + ["witness"] * witnesses
            people = await asyncio.gather(
                *(
                    call(f"/v1/circles/{seats.id}/participants", {"display_name": f"p{n}", "role": role}, 201)
                    for n, role in enumerate(roles)
                )
            )
            seats.tokens = [p["token"] for p in people]
            async with self.setup_gate:
                await self.start_round(seats)
            return seats

        return list(await asyncio.gather(*(one(i) for i in range(count))))

    async def start_round(self, seats: CircleSeats) -> None:
        round_ = await self._post(f"/v1/circles/{seats.id}/rounds", {"prompt": "How are you arriving?"}, 201)
        seats.turn_id = next(t["id"] for t in round_["turns"] if t["ended_at"] is None)

    async def turn_change(self, seats: CircleSeats) -> float:
        """Finish the open turn (and start a new round when that one is over); the finish call's seconds."""
        async with seats.lock:
            started = time.perf_counter()
            round_ = await self._post(f"/v1/circles/{seats.id}/turns/{seats.turn_id}/finish", {"outcome": "spoke"}, 200)
            took = time.perf_counter() - started
            open_turn = next((t for t in round_["turns"] if t["ended_at"] is None), None)
            if open_turn is None:
                await self.start_round(seats)
            else:
                seats.turn_id = open_turn["id"]
            return took

    async def intention_change(self, seats: CircleSeats) -> float:
        """A keeper rewrites the circle's intention (2,000 characters): one circle.updated event, the
        largest a single request causes; the call's seconds."""
        started = time.perf_counter()
        response = await self.client.patch(f"/v1/circles/{seats.id}", json={"intention": intention_text()})
        if response.status_code != 200:
            raise RuntimeError(f"PATCH circle: {response.status_code} {response.text[:300]}")
        return time.perf_counter() - started

    async def last_seqs(self, circles: list[CircleSeats]) -> dict[str, int]:
        gate = asyncio.Semaphore(SETUP_CONCURRENCY)  # its own: it may run beside setup or changes

        async def one(seats: CircleSeats) -> tuple[str, int]:
            async with gate:
                response = await self.client.get(f"/v1/circles/{seats.id}/state")
                response.raise_for_status()
                return seats.id, response.json()["seq"]

        return dict(await asyncio.gather(*(one(c) for c in circles)))


_intentions = itertools.count()


def intention_text() -> str:
    """A different 2,000-character intention each call (so each is a change)."""
    head = f"Why we gather, version {next(_intentions)}: "
    return head + "to listen " * ((INTENTION_CHARS - len(head)) // 10) + "." * ((INTENTION_CHARS - len(head)) % 10)


# -- peers -------------------------------------------------------------------------------------------------
def _turn_data(room: str) -> list[dict[str, Any]]:
    """Two events shaped and sized like Circles' turn.ended and turn.started."""
    now = time.time()
    turn, person, round_ = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    return [
        {
            "name": "turn.ended",
            "data": {
                "round_id": round_,
                "turn_id": turn,
                "participant_id": person,
                "outcome": "spoke",
                "ended_at": now,
                "by": str(uuid.uuid4()),
            },
        },
        {
            "name": "turn.started",
            "data": {
                "round_id": round_,
                "turn_id": str(uuid.uuid4()),
                "participant_id": person,
                "started_at": now,
                "deadline": None,
                "seat": 3,
                "room": room,
            },
        },
    ]


class PeerPublisher:
    """One publisher socket to a peer; counts what it published per room (the rooms' last seqs)."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.client: WebSocketClient | None = None
        self.published: dict[str, int] = {}
        self._ready = asyncio.Event()

    async def open(self) -> None:
        socketio = self.server.protocol == "socketio"
        path = "/socket.io/?EIO=4&transport=websocket" if socketio else "/publish"
        self.client = await connect(HOST, self.server.port, path, self._on_text)
        if not socketio:
            self._ready.set()
        await asyncio.wait_for(self._ready.wait(), 10)

    def _on_text(self, client: WebSocketClient, text: str, _received_at: float) -> None:
        if text[:1] == "0":
            client.send_text('40{"token":"publisher"}')
        elif text == "2":
            client.send_text("3")
        elif text[:2] == "40":
            self._ready.set()

    async def turn_change(self, room: str) -> float:
        self._send({"room": room, "events": _turn_data(room)})
        self.published[room] = self.published.get(room, 0) + 2
        return 0.0

    async def intention_change(self, room: str) -> float:
        """One circle.updated event, shaped and sized like Circles' (the whole circle, a 2,000-character
        intention in it)."""
        circle = {
            "id": room,
            "name": "bench",
            "intention": intention_text(),
            "agreements": [],
            "turn_seconds": None,
            "time_limit": None,
            "support_resources": [],
            "agreements_version": 1,
            "status": "open",
            "created_at": "2026-11-25T00:00:00.000000Z",
            "closed_at": None,
        }
        self._send({"room": room, "events": [{"name": "circle.updated", "data": {"circle": circle}}]})
        self.published[room] = self.published.get(room, 0) + 1
        return 0.0

    def _send(self, message: dict[str, Any]) -> None:
        assert self.client is not None
        socketio = self.server.protocol == "socketio"
        self.client.send_text(
            "42" + orjson.dumps(["publish", message]).decode() if socketio else orjson.dumps(message).decode()
        )

    def close(self) -> None:
        if self.client is not None:
            self.client.close()


async def at_rate(action: Any, rooms: list[Any], rate: float, seconds: float, in_flight: int = 64) -> dict[str, Any]:
    """Call `action(room)` `rate` times a second for `seconds`, round-robin over `rooms`, on a fixed
    schedule (open loop: a slow answer does not slow the schedule, up to `in_flight` at once)."""
    total = max(1, int(rate * seconds))
    gate = asyncio.Semaphore(in_flight)
    tasks = []
    durations: list[float] = []
    started = time.perf_counter()

    failed: list[BaseException] = []

    async def one(room: Any) -> None:
        try:
            durations.append(await action(room))
        except BaseException as error:
            failed.append(error)
            raise
        finally:
            gate.release()

    for index in range(total):
        delay = started + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        await gate.acquire()
        tasks.append(asyncio.create_task(one(rooms[index % len(rooms)])))
        if failed:
            break  # a failed change ends the window (gather below raises it)
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    elapsed = time.perf_counter() - started
    return {"changes": total, "seconds": elapsed, "achieved_rate": total / elapsed, "durations": durations}

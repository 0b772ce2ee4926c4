"""The load generator: its own process, holding many real WebSocket followers on loopback.

`python -m bench.loadgen` reads one JSON command a line on stdin and answers each with one JSON line on
stdout; the orchestrator (bench.run) drives one or more of these. Commands:

- connect: open the given sockets (protocol, host, port, [[room, token], ...]) and authenticate each the
  way that server's real clients do; answers when every one is caught up (or failed).
- reset: forget the latencies and frame counts so far (a new measuring window starts).
- pause_slow: stop reading on the slow sockets (every n-th at connect: the "slow 5%") of the given rooms.
- resume_slow: read the slow sockets again; after a bounded wait, how many the server had closed meanwhile.
- storm: drop every socket at once and reconnect each, resuming after the last seq it has.
- collect: the window's latency histogram, frame counts, own CPU, and (given each room's last seq) how
  many events each socket missed or got twice.
- stop: close everything and exit.

Latency is `received_at - at`: the wall clock when the chunk holding the frame was read, minus the `at` the
server stamped on the event (Circles: inside the committing transaction; the peers: when the publish
reached them). Both clocks are this machine's CLOCK_REALTIME, so the difference is exact to the microsecond.
"""

from __future__ import annotations

import asyncio
import math
import resource
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from bench.wsclient import WebSocketClient, connect

BUCKET_BASE = 1e-5  # 10 µs
BUCKET_RATIO = 1.02  # each histogram bucket is 2% wider than the one before: percentiles to within 2%
BUCKETS = 1200
SLOW_RECEIVE_BUFFER = 4096  # bytes: a phone on a poor network
SLOW_MAX_SEGMENT = 1400  # bytes: an Internet path's MSS, not loopback's 64 KiB


def bucket_of(seconds: float) -> int:
    if seconds <= BUCKET_BASE:
        return 0
    return min(BUCKETS - 1, int(math.log(seconds / BUCKET_BASE) / math.log(BUCKET_RATIO)) + 1)


def bucket_upper(index: int) -> float:
    return BUCKET_BASE * BUCKET_RATIO**index


@dataclass(eq=False)
class Follower:
    room: str
    token: str
    generator: Generator
    client: WebSocketClient | None = None
    slow: bool = False  # one of the slow 5%: reads normally until paused
    paused: bool = False  # stopped reading once: its seqs are not checked any more
    start_seq: int | None = None  # the seq its catch-up brought it to (snapshot seq, or `after`)
    last_seq: int = 0
    seqs: list[int] = field(default_factory=list)
    caught_up: asyncio.Event = field(default_factory=asyncio.Event)
    error: str = ""

    # -- per protocol -------------------------------------------------------------------------------------
    def path(self, protocol: str) -> str:
        if protocol == "circles":
            return f"/v1/circles/{self.room}/live"
        if protocol == "plain":
            return f"/ws/{self.room}"
        return "/socket.io/?EIO=4&transport=websocket"

    def authenticate(self, protocol: str, after: int | None) -> None:
        assert self.client is not None
        if protocol in ("circles", "plain"):
            message: dict[str, Any] = {"type": "auth", "token": self.token}
            if after is not None:
                message["after"] = after
            self.client.send_text(orjson.dumps(message).decode())
        # socket.io authenticates in its CONNECT packet, once the server's OPEN packet has arrived

    def on_text(self, client: WebSocketClient, text: str, received_at: float) -> None:
        protocol = self.generator.protocol
        if protocol == "socketio":
            kind = text[:2]
            if text[:1] == "0":
                client.send_text("40" + orjson.dumps({"token": self.token, "room": self.room}).decode())
            elif text == "2":
                client.send_text("3")
            elif kind == "40":
                self._ready(0)
            elif kind == "42":
                name, frame = orjson.loads(text[2:])[:2]
                if name == "event":
                    self._event(frame, received_at)
            return
        frame = orjson.loads(text)
        kind = frame.get("type")
        if kind == "event":
            self._event(frame, received_at)
        elif kind == "snapshot":
            self._ready(frame["seq"])
        elif kind == "presence" and "participants_online" in frame:
            self._ready(self.last_seq)  # the end of a replay (`after` was given)
        elif kind == "welcome" and protocol == "plain":
            self._ready(0)

    def _ready(self, seq: int) -> None:
        if self.start_seq is None:
            self.start_seq = seq
            self.last_seq = max(self.last_seq, seq)
        self.caught_up.set()

    def _event(self, frame: dict[str, Any], received_at: float) -> None:
        seq = frame["seq"]
        self.seqs.append(seq)
        self.last_seq = max(self.last_seq, seq)
        if not self.caught_up.is_set():
            return  # a replayed event: old news, not a delivery to time
        at = frame["at"]
        stamp = at if isinstance(at, float | int) else datetime.fromisoformat(at).timestamp()
        self.generator.record(received_at - stamp, self.slow and self.generator.exclude_slow)


class Generator:
    def __init__(self) -> None:
        self.protocol = "circles"
        self.host = "127.0.0.1"
        self.port = 0
        self.followers: list[Follower] = []
        self.histogram = [0] * BUCKETS
        self.slow_histogram = [0] * BUCKETS
        self.frames = 0
        self.max_latency = 0.0
        self.exclude_slow = False
        self.window_started = time.monotonic()
        self.cpu_started = time.process_time()

    def record(self, latency: float, slow: bool) -> None:
        if slow:
            self.slow_histogram[bucket_of(latency)] += 1
            return
        self.frames += 1
        self.histogram[bucket_of(latency)] += 1
        if latency > self.max_latency:
            self.max_latency = latency

    async def open(self, follower: Follower, after: int | None) -> None:
        # Cleared before connecting, never after: a socket.io server's OPEN packet comes with the upgrade's
        # answer, the client answers it at once, and the server's reply can arrive (and set caught_up)
        # before connect() has returned.
        follower.caught_up.clear()
        try:
            follower.client = await connect(
                self.host,
                self.port,
                follower.path(self.protocol),
                follower.on_text,
                receive_buffer=SLOW_RECEIVE_BUFFER if follower.slow else None,
                max_segment=SLOW_MAX_SEGMENT if follower.slow else None,
            )
            follower.authenticate(self.protocol, after)
            await asyncio.wait_for(follower.caught_up.wait(), 30)
            follower.error = ""
        except Exception as error:  # counted and reported, never hidden
            follower.error = type(error).__name__
            if follower.client is not None:
                follower.client.abort()

    async def open_all(self, followers: list[Follower], concurrency: int, resume: bool) -> dict[str, Any]:
        gate = asyncio.Semaphore(concurrency)

        async def one(follower: Follower) -> None:
            async with gate:
                after = follower.last_seq if resume else None
                await self.open(follower, after)

        started, cpu = time.monotonic(), time.process_time()
        await asyncio.gather(*(one(f) for f in followers))
        errors = Counter(f.error for f in followers if f.error)
        return {
            "connected": len(followers) - sum(errors.values()),
            "errors": dict(errors),
            "seconds": time.monotonic() - started,
            "cpu": time.process_time() - cpu,
        }

    # -- commands -----------------------------------------------------------------------------------------
    async def handle(self, command: dict[str, Any]) -> dict[str, Any]:
        name = command["cmd"]
        if name == "connect":
            self.protocol, self.host, self.port = command["protocol"], command["host"], command["port"]
            every = command.get("slow_every", 0)
            new = [Follower(room, token, self) for room, token in command["sockets"]]
            for index, follower in enumerate(new):
                follower.slow = bool(every) and index % every == every - 1
            self.followers += new
            return await self.open_all(new, command.get("concurrency", 200), resume=False)
        if name == "reset":
            self.histogram = [0] * BUCKETS
            self.slow_histogram = [0] * BUCKETS
            self.frames = 0
            self.max_latency = 0.0
            self.exclude_slow = command.get("exclude_slow", False)
            self.window_started = time.monotonic()
            self.cpu_started = time.process_time()
            return {"ok": True}
        if name == "pause_slow":  # the slow followers of the given rooms (all rooms when none are given)
            rooms = set(command.get("rooms") or {f.room for f in self.followers})
            paused = 0
            for follower in self.followers:
                if follower.slow and follower.room in rooms and follower.client is not None:
                    follower.client.pause()
                    follower.paused = True
                    paused += 1
            return {"paused": paused, "at": time.time()}
        if name == "resume_slow":
            slow = [f.client for f in self.followers if f.paused and f.client is not None]
            for client in slow:
                client.resume()
            await asyncio.sleep(command.get("seconds", 2.0))  # what the server had buffered is read, then its close
            return {"slow": len(slow), "cut": sum(1 for client in slow if not client.open)}
        if name == "storm":
            for follower in self.followers:
                if follower.client is not None:
                    follower.client.abort()
            await asyncio.sleep(0)
            return await self.open_all(self.followers, command.get("concurrency", 1000), resume=True)
        if name == "collect":
            return self.collect(command.get("expected"))
        if name == "stop":
            for follower in self.followers:
                if follower.client is not None:
                    follower.client.close()
            await asyncio.sleep(0.2)
            return {"ok": True}
        raise ValueError(f"unknown command {name!r}")

    def collect(self, expected: dict[str, int] | None) -> dict[str, Any]:
        wall = time.monotonic() - self.window_started
        cpu = time.process_time() - self.cpu_started
        result: dict[str, Any] = {
            "histogram": self.histogram,
            "frames": self.frames,
            "max": self.max_latency,
            "wall": wall,
            "cpu": cpu,
            "sockets": len(self.followers),
            "slow_frames": sum(self.slow_histogram),
        }
        closes = Counter(str(f.client.close_code) for f in self.followers if f.client is not None and not f.client.open)
        result["closed"] = dict(closes)
        slow_cut = [f.client.closed_at for f in self.followers if f.slow and f.client and f.client.closed_at]
        result["slow_cut_at"] = slow_cut
        if expected is not None:
            lost = doubled = checked = 0
            for follower in self.followers:
                if follower.paused or follower.start_seq is None or follower.room not in expected:
                    continue
                checked += 1
                counts = Counter(s for s in follower.seqs if s > follower.start_seq)
                doubled += sum(n - 1 for n in counts.values() if n > 1)
                lost += sum(1 for s in range(follower.start_seq + 1, expected[follower.room] + 1) if s not in counts)
            result.update(lost=lost, doubled=doubled, checked=checked)
        return result


def raise_file_limit() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


async def serve_commands() -> None:
    generator = Generator()
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=2**28)  # a connect command lists every socket
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        command = orjson.loads(line)
        try:
            answer = await generator.handle(command)
        except Exception as error:
            answer = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(orjson.dumps(answer).decode() + "\n")
        sys.stdout.flush()
        if command["cmd"] == "stop":
            return


def main() -> None:
    raise_file_limit()
    try:
        import uvloop

        uvloop.run(serve_commands())
    except ImportError:
        asyncio.run(serve_commands())


if __name__ == "__main__":
    main()

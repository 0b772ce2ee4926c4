"""The processes of a run: the servers under test and the load generators, each started, watched and ended.

Every process listens on or connects to 127.0.0.1 only, has its file limit raised to the hard limit, and
is ended (SIGTERM, then SIGKILL after a bounded wait) when its scenario ends, however it ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import psutil

HOST = "127.0.0.1"
BENCH_DIR = Path(__file__).resolve().parent
START_SECONDS = 30.0


def raise_file_limit() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def process_cpu_seconds(ps: psutil.Process) -> float:
    """A process's CPU time to the nanosecond where the kernel offers it (Linux: the process's CPU-time
    clock, `clock_gettime` on its clock id), else psutil's user + system (whole clock ticks: 10 ms, too coarse
    for a short window at a small size)."""
    try:
        return time.clock_gettime((~ps.pid << 3) | 2)  # CPUCLOCK_SCHED of the process, as glibc builds it
    except (OSError, OverflowError, AttributeError):
        times = ps.cpu_times()
        return times.user + times.system


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


# -- the servers under test ---------------------------------------------------------------------------------
# name -> (how its followers speak, the command that serves it on a port)
PEERS: dict[str, tuple[str, list[str]]] = {
    "websockets.broadcast": ("plain", [sys.executable, "-m", "bench.peers.bare_websockets"]),
    "naive FastAPI": ("plain", [sys.executable, "-m", "bench.peers.naive_fastapi"]),
    "python-socketio": ("socketio", [sys.executable, "-m", "bench.peers.python_socketio"]),
    "socket.io (Node)": ("socketio", ["node", str(BENCH_DIR / "socketio_node.js")]),
}
CIRCLES = "Circles"


@dataclass(eq=False)
class Server:
    name: str
    protocol: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [*self.argv, str(self.port)] if self.protocol != "circles" else [*self.argv, "--port", str(self.port)],
                env=self.env,
                cwd=self.log_path.parent,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=raise_file_limit,
            )
        give_up = time.monotonic() + START_SECONDS
        while time.monotonic() < give_up:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), timeout=0.5):
                if self.protocol != "circles" or self._live():
                    return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.name} did not start within {START_SECONDS} s:\n{self.log_tail()}")

    def _live(self) -> bool:
        import httpx

        try:
            return httpx.get(f"http://{HOST}:{self.port}/livez", timeout=1.0, trust_env=False).status_code == 200
        except httpx.TransportError:
            return False

    def usage(self) -> tuple[float, int]:
        """CPU seconds used so far (user + system, every thread, exited ones included) and resident memory
        now, in bytes."""
        assert self.process is not None
        ps = psutil.Process(self.process.pid)
        return process_cpu_seconds(ps), ps.memory_info().rss

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(15)
        self.process = None


def peer_server(name: str, folder: Path) -> Server:
    protocol, argv = PEERS[name]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(BENCH_DIR.parent)}
    return Server(name, protocol, argv, env, folder / f"{name.split()[0].replace('.', '-')}.log")


def circles_server(folder: Path, env: dict[str, str], label: str = CIRCLES) -> Server:
    argv = [sys.executable, "-m", "circles", "serve"]
    return Server(label, "circles", argv, env, folder / f"{label.replace(' ', '-')}.log")


# -- the load generators ------------------------------------------------------------------------------------
class Generators:
    """`count` load-generator processes; every command goes to all of them, and their answers come back
    as a list. Sockets are dealt out round-robin."""

    def __init__(self, count: int, folder: Path) -> None:
        self.count = count
        self.folder = folder
        self.processes: list[asyncio.subprocess.Process] = []

    async def __aenter__(self) -> Generators:
        env = {**os.environ, "PYTHONPATH": str(BENCH_DIR.parent)}
        for index in range(self.count):
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bench.loadgen",
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=(self.folder / f"loadgen-{index}.log").open("ab"),
                env=env,
                limit=2**26,
            )
            self.processes.append(process)
        return self

    async def __aexit__(self, *exc: object) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.all({"cmd": "stop"}), 20)
        for process in self.processes:
            if process.returncode is None:
                process.kill()
            await process.wait()

    async def ask(self, index: int, command: dict[str, Any], timeout: float = 300) -> dict[str, Any]:
        process = self.processes[index]
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(orjson.dumps(command) + b"\n")
        await process.stdin.drain()
        line = await asyncio.wait_for(process.stdout.readline(), timeout)
        if not line:
            raise RuntimeError(f"load generator {index} died; see {self.folder}/loadgen-{index}.log")
        answer = orjson.loads(line)
        if "error" in answer:
            raise RuntimeError(f"load generator {index}: {answer['error']}")
        return answer

    async def all(self, command: dict[str, Any], timeout: float = 300) -> list[dict[str, Any]]:
        return list(await asyncio.gather(*(self.ask(i, command, timeout) for i in range(self.count))))

    async def connect(
        self, server: Server, sockets: list[tuple[str, str]], slow_every: int = 0, concurrency: int = 200
    ) -> dict[str, Any]:
        """Open and authenticate `sockets`; every `slow_every`-th of each generator's share is a slow one
        (see loadgen). Bounded: at least 25 admissions a second, or the run says which server was slower."""
        shares = [sockets[i :: self.count] for i in range(self.count)]
        timeout = max(300.0, len(sockets) / 25)
        answers = await asyncio.gather(
            *(
                self.ask(
                    i,
                    {
                        "cmd": "connect",
                        "protocol": server.protocol,
                        "host": HOST,
                        "port": server.port,
                        "sockets": share,
                        "slow_every": slow_every,
                        "concurrency": concurrency,
                    },
                    timeout,
                )
                for i, share in enumerate(shares)
            )
        )
        errors: dict[str, int] = {}
        for answer in answers:
            for kind, n in answer["errors"].items():
                errors[kind] = errors.get(kind, 0) + n
        return {
            "connected": sum(a["connected"] for a in answers),
            "errors": errors,
            "seconds": max(a["seconds"] for a in answers),
        }

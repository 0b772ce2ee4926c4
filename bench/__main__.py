"""`python -m bench run [--size tiny|full] [--only SCENARIO ...]`: every scenario, Circles beside its peers,
written into docs/performance.md and docs/images/perf-*.png.

`python -m bench finish-turn [...]`: the REST finish-turn rows alone, on SQLite and PostgreSQL, printed only
(see bench.finish_turn).

The run installs the Node peer's packages first (`npm ci` into bench/node_modules) and stops by itself:
every scenario is bounded in sockets, changes and seconds, and a run that exceeds --deadline is stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import report
from bench.machine import load_average, reference_ms
from bench.processes import BENCH_DIR, CIRCLES, PEERS, raise_file_limit
from bench.scale_out import rest_sqlite, two_instances
from bench.scenarios import SCENARIOS, run_scenarios
from bench.sizes import SIZES, Run
from bench.windows import setup_circles

ALL = [*SCENARIOS, "rest", "scale"]
DOCUMENT = BENCH_DIR.parent / "docs" / "performance.md"


def install_node_peer() -> None:
    if shutil.which("npm") is None or shutil.which("node") is None:
        raise SystemExit("npm and node are needed for the socket.io peer (or leave it out with --no-node)")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=BENCH_DIR, check=True, timeout=300)


async def run_all(run: Run, only: list[str]) -> None:
    started = time.monotonic()
    print("-- setup", flush=True)
    await setup_circles(run)
    print(f"   ({time.monotonic() - started:.0f} s)", flush=True)
    await run_scenarios(run, only, rest_sqlite, two_instances)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["finish-turn"]:
        from bench import finish_turn

        return finish_turn.main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bench")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the scenarios and write docs/performance.md")
    run.add_argument("--size", choices=sorted(SIZES), default="full")
    run.add_argument(
        "--only",
        nargs="+",
        choices=ALL,
        default=ALL,
        metavar="SCENARIO",
        help=f"some of: {', '.join(ALL)} (default: all)",
    )
    run.add_argument("--no-node", action="store_true", help="leave out the socket.io (Node) peer")
    run.add_argument("--document", type=Path, default=DOCUMENT, help="where to write the results")
    commands.add_parser("finish-turn", help="the REST finish-turn rows alone, printed (see --help there)")
    run.add_argument("--deadline", type=float, default=2400, help="stop the run after this many seconds")
    run.add_argument("--keep-logs", type=Path, help="copy the servers' and generators' logs into this folder")
    args = parser.parse_args(argv)

    raise_file_limit()
    servers = [CIRCLES, *(p for p in PEERS if not (args.no_node and "Node" in p))]
    if not args.no_node:
        install_node_peer()
    size = SIZES[args.size]
    started_at, started, load_before, speed_before = datetime.now(UTC), time.monotonic(), load_average(), reference_ms()
    with tempfile.TemporaryDirectory(prefix="circles-bench-") as folder:
        state = Run(size, Path(folder), servers)
        files = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        if files < size.capacity + 1024:  # the generator holds every socket, and so does each server
            state.notes.append(f"The open-file limit is {files:,}: too low for {size.capacity:,} sockets a process.")
        try:
            asyncio.run(asyncio.wait_for(run_all(state, args.only), args.deadline))
        except TimeoutError:
            state.notes.append(f"The run was stopped at its deadline ({args.deadline:.0f} s): rows are missing.")
            print(f"stopped at the deadline ({args.deadline:.0f} s); writing what was measured", file=sys.stderr)
        except BaseException:
            for log in sorted(Path(folder).glob("*.log")):
                tail = log.read_text(errors="replace").splitlines()[-15:]
                print(f"----- {log.name} (tail) -----\n" + "\n".join(tail))
            raise
        finally:
            if args.keep_logs is not None:
                args.keep_logs.mkdir(parents=True, exist_ok=True)
                for log in Path(folder).glob("*.log"):
                    shutil.copy(log, args.keep_logs / log.name)
        took = time.monotonic() - started
        header = [
            f"Run `python -m bench run --size {size.name}` at {started_at:%Y-%m-%d %H:%M} UTC; it took "
            f"{took / 60:.1f} min. Machine: {os.cpu_count()} cores, {platform.machine()}, Python "
            f"{platform.python_version()}, load average (1/5/15 min) {load_before} before and {load_average()} after; "
            f"the reference workload (bench/machine.py) took {speed_before:.0f} ms before and {reference_ms():.0f} ms "
            "after (a run on faster cores takes less; compare runs by it).",
        ]
        report.write(
            args.document, state.rows, servers, f"{size.shapes[0][0]}x{size.shapes[0][1]}", header, state.notes
        )
    print(f"wrote {args.document} in {took:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

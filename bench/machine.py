"""What the machine was like during a run: its load, and how fast it ran a fixed piece of Python.

The same code measured on the same kind of machine on two days can differ by a factor: the host behind a
virtual machine changes, and with it what one core does in a second. The load average says whether
something else ran beside the bench; the reference workload says how fast the cores were, so that two runs'
tables can be read side by side (scale one by the ratio of the two reference times before comparing).
"""

from __future__ import annotations

import json
import os
import time

REFERENCE_ROUNDS = 5  # the best of these is reported: the least disturbed by anything else running


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def reference_ms() -> float:
    """Milliseconds one core takes for a fixed piece of pure-Python work shaped like a request's (building
    dicts, encoding and decoding JSON, formatting strings), the best of REFERENCE_ROUNDS."""
    best = float("inf")
    for _ in range(REFERENCE_ROUNDS):
        started = time.perf_counter()
        _reference_work()
        best = min(best, time.perf_counter() - started)
    return 1e3 * best


def _reference_work() -> None:
    for n in range(2_000):
        turns = [{"id": f"{n}-{i}", "seat": i, "outcome": "spoke" if i % 3 else None} for i in range(20)]
        text = json.dumps({"seq": n, "turns": turns})
        assert len(json.loads(text)["turns"]) == 20

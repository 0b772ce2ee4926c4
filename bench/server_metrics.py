"""Circles' own figures, read from its GET /metrics: the bench reports what an operator's Prometheus would
see, so the two never disagree. Circles only (the peers have no such endpoint).

A window's figure is the difference of two scrapes, one before it and one after its last frame arrived; the
scrapes themselves are outside the window's CPU. Quantiles come from the histogram's buckets as Prometheus'
`histogram_quantile` computes them (linear within the bucket), so they are as coarse as its buckets.
"""

from __future__ import annotations

import asyncio
import math
import secrets

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bench.processes import HOST, Server

TOKEN = secrets.token_urlsafe(24)  # every Circles server of this run gets it (bench.sizes, circles_env)

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(server: Server) -> Samples:
    """Every sample of the server's /metrics: (name, labels) -> value."""

    def get() -> str:
        answer = httpx.get(
            f"http://{HOST}:{server.port}/metrics",
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=10.0,
            trust_env=False,
        )
        answer.raise_for_status()
        return answer.text

    text = await asyncio.to_thread(get)
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    key = (name, frozenset(labels.items()))
    return after.get(key, 0.0) - before.get(key, 0.0)


def quantile_moved(before: Samples, after: Samples, histogram: str, q: float) -> float | None:
    """The q-quantile of what `histogram` observed between the scrapes (None if nothing was)."""
    buckets = sorted(
        (float(dict(labels)["le"]), value - before.get((name, labels), 0.0))
        for (name, labels), value in after.items()
        if name == f"{histogram}_bucket"
    )
    if not buckets or buckets[-1][1] <= 0:
        return None
    rank = q * buckets[-1][1]
    lower_bound, lower_count = 0.0, 0.0
    for bound, count in buckets:
        if count >= rank:
            if math.isinf(bound):
                return lower_bound  # beyond the last finite bucket: its bound, as Prometheus answers
            share = (rank - lower_count) / (count - lower_count) if count > lower_count else 1.0
            return lower_bound + (bound - lower_bound) * share
        lower_bound, lower_count = bound, count
    return None


def window_figures(before: Samples, after: Samples) -> dict[str, int | float | None]:
    """A window's figures, as the server counted them: messages it handed to sockets and those it could not,
    slow clients it cut, and the p99 from a commit to its last socket's write."""
    p99 = quantile_moved(before, after, "circles_fanout_lag_seconds", 0.99)
    return {  # counters are floats in the exposition; these count whole things
        "server_frames": round(moved(before, after, "circles_frames_sent_total")),
        "server_dropped": round(moved(before, after, "circles_frames_dropped_total")),
        "server_cut": round(moved(before, after, "circles_slow_clients_cut_total")),
        "fanout_p99_ms": 1e3 * p99 if p99 is not None else None,
    }

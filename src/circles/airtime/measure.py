"""Airtime arithmetic: pure functions over times, no I/O.

Airtime is the time a person held the piece while the round was not paused. The balance of a set of
airtimes is 1 − G*, where G* is the Gini coefficient normalized by its largest possible value for that
many people: with n people holding x_1..x_n seconds (n ≥ 2, total > 0),

    G* = Σ_i Σ_j |x_i − x_j| / (2 · (n − 1) · Σ_i x_i)

so the balance is 1 when everyone held the piece equally long, and 0 when one person held it all the
time. One person with any airtime is balanced (1); with no airtime at all there is nothing to share, and
the balance is None.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

Interval = tuple[datetime, datetime]


def held_seconds(started_at: datetime, ended_at: datetime, pauses: Sequence[Interval]) -> float:
    """Seconds from `started_at` to `ended_at`, less the parts of them spent in any of `pauses` (which
    do not overlap one another)."""
    if ended_at <= started_at:
        return 0.0
    held = (ended_at - started_at).total_seconds()
    for paused_from, paused_until in pauses:
        overlap_from, overlap_until = max(started_at, paused_from), min(ended_at, paused_until)
        if overlap_until > overlap_from:
            held -= (overlap_until - overlap_from).total_seconds()
    return max(held, 0.0)


def balance(airtimes: Sequence[float]) -> float | None:
    """1 − the normalized Gini coefficient of `airtimes` (see the module's docstring), in [0, 1]."""
    if any(seconds < 0 for seconds in airtimes):
        raise ValueError("airtime is never negative")
    total = sum(airtimes)
    if not airtimes or total <= 0:
        return None
    count = len(airtimes)
    if count == 1:
        return 1.0
    ordered = sorted(airtimes)
    # Σ_i Σ_j |x_i − x_j| over ordered pairs equals 2 · Σ_k (2k − n + 1) · x_(k) with x sorted (k from 0).
    spread = 2 * sum((2 * k - count + 1) * seconds for k, seconds in enumerate(ordered))
    gini = spread / (2 * (count - 1) * total)
    return min(max(1.0 - gini, 0.0), 1.0)


def pause_intervals(marks: Sequence[tuple[str, datetime]], until: datetime) -> list[Interval]:
    """The paused stretches of a round from its pause and resume marks, in time order: each pause lasts to
    the next resume, or to `until` (when the round ended, or now) if none came."""
    intervals: list[Interval] = []
    paused_from: datetime | None = None
    for kind, at in marks:
        if kind == "paused" and paused_from is None:
            paused_from = at
        elif kind == "resumed" and paused_from is not None:
            intervals.append((paused_from, at))
            paused_from = None
    if paused_from is not None and until > paused_from:
        intervals.append((paused_from, until))
    return intervals

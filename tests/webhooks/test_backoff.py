"""The retry schedule: doubling from the base, capped, with jitter; about a day of tries before giving up."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from circles.webhooks.worker import Timing


@given(failures=st.integers(min_value=1, max_value=10_000), seed=st.integers())
def test_each_wait_doubles_from_the_base_up_to_the_cap_within_its_jitter(failures: int, seed: int) -> None:
    timing = Timing()
    wait = timing.backoff(failures, random.Random(seed))
    planned = min(timing.retry_max_seconds, timing.retry_base_seconds * 2 ** min(failures - 1, 60))
    assert 0.8 * planned <= wait <= 1.2 * planned


def test_the_default_schedule_tries_some_thirty_times_in_the_day_before_it_gives_up() -> None:
    timing, rng = Timing(), random.Random(19)
    elapsed, tries = 0.0, 1
    while elapsed < timing.give_up_seconds:
        elapsed += timing.backoff(tries, rng)
        tries += 1
    assert timing.backoff(1, rng) < 10 and 25 <= tries <= 40

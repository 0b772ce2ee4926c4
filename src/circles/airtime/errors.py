"""What an airtime read can be refused with."""

from __future__ import annotations

from circles.airtime import repository
from circles.errors import CirclesError


class InvalidWindow(CirclesError):
    status = 422
    code = "invalid_window"
    message = "`since` must be earlier than `until`."


class GatheringTooLarge(CirclesError):
    status = 422
    code = "gathering_too_large"
    message = f"More than {repository.MAX_ROUNDS} rounds started in this window: ask for a narrower one."

"""`circles serve` with a clock that stands still until the test moves it, run as a script by the live suite.

The same app, listener, migration and server as `circles serve`, built with a `ManualClock` in place of the
wall clock, plus one route outside /v1 for the test: `POST /test/clock {"seconds": s}` moves the clock on
(timers that come due fire, in order) and answers the new time; `GET /test/clock` answers it. The clock
starts at TEST_CLOCK_START (ISO 8601) if set, else at the wall clock's time: a test that restarts the
server sets it, so time goes on from where it was, or past a deadline that passed while the server was down.

    python tests/live/clocked_server.py --port PORT
"""

from __future__ import annotations

import argparse
import os
from datetime import datetime

from pydantic import BaseModel

from circles.app import create_app
from circles.clock import ManualClock
from circles.migration import upgrade
from circles.serving import listen, serve
from circles.settings import Settings


class Advance(BaseModel):
    seconds: float


class ClockNow(BaseModel):
    now: datetime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    settings = Settings()
    start = os.environ.get("TEST_CLOCK_START")
    clock = ManualClock(datetime.fromisoformat(start) if start else None)
    listener = listen(settings.host, args.port)
    upgrade(settings.database_url)
    app = create_app(settings, clock=clock)

    async def read_clock() -> ClockNow:
        return ClockNow(now=clock.now())

    async def advance_clock(advance: Advance) -> ClockNow:
        return ClockNow(now=clock.advance(advance.seconds))

    app.add_api_route("/test/clock", read_clock, methods=["GET"], include_in_schema=False)
    app.add_api_route("/test/clock", advance_clock, methods=["POST"], include_in_schema=False)
    serve(app, settings, listener)


if __name__ == "__main__":
    main()

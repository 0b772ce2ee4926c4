"""When a support date meets: an RFC 5545 recurrence rule, the first meeting's wall-clock time, and the IANA
time zone the two keep it in. Checked once when it is given (a rule or zone that does not parse is a 422),
expanded with python-dateutil (DST-correct: the meeting stays at 19:00 on the clocks of its zone), and written
out as an iCalendar event with the `icalendar` package.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulebase, rrulestr
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    NaiveDatetime,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from circles.text import Line

# Meetings are days apart at the closest: a rule that fires hourly or faster is not a standing date.
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_PART = re.compile(r"^[A-Z]+=[A-Z0-9,+\-]+$")


# A wall-clock date and time with no offset: the schema says exactly what the server reads (RFC 3339's
# date-time needs an offset, so the format is not `date-time`).
LOCAL_TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$"
_LOCAL_TIME = re.compile(LOCAL_TIME_PATTERN)


def _local_time(value: object) -> object:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _LOCAL_TIME.match(value):
        raise ValueError(
            "must be a date and time as the clocks show it in time_zone, without an offset (not UTC nor any "
            "other), such as 2026-12-08T19:00:00"
        )
    return value


LocalTime = Annotated[
    NaiveDatetime,
    BeforeValidator(_local_time),
    WithJsonSchema({"type": "string", "pattern": LOCAL_TIME_PATTERN, "examples": ["2026-12-08T19:00:00"]}),
]


class Schedule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rrule: Annotated[Line, StringConstraints(min_length=6, max_length=500)] = Field(
        description="An RFC 5545 recurrence rule, without the `RRULE:` prefix, e.g. `FREQ=WEEKLY;BYDAY=TU`. "
        "FREQ is DAILY, WEEKLY, MONTHLY or YEARLY; an UNTIL is in UTC (`…T000000Z`).",
        examples=["FREQ=WEEKLY;BYDAY=TU"],
    )
    start: LocalTime = Field(
        description="The first meeting's date and time as the clocks show it in `time_zone`, without an offset "
        "(e.g. `2026-12-08T19:00:00`); later ones keep that time of day, across daylight saving changes.",
        examples=["2026-12-08T19:00:00"],
    )
    time_zone: Annotated[Line, StringConstraints(min_length=1, max_length=64)] = Field(
        description="An IANA time zone name, e.g. `Europe/Berlin`.", examples=["Europe/Berlin"]
    )

    @model_validator(mode="after")
    def _parses(self) -> Self:
        rule = rrule_of(self)  # raises ValueError with what is wrong
        if rule.after(self.start.replace(tzinfo=zone_of(self.time_zone)), inc=True) is None:
            raise ValueError("the rule gives no meeting at or after start")
        return self


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"time_zone {name!r} is not an IANA time zone name (such as Europe/Berlin)") from None


def rrule_of(schedule: Schedule) -> rrulebase:
    """The rule, expanded from the first meeting in its zone; a ValueError says what does not parse."""
    text = schedule.rrule.strip().upper()
    parts = text.split(";")
    if not all(_PART.match(part) for part in parts):
        raise ValueError("rrule is NAME=VALUE parts separated by ';', e.g. FREQ=WEEKLY;BYDAY=TU")
    names = [part.partition("=")[0] for part in parts]
    if "FREQ" not in names or len(set(names)) != len(names):
        raise ValueError("rrule names FREQ, and each part once")
    frequency = parts[names.index("FREQ")].partition("=")[2]
    if frequency not in FREQUENCIES:
        raise ValueError(f"rrule FREQ is one of {', '.join(FREQUENCIES)}")
    start = schedule.start.replace(tzinfo=zone_of(schedule.time_zone))
    try:
        rule = rrulestr(f"RRULE:{text}", dtstart=start)
    except (ValueError, TypeError) as error:
        raise ValueError(f"rrule does not parse: {error}") from None
    if not isinstance(rule, rrulebase):
        raise ValueError("rrule is one rule")
    return rule


def occurrences(schedule: Schedule, after: datetime, count: int, *, inclusive: bool = False) -> list[datetime]:
    """The next `count` meetings after `after` (at it too, with `inclusive`), in UTC."""
    rule = rrule_of(schedule)
    zone = zone_of(schedule.time_zone)
    return [moment.astimezone(UTC) for moment in rule.xafter(after.astimezone(zone), count=count, inc=inclusive)]


def latest_by(schedule: Schedule, moment: datetime) -> datetime | None:
    """The last meeting at or before `moment` (UTC), or None before the first."""
    found = rrule_of(schedule).before(moment.astimezone(zone_of(schedule.time_zone)), inc=True)
    return found.astimezone(UTC) if found is not None else None


def length(seconds_each: int, speakers: int) -> timedelta:
    """How long a meeting is: each speaker's time."""
    return timedelta(seconds=seconds_each * speakers)

"""A support date's schedule as an iCalendar file (RFC 5545), written with the `icalendar` package: one
recurring event in the date's own time zone (with its VTIMEZONE), lasting each speaker's time. No names:
a calendar is copied to places the service cannot erase from."""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event, vRecur

from circles.records.support_date.models import SupportDate, SupportDateKind, SupportDateStatus
from circles.records.support_date.schedule import length, zone_of
from circles.support_date.views import schedule_of

PRODID = "-//Circles//Support dates//EN"
YEARS_OF_RULES = 30


def ics(date: SupportDate, now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    schedule = schedule_of(date)
    if schedule is not None:
        speakers = 1 if date.kind == SupportDateKind.MENTORING else 2
        event = Event()
        event.add("uid", f"{date.id}@support-date.circles")
        event.add("dtstamp", now)
        event.add("dtstart", schedule.start.replace(tzinfo=zone_of(schedule.time_zone)))
        event.add("duration", length(date.seconds_each, speakers))
        event.add("rrule", vRecur.from_ical(schedule.rrule))
        event.add("summary", "Support date")
        minutes = round(date.seconds_each / 60, 1)
        each = f"{minutes:g} minutes each way" if speakers == 2 else f"{minutes:g} minutes for the one who speaks"
        event.add("description", f"A {SupportDateKind(date.kind).value} support date: {each}.")
        if date.status == SupportDateStatus.ENDED:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
        # The zone's rules from the first meeting on, for as long as a standing date might last.
        first = schedule.start.date()
        calendar.add_missing_timezones(
            first_date=first, last_date=first.replace(year=first.year + YEARS_OF_RULES, month=1, day=1)
        )
    body: bytes = calendar.to_ical()
    return body

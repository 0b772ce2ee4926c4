"""The event package's refusals."""


class UnknownEvent(LookupError):
    """A programming error: an event name missing from `EVENTS`, or data of another model than its own."""

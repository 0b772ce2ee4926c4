"""The instruments every part of the service counts with, in prometheus_client's default registry.

Their labels are bounded: an operation (a route's template, a socket command's name), an event family,
a status class. Never a circle, a participant or an app: a thousand circles make no new series.

Counting is cheap where it is hot: a message handed to a socket is an integer added to a `Tally` on the event
loop's thread (tens of nanoseconds), which reaches its Counter in one step now and then and before every
scrape; a Counter's own `inc` takes a lock (about 0.25 µs, as much again as the rest of offering a frame to a
socket). What is counted once per change (a commit, a fan-out) is counted once, not per socket.

Several worker processes of one app (a multi-worker ASGI server) share their figures through files when
`PROMETHEUS_MULTIPROC_DIR` is set before the process starts (prometheus_client's multiprocess mode; see
docs/deploy.md, "Metrics"): the gauges below say how their workers' values combine.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

# Seconds, from a fast read on SQLite to a request queued behind a burst of writers.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# Seconds from a commit to its frame's last write: fan-out is a matter of milliseconds, or a sign of trouble.
FANOUT_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class Tally:
    """Increments of a Counter kept as a plain int and added to it every FLUSH_EVERY, and by `flush` (before a
    scrape). Only the event loop's thread may use one: the hub's fan-out, where a lock per socket per frame
    would cost more than the rest of the offer."""

    FLUSH_EVERY = 1000

    __slots__ = ("counter", "pending")

    def __init__(self, counter: Counter) -> None:
        self.counter = counter
        self.pending = 0

    def add(self, amount: int) -> None:
        self.pending += amount
        if self.pending >= self.FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, 0
        if pending:
            self.counter.inc(pending)


SOCKETS_OPEN = Gauge(
    "circles_sockets_open",
    "Live sockets open on this instance: from the handshake until the socket has closed.",
    multiprocess_mode="livesum",
)
SOCKETS_ADMITTED = Counter(
    "circles_sockets_admitted",
    "Live sockets admitted: their credential was read and they count as online (their welcome follows).",
)
FRAMES_SENT = Counter(
    "circles_frames_sent",
    "Messages handed to sockets' transports (each message of a batch written at once counts).",
)
FRAMES_SENT_TALLY = Tally(FRAMES_SENT)
FRAMES_DROPPED = Counter(
    "circles_frames_dropped",
    "Messages a socket could not take because it had fallen too far behind (the socket is then cut).",
)
SLOW_CLIENTS_CUT = Counter(
    "circles_slow_clients_cut",
    "Sockets closed with 1013 because they fell too far behind (they reconnect with `after`).",
)
EVENTS_APPENDED = Counter(
    "circles_events_appended",
    "Events this instance committed to circles' logs, by family (the event name before its dot: turn, round, …).",
    ["family"],
)
COMMAND_SECONDS = Histogram(
    "circles_command_seconds",
    "Seconds from a command's arrival to its answer: `transport` http (operation: method and route template) "
    "or socket (operation: the command's name); queueing for the writer included.",
    ["transport", "operation"],
    buckets=LATENCY_BUCKETS,
)
HTTP_RESPONSES = Counter(
    "circles_http_responses",
    "HTTP answers by status class (2xx, 3xx, 4xx, 5xx).",
    ["status"],
)
WRITER_QUEUE_DEPTH = Gauge(
    "circles_writer_queue_depth",
    "Writes waiting for the SQLite writer turn now (always 0 on PostgreSQL, which locks rows instead).",
    multiprocess_mode="livesum",
)
FANOUT_LAG = Histogram(
    "circles_fanout_lag_seconds",
    "Seconds from a commit on this instance to its events' frame being handed to the last of the circle's "
    "sockets here (commits to circles with no socket here are not counted).",
    buckets=FANOUT_BUCKETS,
)
REDIS_STREAM_LAG = Gauge(
    "circles_redis_stream_lag_seconds",
    "How old the newest Redis stream entry this instance has read was when it read it (the entry's id time "
    "against this host's clock). Without CIRCLES_BROKER_URL: absent.",
    multiprocess_mode="livemax",
)
DEADLINES_ARMED = Counter(
    "circles_deadlines_armed",
    "Deadline timers armed (a turn started, accepted, resumed or away; a breakout or a speaker in it began; a "
    "support date's next meeting; re-armed after an early look).",
)
DEADLINES_FIRED = Counter(
    "circles_deadlines_fired",
    "Deadline timers that fired (each then ends the turn or the breakout, announces overtime or a meeting, or "
    "finds it already done).",
)


def status_class(status: int) -> str:
    """ "2xx" for 200..299, and so on: the bounded label of an HTTP answer."""
    return f"{status // 100}xx" if 100 <= status < 600 else "other"


def event_family(name: str) -> str:
    """`turn` for `turn.started`: the bounded label an appended event is counted under."""
    return name.partition(".")[0]

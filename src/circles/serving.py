"""Running the app under uvicorn, with a drain on SIGTERM.

On SIGTERM (or SIGINT) the instance first stops being ready (/readyz answers 503) for `drain_seconds`, so
a load balancer stops sending it new clients; then uvicorn shuts down as usual: it stops accepting, closes
every WebSocket with 1012 (clients reconnect elsewhere with `after`) and lets requests in flight finish.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import socket
import threading
from types import FrameType
from typing import Any

import uvicorn
from fastapi import FastAPI

from circles.live.hub import LISTENER_LOGGER
from circles.live.wire import SOCKET_LOGGER
from circles.settings import Settings

logger = logging.getLogger("circles")

_HANDLER = {"class": "logging.StreamHandler", "filters": ["request_id", "credentials"]}

# Every line carries the request id (also sent as X-Request-ID). Headers are never logged, and a credential
# wrongly put in a URL is redacted from every line (circles.log_redaction), so no key or token reaches the log.
# Every logger's lines go through these handlers (the root's included), so every line gets both filters.
LOG_CONFIG: dict[str, Any] = {  # logging.config.dictConfig's schema
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "circles.http_headers.RequestIdFilter"},
        "credentials": {"()": "circles.log_redaction.CredentialFilter"},
    },
    "formatters": {
        "default": {
            "()": "uvicorn.logging.DefaultFormatter",
            "fmt": "%(asctime)s %(levelprefix)s [%(request_id)s] %(name)s: %(message)s",
            "use_colors": False,
        },
        "access": {
            "()": "uvicorn.logging.AccessFormatter",
            "fmt": '%(asctime)s %(levelprefix)s [%(request_id)s] %(client_addr)s "%(request_line)s" %(status_code)s',
            "use_colors": False,
        },
    },
    "handlers": {
        "default": {**_HANDLER, "formatter": "default", "stream": "ext://sys.stderr"},
        "access": {**_HANDLER, "formatter": "access", "stream": "ext://sys.stdout"},
    },
    "root": {"handlers": ["default"], "level": "WARNING"},
    "loggers": {
        "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "circles": {"handlers": ["default"], "level": "INFO", "propagate": False},
        SOCKET_LOGGER: {"level": "WARNING"},  # a line per socket opened: see circles.live.wire
        LISTENER_LOGGER: {"level": "INFO"},  # a line per event taken by the hub's listeners: see circles.live.hub
    },
}


# The cycle collector's thresholds. A process holding thousands of sockets holds millions of long-lived objects,
# and with Python's defaults (700, 10, 10) every 70,000 allocations could start a full collection over all of
# them: in a reconnect storm of 2,000 that was a quarter of the server's time. Young collections stay cheap at a
# larger first threshold, and a full one waits for ten times as many of them (the 25 % growth rule still holds).
GC_THRESHOLDS = (20_000, 10, 100)


def tune_garbage_collector() -> None:
    """Set GC_THRESHOLDS, and leave what was built at startup (modules, the app) out of every collection."""
    gc.set_threshold(*GC_THRESHOLDS)
    gc.freeze()


class DrainingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, app: FastAPI, drain_seconds: float) -> None:
        super().__init__(config)
        self._app = app
        self._drain_seconds = drain_seconds
        self._drain_started = False

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self._app.state.draining = True
        if self._drain_started or self._drain_seconds <= 0:
            super().handle_exit(sig, frame)  # a second signal, or no drain: shut down now
            return
        self._drain_started = True
        logger.info("draining for %.1fs before shutting down: /readyz now answers 503", self._drain_seconds)
        timer = threading.Timer(self._drain_seconds, super().handle_exit, args=(sig, frame))
        timer.daemon = True
        timer.start()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and sockets:  # uvicorn says where it runs only when it made the socket itself
            self._log_started_message(sockets)


BACKLOG = 2048  # uvicorn's default


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, made before anything else at start: with the port taken, `circles serve`
    stops here and says so, before it makes or changes a database (or prints a key no server will take).
    Bound as uvicorn binds it; connections that come while the database is migrated wait in the backlog."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
        listener.listen(BACKLOG)
    except OSError as error:
        listener.close()
        raise SystemExit(
            f"circles: cannot listen on {host}:{port}: {error.strerror or error}. Nothing was started or changed; "
            "free the port, or choose another with --port or CIRCLES_PORT."
        ) from None
    listener.set_inheritable(True)
    return listener


def serve(app: FastAPI, settings: Settings, listener: socket.socket) -> None:
    """Serve `app` on `listener` (see listen) until SIGTERM or SIGINT."""
    tune_garbage_collector()
    debug = settings.log_level in ("debug", "trace")
    debug_lines = {
        SOCKET_LOGGER: {"level": "DEBUG" if debug else "WARNING"},
        LISTENER_LOGGER: {"level": "DEBUG" if debug else "INFO"},
    }
    log_config = {**LOG_CONFIG, "loggers": {**LOG_CONFIG["loggers"], **debug_lines}}
    host, port = listener.getsockname()[:2]
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        backlog=BACKLOG,
        proxy_headers=bool(settings.forwarded_allow_ips),  # see docs/deploy.md, behind a reverse proxy
        forwarded_allow_ips=settings.forwarded_allow_ips or None,
        log_level=settings.log_level,
        log_config=log_config,
        ws="circles.live.wire:WireProtocol",  # websockets-sansio, plus a direct path for the hub's frames
        ws_max_size=settings.max_message_bytes,
        ws_ping_interval=settings.ping_interval_seconds,
        ws_ping_timeout=settings.ping_timeout_seconds,
        ws_per_message_deflate=False,
        timeout_graceful_shutdown=10,
    )
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: uvicorn has shut down as for SIGTERM, then raises it again
        DrainingServer(config, app, settings.drain_seconds).run(sockets=[listener])

"""GET /metrics: the Prometheus text exposition, for a scraper holding CIRCLES_METRICS_TOKEN.

Without the setting the route answers 404, as if it were not there: figures about an instance's load are not
for anyone who asks. With it, a request without `Authorization: Bearer <the token>` is answered 401; the
token is compared in constant time. Under several worker processes (PROMETHEUS_MULTIPROC_DIR set), every
worker answers for all of them, from the files they share.
"""

from __future__ import annotations

import hmac
import os

from fastapi import APIRouter, Request, Response
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from starlette.concurrency import run_in_threadpool

from circles.errors import NotFound, Unauthenticated, problem_responses
from circles.metrics.instruments import FRAMES_SENT_TALLY
from circles.settings import Settings

router = APIRouter(tags=["metrics"])

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
# The classic text format, which every Prometheus reads (our names need none of the newer format's escaping).
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {"content": {CONTENT_TYPE: {"schema": {"type": "string"}}}, "description": "The metrics."},
        **{status: body for status, body in problem_responses(404).items() if status in (401, 404)},
    },
)
async def metrics(request: Request) -> Response:
    """This instance's metrics in the Prometheus text format (docs/deploy.md, "Metrics"), for
    `Authorization: Bearer <CIRCLES_METRICS_TOKEN>`; 404 while that setting is empty."""
    settings: Settings = request.app.state.settings
    if not settings.metrics_token:
        raise NotFound()
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), settings.metrics_token.encode()):
        raise Unauthenticated("Send the metrics token as 'Authorization: Bearer <token>'.")
    FRAMES_SENT_TALLY.flush()  # on the event loop, the tally's thread
    return Response(await run_in_threadpool(generate_latest, _registry()), media_type=CONTENT_TYPE)


def _registry() -> CollectorRegistry:
    """This process's registry; or, under several workers, one that reads all their files."""
    if not os.environ.get(MULTIPROCESS_ENV):
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


def forget_this_process() -> None:
    """At shutdown under several workers: this process's live gauges (sockets open, writers waiting) stop
    counting in the others' answers."""
    if os.environ.get(MULTIPROCESS_ENV):
        mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]

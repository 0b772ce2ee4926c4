"""Every table, imported in one place so SQLModel.metadata (and Alembic) knows the whole schema."""

from sqlmodel import SQLModel

from circles.audit.models import AuditEntry
from circles.event.models import Event
from circles.idempotency.models import IdempotencyRecord
from circles.records.breakout.models import Breakout, BreakoutGroup, BreakoutTurn
from circles.records.circle.models import Circle
from circles.records.gathering.models import Gathering, PlannedRound
from circles.records.participant.models import Participant
from circles.records.round.models import Hand, Round, Turn
from circles.records.support.models import SupportSignal
from circles.records.support_date.models import SupportDate, SupportDateDue
from circles.records.tenant.models import App, AppKey
from circles.records.webhook.models import (
    WebhookAttempt,
    WebhookCursor,
    WebhookEndpoint,
    WebhookLease,
    WebhookMessage,
    WebhookSecret,
)
from circles.records.zoom.models import ZoomApp

metadata = SQLModel.metadata

__all__ = [
    "App",
    "AuditEntry",
    "AppKey",
    "Breakout",
    "BreakoutGroup",
    "BreakoutTurn",
    "Circle",
    "Event",
    "Gathering",
    "Hand",
    "IdempotencyRecord",
    "Participant",
    "PlannedRound",
    "Round",
    "SupportDate",
    "SupportDateDue",
    "SupportSignal",
    "Turn",
    "ZoomApp",
    "WebhookAttempt",
    "WebhookCursor",
    "WebhookEndpoint",
    "WebhookLease",
    "WebhookMessage",
    "WebhookSecret",
    "metadata",
]

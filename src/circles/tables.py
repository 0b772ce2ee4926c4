"""Every table, imported in one place so SQLModel.metadata (and Alembic) knows the whole schema."""

from sqlmodel import SQLModel

from circles.audit.models import AuditEntry
from circles.circle.models import Circle
from circles.event.models import Event
from circles.gathering.models import Gathering, PlannedRound
from circles.idempotency.models import IdempotencyRecord
from circles.participant.models import Participant
from circles.round.models import Hand, Round, Turn
from circles.support.models import SupportSignal
from circles.tenant.models import App, AppKey

metadata = SQLModel.metadata

__all__ = [
    "App",
    "AuditEntry",
    "AppKey",
    "Circle",
    "Event",
    "Gathering",
    "Hand",
    "IdempotencyRecord",
    "Participant",
    "PlannedRound",
    "Round",
    "SupportSignal",
    "Turn",
    "metadata",
]

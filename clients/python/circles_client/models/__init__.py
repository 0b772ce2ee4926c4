"""Contains all the data models used in inputs/outputs"""

from .agreement_accept import AgreementAccept
from .app_key_created import AppKeyCreated
from .app_key_page import AppKeyPage
from .app_key_public import AppKeyPublic
from .audience import Audience
from .audit_entry_public import AuditEntryPublic
from .audit_page import AuditPage
from .breakout_create import BreakoutCreate
from .breakout_create_size import BreakoutCreateSize
from .breakout_end_reason import BreakoutEndReason
from .breakout_group_public import BreakoutGroupPublic
from .breakout_outcome import BreakoutOutcome
from .breakout_public import BreakoutPublic
from .breakout_turn_finish import BreakoutTurnFinish
from .breakout_turn_finish_outcome import BreakoutTurnFinishOutcome
from .breakout_turn_public import BreakoutTurnPublic
from .broker_health import BrokerHealth
from .broker_health_kind import BrokerHealthKind
from .broker_health_status import BrokerHealthStatus
from .circle_create import CircleCreate
from .circle_kind import CircleKind
from .circle_page import CirclePage
from .circle_public import CirclePublic
from .circle_state import CircleState
from .circle_status import CircleStatus
from .circle_update import CircleUpdate
from .end_reason import EndReason
from .event_page import EventPage
from .event_public import EventPublic
from .event_public_data import EventPublicData
from .gathering_advanced import GatheringAdvanced
from .gathering_airtime import GatheringAirtime
from .gathering_create import GatheringCreate
from .gathering_next import GatheringNext
from .gathering_public import GatheringPublic
from .group_update import GroupUpdate
from .grouping import Grouping
from .how_given import HowGiven
from .liveness import Liveness
from .out_of_turn import OutOfTurn
from .outcome import Outcome
from .participant_create import ParticipantCreate
from .participant_detail import ParticipantDetail
from .participant_page import ParticipantPage
from .participant_public import ParticipantPublic
from .participant_update import ParticipantUpdate
from .participant_with_token import ParticipantWithToken
from .person_airtime import PersonAirtime
from .person_airtime_outcomes import PersonAirtimeOutcomes
from .person_create import PersonCreate
from .phase import Phase
from .piece_give import PieceGive
from .planned_round_create import PlannedRoundCreate
from .planned_round_public import PlannedRoundPublic
from .planned_round_public_round_options import PlannedRoundPublicRoundOptions
from .problem import Problem
from .problem_errors_type_0_item import ProblemErrorsType0Item
from .readiness import Readiness
from .readiness_status import ReadinessStatus
from .role import Role
from .round_airtime import RoundAirtime
from .round_airtime_summary import RoundAirtimeSummary
from .round_create import RoundCreate
from .round_kind import RoundKind
from .round_public import RoundPublic
from .round_status import RoundStatus
from .round_with_turns import RoundWithTurns
from .schedule import Schedule
from .support_date_airtime import SupportDateAirtime
from .support_date_create import SupportDateCreate
from .support_date_created import SupportDateCreated
from .support_date_created_tokens import SupportDateCreatedTokens
from .support_date_kind import SupportDateKind
from .support_date_page import SupportDatePage
from .support_date_person import SupportDatePerson
from .support_date_public import SupportDatePublic
from .support_date_schedule import SupportDateSchedule
from .support_date_status import SupportDateStatus
from .support_date_token import SupportDateToken
from .support_signal_page import SupportSignalPage
from .support_signal_public import SupportSignalPublic
from .support_status import SupportStatus
from .time_limit import TimeLimit
from .turn_airtime import TurnAirtime
from .turn_finish import TurnFinish
from .turn_finish_outcome import TurnFinishOutcome
from .turn_public import TurnPublic
from .webhook_attempt_page import WebhookAttemptPage
from .webhook_attempt_public import WebhookAttemptPublic
from .webhook_endpoint_create import WebhookEndpointCreate
from .webhook_endpoint_create_events_type_0_item import (
    WebhookEndpointCreateEventsType0Item,
)
from .webhook_endpoint_created import WebhookEndpointCreated
from .webhook_endpoint_page import WebhookEndpointPage
from .webhook_endpoint_public import WebhookEndpointPublic
from .webhook_endpoint_update import WebhookEndpointUpdate
from .webhook_endpoint_update_events_type_0_item import (
    WebhookEndpointUpdateEventsType0Item,
)
from .webhook_replay import WebhookReplay
from .webhook_secret_rolled import WebhookSecretRolled
from .webhook_test_sent import WebhookTestSent
from .zoom_app_public import ZoomAppPublic
from .zoom_app_set import ZoomAppSet
from .zoom_session_start import ZoomSessionStart

__all__ = (
    "AgreementAccept",
    "AppKeyCreated",
    "AppKeyPage",
    "AppKeyPublic",
    "Audience",
    "AuditEntryPublic",
    "AuditPage",
    "BreakoutCreate",
    "BreakoutCreateSize",
    "BreakoutEndReason",
    "BreakoutGroupPublic",
    "BreakoutOutcome",
    "BreakoutPublic",
    "BreakoutTurnFinish",
    "BreakoutTurnFinishOutcome",
    "BreakoutTurnPublic",
    "BrokerHealth",
    "BrokerHealthKind",
    "BrokerHealthStatus",
    "CircleCreate",
    "CircleKind",
    "CirclePage",
    "CirclePublic",
    "CircleState",
    "CircleStatus",
    "CircleUpdate",
    "EndReason",
    "EventPage",
    "EventPublic",
    "EventPublicData",
    "GatheringAdvanced",
    "GatheringAirtime",
    "GatheringCreate",
    "GatheringNext",
    "GatheringPublic",
    "GroupUpdate",
    "Grouping",
    "HowGiven",
    "Liveness",
    "OutOfTurn",
    "Outcome",
    "ParticipantCreate",
    "ParticipantDetail",
    "ParticipantPage",
    "ParticipantPublic",
    "ParticipantUpdate",
    "ParticipantWithToken",
    "PersonAirtime",
    "PersonAirtimeOutcomes",
    "PersonCreate",
    "Phase",
    "PieceGive",
    "PlannedRoundCreate",
    "PlannedRoundPublic",
    "PlannedRoundPublicRoundOptions",
    "Problem",
    "ProblemErrorsType0Item",
    "Readiness",
    "ReadinessStatus",
    "Role",
    "RoundAirtime",
    "RoundAirtimeSummary",
    "RoundCreate",
    "RoundKind",
    "RoundPublic",
    "RoundStatus",
    "RoundWithTurns",
    "Schedule",
    "SupportDateAirtime",
    "SupportDateCreate",
    "SupportDateCreated",
    "SupportDateCreatedTokens",
    "SupportDateKind",
    "SupportDatePage",
    "SupportDatePerson",
    "SupportDatePublic",
    "SupportDateSchedule",
    "SupportDateStatus",
    "SupportDateToken",
    "SupportSignalPage",
    "SupportSignalPublic",
    "SupportStatus",
    "TimeLimit",
    "TurnAirtime",
    "TurnFinish",
    "TurnFinishOutcome",
    "TurnPublic",
    "WebhookAttemptPage",
    "WebhookAttemptPublic",
    "WebhookEndpointCreate",
    "WebhookEndpointCreateEventsType0Item",
    "WebhookEndpointCreated",
    "WebhookEndpointPage",
    "WebhookEndpointPublic",
    "WebhookEndpointUpdate",
    "WebhookEndpointUpdateEventsType0Item",
    "WebhookReplay",
    "WebhookSecretRolled",
    "WebhookTestSent",
    "ZoomAppPublic",
    "ZoomAppSet",
    "ZoomSessionStart",
)

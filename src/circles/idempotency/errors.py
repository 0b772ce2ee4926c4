"""What a request with an Idempotency-Key can be refused with."""

from __future__ import annotations

from circles.errors import CirclesError, Conflict


class IdempotencyKeyInUse(Conflict):
    code = "idempotency_key_in_use"
    message = "A request with this Idempotency-Key is still in progress (or its outcome is unknown)."


class IdempotencyAnswerWithheld(Conflict):
    code = "idempotency_answer_withheld"
    message = (
        "The first request with this Idempotency-Key succeeded, but its answer carried a credential, which is "
        "shown only once and never stored. Renew the token (or create another key, or roll the webhook's secret) "
        "if it was lost."
    )


class IdempotencyKeyReused(CirclesError):
    status = 422
    code = "idempotency_key_reused"
    message = "This Idempotency-Key was used for a different request."

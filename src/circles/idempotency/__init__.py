"""Idempotency-Key on POSTs: a retried request replays the first answer instead of acting twice."""

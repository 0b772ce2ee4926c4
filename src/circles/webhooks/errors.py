"""What a command on webhook endpoints can be refused with."""

from __future__ import annotations

from circles.errors import CirclesError, NotFound


class WebhookNotFound(NotFound):
    code = "webhook_not_found"
    message = "No such webhook endpoint for this app."


class WebhookUrlRefused(CirclesError):
    status = 422
    code = "webhook_url_refused"
    message = "This URL cannot receive webhooks."

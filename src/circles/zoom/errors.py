"""What storing a Zoom client secret, binding a meeting, or starting a Zoom session can be refused with."""

from __future__ import annotations

from circles.errors import CirclesError, Conflict


class ZoomContextRefused(CirclesError):
    """One answer for every reason (it did not decrypt, it is stale, it names no bound circle), so that no
    answer tells a forger which check failed."""

    status = 401
    code = "zoom_context_refused"
    message = "This Zoom app context was not accepted: ask Zoom for a new one (zoomSdk.getAppContext()) and retry."


class SecretKeyUnset(Conflict):
    code = "secret_key_unset"
    message = (
        "This service cannot keep a Zoom client secret: its operator must set CIRCLES_SECRET_KEY first (docs/zoom.md)."
    )


class ZoomClientIdTaken(Conflict):
    code = "zoom_client_id_taken"
    message = "Another app stored this Zoom client id: one Zoom App belongs to one app here."


class ZoomMeetingTaken(Conflict):
    code = "zoom_meeting_taken"
    message = "Another of the app's circles is bound to this Zoom meeting."

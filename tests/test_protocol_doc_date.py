"""docs/protocol.md's worked session of a support date is real: every frame in it is one the AsyncAPI document
allows, each command gets one reply, and each screen's events run gapless from the snapshot it was sent.
(tests/live/test_worked_session_date.py checks it is still what a server sends.)"""

from __future__ import annotations

from circles.live.command_frames import CommandFrame
from circles.live.protocol import AuthFrame
from tests.asyncapi_validation import DocumentedFrames
from tests.worked_session import frames_of
from tests.worked_session_date import documented_session


def test_every_frame_of_the_support_date_session_is_documented() -> None:
    documented = DocumentedFrames()
    session = frames_of(documented_session())
    for _who, arrow, frame in session:
        if arrow == "→" and frame["type"] == "auth":
            AuthFrame.model_validate(frame)
        elif arrow == "→":
            CommandFrame.model_validate(frame)
        assert documented.errors(frame) == [], frame
    kinds = {documented.message_of(frame) for _, arrow, frame in session if arrow == "←"}
    assert {
        "welcome",
        "snapshot",
        "reply",
        "event.round.started",
        "event.turn.started",
        "event.turn.ended",
        "event.round.paused",
        "event.round.resumed",
        "event.round.ended",
        "event.support_date.ended",
        "event.circle.closed",
    } <= kinds
    for who in ("ana", "ben"):
        seqs = [f["seq"] for w, arrow, f in session if w == who and arrow == "←" and f["type"] in ("snapshot", "event")]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), who
    snapshot = next(f for _, arrow, f in session if arrow == "←" and f["type"] == "snapshot")
    assert snapshot["state"]["circle"]["kind"] == "support_date"
    assert len(snapshot["state"]["participants"]) == 2

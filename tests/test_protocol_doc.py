"""docs/protocol.md's worked session is real: every frame in it is one the AsyncAPI document allows, each
command is answered by one reply echoing its id, and each screen's events run gapless from where it caught
up. (tests/live/test_worked_session.py checks it is still what a server sends.)"""

from __future__ import annotations

from collections import Counter

from circles.live.command_frames import CommandFrame
from circles.live.protocol import AuthFrame
from tests.asyncapi_validation import DocumentedFrames
from tests.worked_session import Frame, documented_session, frames_of


def _worked_session() -> list[tuple[str, str, Frame]]:
    return frames_of(documented_session())


def test_every_frame_of_the_worked_session_is_documented() -> None:
    documented = DocumentedFrames()
    session = _worked_session()
    assert len(session) > 20
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
        "presence",
        "presence-list",
        "audience",
        "reply",
        "event.participant.agreed",
        "event.round.started",
        "event.turn.started",
        "event.turn.ended",
        "event.hand.raised",
        "event.round.ended",
    } <= kinds
    assert any(arrow == "→" and "after" in frame for _, arrow, frame in session), "the session shows a resume"


def test_each_command_in_the_worked_session_gets_one_reply_on_its_own_screen() -> None:
    session = _worked_session()
    sent = Counter((who, frame["id"]) for who, arrow, frame in session if arrow == "→" and frame["type"] == "command")
    answered = Counter((who, frame["id"]) for who, arrow, frame in session if arrow == "←" and frame["type"] == "reply")
    assert sent, "the session shows a command"
    assert sent == answered
    assert all(frame["ok"] for _, arrow, frame in session if arrow == "←" and frame["type"] == "reply")


def test_each_screen_in_the_worked_session_sees_every_seq_once_in_order() -> None:
    last_seq: dict[str, int] = {}
    for who, arrow, frame in _worked_session():
        if arrow == "→":
            if "after" in frame:
                assert frame["after"] == last_seq[who], "a resume sends the last seq the screen had"
            continue
        if frame["type"] == "snapshot":
            last_seq[who] = int(frame["seq"])
        elif frame["type"] == "event":
            assert frame["seq"] == last_seq[who] + 1, (who, frame["seq"], last_seq[who])
            last_seq[who] = int(frame["seq"])
    assert last_seq["kim"] == last_seq["ana"] > 0

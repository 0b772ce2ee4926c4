"""docs/protocol.md's worked session is real: every frame in it is one the AsyncAPI document allows, and
each screen's events run gapless from where it caught up."""

from __future__ import annotations

import json
import re
from pathlib import Path

from circles.live.protocol import AuthFrame
from tests.asyncapi_validation import DocumentedFrames

PROTOCOL_DOC = Path(__file__).resolve().parents[1] / "docs" / "protocol.md"
FRAME_LINE = re.compile(r"^(?P<who>\w+)\s+(?P<arrow>[→←])\s+(?P<frame>\{.*\})$")


def _worked_session() -> list[tuple[str, str, dict[str, object]]]:
    text = PROTOCOL_DOC.read_text()
    block = text.split("## A worked session", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    frames = []
    for line in block.splitlines():
        if match := FRAME_LINE.match(line):
            frames.append((match["who"], match["arrow"], json.loads(match["frame"])))
    return frames


def test_every_frame_of_the_worked_session_is_documented() -> None:
    documented = DocumentedFrames()
    session = _worked_session()
    assert len(session) > 20
    for _who, arrow, frame in session:
        if arrow == "→":
            AuthFrame.model_validate(frame)
        else:
            assert documented.errors(frame) == [], frame
    kinds = {documented.message_of(frame) for _, arrow, frame in session if arrow == "←"}
    assert {"welcome", "snapshot", "event.turn.started", "event.turn.ended", "presence-list"} <= kinds
    assert any(arrow == "→" and "after" in frame for _, arrow, frame in session), "the session shows a resume"


def test_each_screen_in_the_worked_session_sees_every_seq_once_in_order() -> None:
    last_seq: dict[str, int] = {}
    for who, arrow, frame in _worked_session():
        if arrow == "→":
            if "after" in frame:
                assert frame["after"] == last_seq[who], "a resume sends the last seq the screen had"
            continue
        if frame["type"] == "snapshot":
            last_seq[who] = int(frame["seq"])  # type: ignore[call-overload]
        elif frame["type"] == "event":
            assert frame["seq"] == last_seq[who] + 1, (who, frame["seq"], last_seq[who])
            last_seq[who] = int(frame["seq"])  # type: ignore[call-overload]
    assert last_seq["kim"] == last_seq["ana"] > 0

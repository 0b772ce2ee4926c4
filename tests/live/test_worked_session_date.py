"""The support date's worked session in docs/protocol.md is still what a real server sends (as
tests/live/test_worked_session.py checks the circle's).

Regenerate it with `python -m tests.worked_session_date --write-doc`."""

from __future__ import annotations

from tests.live.test_worked_session import _comparable
from tests.worked_session_date import capture, documented_session


def test_the_support_date_session_in_the_doc_is_what_a_server_sends_today() -> None:
    captured_lines, captured_replies = _comparable(capture())
    documented_lines, documented_replies = _comparable(documented_session())
    assert captured_replies, "the capture has replies"
    assert documented_replies == captured_replies
    assert captured_lines == documented_lines

"""The worked session in docs/protocol.md is still what a real server sends: tests/worked_session.py captures
it again from its own `circles serve`, and the doc must match the capture line for line, field for field,
with only ids, times and tokens (which differ on every run) set aside.

A reply may arrive before or after the events its command caused, so replies are compared as a set.
When this fails because the protocol grew, regenerate the doc: `python -m tests.worked_session --write-doc`.
"""

from __future__ import annotations

import re
from collections import Counter

from tests.worked_session import capture, documented_session

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")
TOKEN = re.compile(r"cpt_[^\"…]*…")


def _comparable(session: str) -> tuple[list[str], Counter[str]]:
    """The session's lines with ids, times and tokens blanked: replies apart, as a count; the rest in order."""
    lines = [TOKEN.sub("<token>", TIME.sub("<time>", UUID.sub("<id>", line))) for line in session.splitlines()]
    replies = Counter(line for line in lines if '{"type":"reply"' in line)
    return [line for line in lines if line not in replies], replies


def test_the_worked_session_in_the_doc_is_what_a_server_sends_today() -> None:
    captured_lines, captured_replies = _comparable(capture())
    documented_lines, documented_replies = _comparable(documented_session())
    assert captured_replies, "the capture has replies"
    assert documented_replies == captured_replies
    assert len(documented_lines) == len(captured_lines)
    for documented, captured in zip(documented_lines, captured_lines, strict=True):
        assert documented == captured

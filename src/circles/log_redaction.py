"""No credential in any log line, even one sent where it does not belong.

Credentials travel only in the Authorization header and the socket's first message, and nothing logs a
header; but a client may still put one in a URL (`?token=cpt_…`). The request is refused, yet uvicorn's
access log and its WebSocket lines print the path with its query. This filter, on every handler, replaces
any credential-shaped value (`ck_…`, `cpt_…`, `whsec_…`, its underscore percent-encoded or not) in a record's
message and arguments before the line is formatted.
"""

from __future__ import annotations

import logging
import re

CREDENTIAL = re.compile(r"(?<![A-Za-z0-9])(ck|cpt|whsec)(?:_|%5f)[^\s&#/?\"'<>;,\\]*", re.IGNORECASE)
REDACTED = r"\1_[redacted]"


def redact(text: str) -> str:
    return CREDENTIAL.sub(REDACTED, text)


def _redacted(value: object) -> object:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, bytes):
        text = value.decode("latin-1")
        return redact(text).encode("latin-1") if CREDENTIAL.search(text) else value
    if isinstance(value, int | float | bool) or value is None:
        return value
    text = str(value)  # anything else is printed with %s (or %r): its text is what would reach the line
    return redact(text) if CREDENTIAL.search(text) else value


class CredentialFilter(logging.Filter):
    """Redacts credential-shaped values from every record (see the module's docstring)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {name: _redacted(arg) for name, arg in record.args.items()}
        return True

"""The text a request may carry: one rule for every string a person or an app writes, checked in one place.

Two kinds (docs/decisions.md, "Text the API accepts"):
- a **line** (a name, a display name, an external id, an agreement, a prompt, a support resource's label and
  text): no control character at all: none of C0 (U+0000 to U+001F, NUL among them), DEL (U+007F) or C1
  (U+0080 to U+009F);
- **free text** (a circle's intention): the same, except that tab, line feed and carriage return may appear.

PostgreSQL cannot store NUL in a text column at all (a 500, before this rule); the others are invisible on a
screen, break a line where none was meant, or steer a terminal that prints the log. Lone surrogates
(U+D800 to U+DFFF unpaired) never reach this rule: pydantic reads only valid Unicode and refuses them first.

The rule is a `pattern`, so the OpenAPI document states exactly what the server checks; `PLAIN_PATTERNS`
says the same in words for the 422 problem.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

_CONTROL = r"\x00-\x1f\x7f-\x9f"
_CONTROL_BUT_TAB_AND_NEWLINES = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"

LINE_PATTERN = rf"^[^{_CONTROL}]*$"
FREE_TEXT_PATTERN = rf"^[^{_CONTROL_BUT_TAB_AND_NEWLINES}]*$"
# A line with something in it besides white space.
NOT_BLANK_LINE_PATTERN = rf"^[^{_CONTROL}]*[^\s{_CONTROL}][^{_CONTROL}]*$"
# A character a link may hold: neither white space nor a control character.
LINK_CHARACTER = rf"[^\s{_CONTROL}]"
# What a link may be, as the schema documents it and the server checks it (one rule, so a link the
# document allows is never refused, and one it forbids never accepted): a web link with a host, or a tel: or
# mailto: with a number or an address; no spaces or control characters anywhere.
LINK_PATTERN = (
    rf"^(https?://[A-Za-z0-9.-]+(:[0-9]{{1,5}})?([/?#]{LINK_CHARACTER}*)?"
    rf"|(tel|mailto):[^\s?#\x00-\x1f\x7f-\x9f]{LINK_CHARACTER}*)$"
)

PLAIN_PATTERNS = {
    LINE_PATTERN: "must be one line of text, without control characters (such as NUL, tab or a line break)",
    FREE_TEXT_PATTERN: "must be text without control characters (such as NUL); tab and line breaks are allowed",
    NOT_BLANK_LINE_PATTERN: "must be one line of text with something besides spaces in it, without control "
    "characters (such as NUL, tab or a line break)",
}

Line = Annotated[str, StringConstraints(pattern=LINE_PATTERN)]
FreeText = Annotated[str, StringConstraints(pattern=FREE_TEXT_PATTERN)]

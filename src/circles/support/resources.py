"""Support resources a circle carries (crisis lines, links): a label, and a text or a link or both.

Kept as plain dicts (TypedDicts) so they are stored in the circle's JSON column exactly as validated.
"""

from __future__ import annotations

from typing import Annotated, NotRequired

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints
from typing_extensions import TypedDict

# What a link may be, as the schema documents it and the server checks it (one rule, so a link the
# document allows is never refused, and one it forbids never accepted): a web link with a host, or a tel: or
# mailto: with a number or an address; no spaces anywhere.
LINK_PATTERN = r"^(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#]\S*)?|(tel|mailto):[^\s?#]\S*)$"

_NOT_BLANK = r"\S"  # somewhere in it, a character that is not white space


def _text_or_link(resource: SupportResource) -> SupportResource:
    if not resource.get("text") and not resource.get("url"):
        raise ValueError("a support resource needs a text, a url, or both")
    return resource


class SupportResource(TypedDict):
    # A text or a link or both: the schema says so too, so the document and the server agree.
    __pydantic_config__ = ConfigDict(  # type: ignore[misc]
        extra="forbid", json_schema_extra={"anyOf": [{"required": ["text"]}, {"required": ["url"]}]}
    )

    label: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=_NOT_BLANK),
        Field(description="e.g. 'Crisis line'"),
    ]
    text: NotRequired[
        Annotated[
            str,
            StringConstraints(strip_whitespace=True, min_length=1, max_length=300, pattern=_NOT_BLANK),
            Field(description="e.g. 'Call 988'"),
        ]
    ]
    url: NotRequired[
        Annotated[
            str,
            StringConstraints(min_length=1, max_length=500, pattern=LINK_PATTERN),
            Field(description="An https: or http: link with a host, or a tel: or mailto: link."),
        ]
    ]


SupportResources = Annotated[
    list[Annotated[SupportResource, AfterValidator(_text_or_link)]],
    Field(max_length=10, description="Crisis lines and links every screen can show."),
]

"""Support resources a circle carries (crisis lines, links): a label, and a text or a link or both.

Kept as plain dicts (TypedDicts) so they are stored in the circle's JSON column exactly as validated.
"""

from __future__ import annotations

from typing import Annotated, NotRequired

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints
from typing_extensions import TypedDict

from circles.text import LINK_PATTERN, NOT_BLANK_LINE_PATTERN


def _text_or_link(resource: SupportResource) -> SupportResource:
    if not resource.get("text") and not resource.get("url"):
        raise ValueError("needs a text, a url, or both")
    return resource


class SupportResource(TypedDict):
    # A text or a link or both: the schema says so too, so the document and the server agree.
    __pydantic_config__ = ConfigDict(  # type: ignore[misc]
        extra="forbid", json_schema_extra={"anyOf": [{"required": ["text"]}, {"required": ["url"]}]}
    )

    label: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=NOT_BLANK_LINE_PATTERN),
        Field(description="e.g. 'Crisis line'"),
    ]
    text: NotRequired[
        Annotated[
            str,
            StringConstraints(strip_whitespace=True, min_length=1, max_length=300, pattern=NOT_BLANK_LINE_PATTERN),
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

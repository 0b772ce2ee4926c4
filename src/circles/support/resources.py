"""Support resources a circle carries (crisis lines, links): a label, and a text or a link or both.

Kept as plain dicts (TypedDicts) so they are stored in the circle's JSON column exactly as validated.
"""

from __future__ import annotations

from typing import Annotated, NotRequired
from urllib.parse import urlsplit

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints
from typing_extensions import TypedDict

LINK_SCHEMES = ("https", "http", "tel", "mailto")


def _checked_link(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in LINK_SCHEMES:
        raise ValueError(f"a link must start with one of {', '.join(s + ':' for s in LINK_SCHEMES)}")
    if any(character.isspace() for character in url):
        raise ValueError("a link has no spaces")
    if parts.scheme in ("http", "https") and not parts.hostname:
        raise ValueError("a web link needs a host")
    if parts.scheme in ("tel", "mailto") and not parts.path:
        raise ValueError("a tel: or mailto: link needs a number or an address")
    return url


def _text_or_link(resource: SupportResource) -> SupportResource:
    if not resource.get("text") and not resource.get("url"):
        raise ValueError("a support resource needs a text, a url, or both")
    return resource


class SupportResource(TypedDict):
    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]

    label: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=80),
        Field(description="e.g. 'Crisis line'"),
    ]
    text: NotRequired[
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=300), Field(description="e.g. 'Call 988'")]
    ]
    url: NotRequired[
        Annotated[
            str,
            StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
            AfterValidator(_checked_link),
            Field(description="https:, http:, tel: or mailto:"),
        ]
    ]


SupportResources = Annotated[
    list[Annotated[SupportResource, AfterValidator(_text_or_link)]],
    Field(max_length=10, description="Crisis lines and links every screen can show."),
]

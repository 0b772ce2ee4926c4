"""How a circle is shown, in one place for REST, the live socket's commands, its events and its state."""

from __future__ import annotations

from collections.abc import Sequence

from circles.records.circle.models import Circle, CirclePage, CirclePublic


def circle_view(circle: Circle) -> CirclePublic:
    return CirclePublic.model_validate(circle, from_attributes=True)


def circle_page(circles: Sequence[Circle], next_cursor: str | None) -> CirclePage:
    return CirclePage(items=[circle_view(c) for c in circles], next_cursor=next_cursor)

"""How a request for support is shown, in one place for REST and the live socket's commands."""

from __future__ import annotations

from collections.abc import Sequence

from circles.records.support.models import SupportSignal, SupportSignalPage, SupportSignalPublic


def support_view(signal: SupportSignal) -> SupportSignalPublic:
    return SupportSignalPublic.model_validate(signal, from_attributes=True)


def support_page(signals: Sequence[SupportSignal], next_cursor: str | None) -> SupportSignalPage:
    return SupportSignalPage(items=[support_view(s) for s in signals], next_cursor=next_cursor)

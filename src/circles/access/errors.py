"""Who may not do what: the principal's refusals."""

from __future__ import annotations

from circles.errors import Forbidden


class AppOnly(Forbidden):
    code = "app_only"
    message = "Only the app may do this."


class NotAKeeper(Forbidden):
    code = "keeper_only"
    message = "Only a keeper or the app may do this."

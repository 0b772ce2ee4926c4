"""What a command on apps and their keys can be refused with."""

from __future__ import annotations

from circles.errors import Conflict, NotFound


class AppNotFound(NotFound):
    code = "app_not_found"
    message = "No such app."


class AppKeyNotFound(NotFound):
    code = "app_key_not_found"
    message = "No such key for this app."


class LastAppKey(Conflict):
    code = "last_app_key"
    message = "This is the app's last active key: create another before revoking it."

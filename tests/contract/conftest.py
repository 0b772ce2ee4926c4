"""The world schemathesis runs in: the real app on a fresh copy of the migrated SQLite template, two
tenants' app keys, and a circle with a keeper, a member, a witness and an active round with an open turn,
so that path parameters can name real objects. The app is reached in-process (ASGI), never over a network.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from schemathesis.python import asgi

from circles.app import create_app
from tests.conftest import make_settings, new_app_key
from tests.factories import auth, ok


@dataclass
class World:
    """Real objects owned by `app_key`, rebuilt whenever a request may have changed them."""

    app: Any
    client: asgi.ASGIClient
    app_key: str
    other_app_key: str
    ids: dict[str, str] = field(default_factory=dict)
    participants: list[str] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)
    spare_key: str | None = None
    dirty: bool = True

    def fresh(self) -> dict[str, str]:
        """The ids of a circle in a known state: keeper, member and witness seated, a round active, the
        keeper holding the piece."""
        if self.dirty:
            self._build()
        return self.ids

    def _build(self) -> None:
        key = auth(self.app_key)
        circle = ok(
            self.client.post("/v1/circles", json={"name": "Contract circle", "turn_seconds": 600}, headers=key), 201
        )
        circle_id = circle["id"]
        self.participants, self.tokens, self.spare_key = [], {}, None
        for name, role in (("Keeper", "keeper"), ("Member", "member"), ("Witness", "witness")):
            body = {"display_name": name, "role": role}
            seated = ok(self.client.post(f"/v1/circles/{circle_id}/participants", json=body, headers=key), 201)
            self.participants.append(seated["id"])
            self.tokens[role] = seated["token"]
        round_ = ok(
            self.client.post(f"/v1/circles/{circle_id}/rounds", json={"prompt": "How are you?"}, headers=key), 201
        )
        turn = next(t for t in round_["turns"] if t["ended_at"] is None)
        hook = {"url": "https://93.184.215.14/hooks"}  # a public address, written as one: no DNS to register it
        webhook = ok(self.client.post("/v1/app/webhooks", json=hook, headers=key), 201)
        self.ids = {
            "circle_id": circle_id,
            "round_id": round_["id"],
            "turn_id": turn["id"],
            "webhook_id": webhook["id"],
        }
        self.dirty = False

    def bind(self, path_parameters: dict[str, Any]) -> None:
        """Point most well-formed ids at the world's real objects (the rest stay random: a 404 path).

        The choice is a function of the generated values, so a derandomized run makes the same choices."""
        if not path_parameters or not all(_is_uuid(v) for v in path_parameters.values()):
            return
        if uuid.UUID(str(next(iter(path_parameters.values())))).int % 5 == 0:
            return
        ids = self.fresh()
        for name, value in list(path_parameters.items()):
            if name == "participant_id":
                path_parameters[name] = self.participants[uuid.UUID(str(value)).int % len(self.participants)]
            elif name == "key_id":
                path_parameters[name] = self.spare_key_id()
            elif name in ids:
                path_parameters[name] = ids[name]

    def spare_key_id(self) -> str:
        """A second key of the app, there to be revoked (never the key the fuzzer is using)."""
        if self.spare_key is None:
            created = ok(self.client.post("/v1/app/keys", headers=auth(self.app_key)), 201)
            self.spare_key = created["id"]
        return self.spare_key


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# The app exists from import on, because schemathesis wants it when it collects the tests; it touches its
# database only once a request starts its lifespan, by when `contract_world` has put the database in place.
_DIRECTORY = Path(tempfile.mkdtemp(prefix="circles-contract-"))
DATABASE_URL = f"sqlite:///{_DIRECTORY / 'circles.db'}"
# Rates high enough that the fuzzer meets the routes, not the limiter (tests/api/test_limits.py covers 429).
# Webhook endpoints the fuzzer registers are never delivered to: it would send to whatever public address it made up.
CONTRACT_APP = create_app(
    make_settings(DATABASE_URL, rate_limit_per_minute=10**9, rate_limit_burst=10**9, webhooks_deliver=False)
)


@pytest.fixture(scope="module")
def contract_world(sqlite_template: Path) -> Iterator[World]:
    shutil.copyfile(sqlite_template, _DIRECTORY / "circles.db")
    app_key, other_app_key = new_app_key(DATABASE_URL, "contract app"), new_app_key(DATABASE_URL, "another app")
    # schemathesis runs the app's lifespan on its own event-loop thread (and ends it after each test);
    # seeding goes through the same client.
    try:
        with asgi.get_client(CONTRACT_APP) as client:
            yield World(CONTRACT_APP, client, app_key, other_app_key)
    finally:
        asgi.shutdown_lifespans()
        shutil.rmtree(_DIRECTORY, ignore_errors=True)

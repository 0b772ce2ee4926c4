"""Secrets kept so they can be used again (an app's Zoom client secret), encrypted at rest.

The key is derived from `CIRCLES_SECRET_KEY` with HKDF-SHA256 (info names the purpose), and each secret is
sealed with AES-256-GCM under a fresh 96-bit nonce, with the app's id as associated data: a sealed secret
copied onto another app's row does not open. Stored as `v1.` + base64url(nonce ‖ ciphertext ‖ tag).

Changing `CIRCLES_SECRET_KEY` makes every secret sealed before unreadable: the apps must store theirs again
(docs/security.md, "Secrets kept at rest").
"""

from __future__ import annotations

import base64
import os
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_VERSION = "v1."
_INFO = b"circles: zoom client secrets at rest, v1"
_NONCE_BYTES = 12


class Sealer:
    """Seals and opens secrets with the key derived from the operator's `CIRCLES_SECRET_KEY`."""

    def __init__(self, secret_key: str) -> None:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret_key.encode())
        self._aead = AESGCM(derived)

    def seal(self, app_id: uuid.UUID, secret: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = nonce + self._aead.encrypt(nonce, secret.encode(), app_id.bytes)
        return _VERSION + base64.urlsafe_b64encode(sealed).decode("ascii")

    def open(self, app_id: uuid.UUID, sealed: str) -> str | None:
        """The secret, or None when it was sealed under another key (or for another app)."""
        if not sealed.startswith(_VERSION):
            return None
        raw = base64.urlsafe_b64decode(sealed.removeprefix(_VERSION))
        try:
            return self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], app_id.bytes).decode()
        except InvalidTag:
            return None

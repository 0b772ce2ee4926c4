"""Zoom app contexts as Zoom makes them, built here from Zoom's documented layout and not from the code under
test: AES-256-GCM under the SHA-256 of the client secret, packed as

    [iv length: 1 byte][iv][aad length: 2 bytes LE][aad][ciphertext length: 4 bytes LE][ciphertext][tag: 16 bytes]

and sent as base64url without padding. `ts` and `exp` are milliseconds since the epoch."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
import time
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def claims(uid: str, mid: str, *, age_seconds: float = 0, **more: Any) -> dict[str, Any]:
    ts = int((time.time() - age_seconds) * 1000)
    return {"typ": "meeting", "uid": uid, "mid": mid, "ts": ts, "exp": ts + 120_000, **more}


def zoom_context(payload: dict[str, Any], client_secret: str, *, aad: bytes = b"") -> str:
    iv = os.urandom(12)
    key = hashlib.sha256(client_secret.encode()).digest()
    sealed = AESGCM(key).encrypt(iv, json.dumps(payload).encode(), aad)
    ciphertext, tag = sealed[:-16], sealed[-16:]
    packed = b"".join(
        [bytes([len(iv)]), iv, struct.pack("<H", len(aad)), aad, struct.pack("<I", len(ciphertext)), ciphertext, tag]
    )
    return base64.urlsafe_b64encode(packed).decode().rstrip("=")


def tampered(context: str) -> str:
    """The same context with one bit of its ciphertext flipped."""
    raw = bytearray(base64.urlsafe_b64decode(context + "=" * (-len(context) % 4)))
    raw[-20] ^= 0x01  # inside the ciphertext, just before the tag
    return base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")

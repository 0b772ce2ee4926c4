"""Zoom's app context: decrypted and read, or refused.

`zoomSdk.getAppContext()` (and the `X-Zoom-App-Context` header) give base64 (Zoom sends the URL-safe
alphabet; both are read) of

    [iv length: 1 byte][iv][aad length: 2 bytes LE][aad][ciphertext length: 4 bytes LE][ciphertext][tag: 16 bytes]

sealed with AES-256-GCM under the SHA-256 of the Zoom App's client secret. The plaintext is JSON: `typ`
(the running context), `uid` (the Zoom user), `mid` (the meeting UUID, in a meeting), `ts` and `exp`
(milliseconds since the epoch), `aud` (the Zoom App's client id), and more we do not read.

Every reason to refuse is the same `None` to the caller, so no answer says which check failed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import struct
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

TAG_BYTES = 16
FUTURE_SKEW_MS = 60_000  # a context stamped up to a minute ahead of our clock is still taken


@dataclass(frozen=True, slots=True)
class AppContext:
    uid: str
    mid: str
    typ: str
    ts_ms: int


@dataclass(frozen=True, slots=True)
class Sealed:
    iv: bytes
    aad: bytes
    ciphertext: bytes
    tag: bytes


def zoom_key(client_secret: str) -> bytes:
    """The AES-256 key Zoom seals app contexts with: the SHA-256 of the client secret."""
    return hashlib.sha256(client_secret.encode()).digest()


def unpack(context: str) -> Sealed | None:
    """The parts of a context, or None when it is not laid out as Zoom lays it out."""
    try:
        raw = base64.urlsafe_b64decode(context.replace("+", "-").replace("/", "_") + "=" * (-len(context) % 4))
    except (binascii.Error, ValueError):
        return None
    try:
        iv_length = raw[0]
        at = 1 + iv_length
        iv = raw[1:at]
        (aad_length,) = struct.unpack_from("<H", raw, at)
        at += 2
        aad = raw[at : at + aad_length]
        at += aad_length
        (ciphertext_length,) = struct.unpack_from("<I", raw, at)
        at += 4
        ciphertext = raw[at : at + ciphertext_length]
        at += ciphertext_length
    except (IndexError, struct.error):
        return None
    tag = raw[at:]
    if not iv or len(aad) != aad_length or len(ciphertext) != ciphertext_length or len(tag) != TAG_BYTES:
        return None
    return Sealed(iv=iv, aad=aad, ciphertext=ciphertext, tag=tag)


def open_sealed(sealed: Sealed, key: bytes) -> dict[str, object] | None:
    """The context's JSON object, when `key` sealed it; else None."""
    try:
        plain = AESGCM(key).decrypt(sealed.iv, sealed.ciphertext + sealed.tag, sealed.aad)
        found = json.loads(plain)
    except (InvalidTag, ValueError):
        return None
    return found if isinstance(found, dict) else None


def read(claims: dict[str, object], now: datetime, max_age_seconds: int, client_id: str) -> AppContext | None:
    """The context, when it names a user and a meeting, is fresh, has not expired and (when it says) was
    made for this Zoom App; else None."""
    uid, mid, typ, ts = claims.get("uid"), claims.get("mid"), claims.get("typ"), claims.get("ts")
    if not (isinstance(uid, str) and uid and isinstance(mid, str) and mid and isinstance(typ, str)):
        return None
    if not isinstance(ts, int) or isinstance(ts, bool):
        return None
    now_ms = int(now.timestamp() * 1000)
    if ts > now_ms + FUTURE_SKEW_MS or now_ms - ts > max_age_seconds * 1000:
        return None
    exp = claims.get("exp")
    if exp is not None and (not isinstance(exp, int) or exp < now_ms):
        return None
    aud = claims.get("aud")
    if aud is not None and aud != client_id:
        return None
    return AppContext(uid=uid, mid=mid, typ=typ, ts_ms=ts)

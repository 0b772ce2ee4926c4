"""Credentials are random, carry a recognisable prefix, and are stored only as a SHA-256 hash.

They are high-entropy random strings, so a fast hash is enough: nothing to brute-force.
"""

from __future__ import annotations

import hashlib
import secrets

APP_KEY_PREFIX = "ck_"
PARTICIPANT_TOKEN_PREFIX = "cpt_"


def new_app_key() -> str:
    return APP_KEY_PREFIX + secrets.token_urlsafe(32)


def new_participant_token() -> str:
    return PARTICIPANT_TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()

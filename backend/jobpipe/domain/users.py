"""Users and their API keys.

Only a SHA-256 digest of each key is stored: a leaked table does not leak usable keys, and a
high-entropy random token needs no slow hash. Digests are compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass, field

from jobpipe.domain.usage_policy import Plan

API_KEY_PREFIX = "jp_"


@dataclass
class User:
    name: str
    plan: Plan
    api_key_hash: str
    beta: bool = False
    id: uuid.UUID = field(default_factory=uuid.uuid4)


def generate_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def api_key_matches(api_key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_api_key(api_key), stored_hash)

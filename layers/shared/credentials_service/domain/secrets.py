"""API keys and secrets: generation, format checks, hashing and constant-time verification.

Key:    s0ak_ + 24 base62 characters (~143 bits), a public identifier.
Secret: s0sk_ + 43 base62 characters (~256 bits) + 6 base62 characters of CRC32 checksum.
The prefixes let secret scanners recognise leaked values; the checksum lets the authorizer reject
a mistyped or forged secret without a database read. Only SHA-256(secret) is stored: the secret is
high-entropy, so a slow password hash would add latency and no security.
"""

import hashlib
import hmac
import secrets as _random
import zlib

API_KEY_PREFIX = "s0ak_"
SECRET_PREFIX = "s0sk_"  # noqa: S105 - a public prefix, not a secret
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_BASE62_SET = frozenset(BASE62)
_KEY_BODY_LENGTH = 24
_SECRET_BODY_LENGTH = 43
_CHECKSUM_LENGTH = 6
API_KEY_LENGTH = len(API_KEY_PREFIX) + _KEY_BODY_LENGTH
SECRET_LENGTH = len(SECRET_PREFIX) + _SECRET_BODY_LENGTH + _CHECKSUM_LENGTH
# Compared against when the key is unknown, so both failures cost the same.
_UNKNOWN_KEY_HASH = hashlib.sha256(b"no such key").hexdigest()


def _random_base62(length: int) -> str:
    return "".join(_random.choice(BASE62) for _ in range(length))


def _checksum(body: str) -> str:
    value = zlib.crc32(body.encode("ascii"))
    digits = []
    for _ in range(_CHECKSUM_LENGTH):
        value, digit = divmod(value, 62)
        digits.append(BASE62[digit])
    return "".join(reversed(digits))


def _is_base62(text: str) -> bool:
    return all(char in _BASE62_SET for char in text)


def generate_api_key() -> str:
    return API_KEY_PREFIX + _random_base62(_KEY_BODY_LENGTH)


def generate_secret() -> str:
    body = SECRET_PREFIX + _random_base62(_SECRET_BODY_LENGTH)
    return body + _checksum(body)


def is_well_formed_api_key(api_key: str) -> bool:
    return (
        len(api_key) == API_KEY_LENGTH
        and api_key.startswith(API_KEY_PREFIX)
        and _is_base62(api_key[len(API_KEY_PREFIX) :])
    )


def is_well_formed_secret(secret: str) -> bool:
    if len(secret) != SECRET_LENGTH or not secret.startswith(SECRET_PREFIX):
        return False
    body, checksum = secret[:-_CHECKSUM_LENGTH], secret[-_CHECKSUM_LENGTH:]
    if not _is_base62(secret[len(SECRET_PREFIX) :]):
        return False
    return hmac.compare_digest(_checksum(body), checksum)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def verify_secret(secret: str, stored_hash: str | None) -> bool:
    """Constant-time check of `secret` against a stored hash; None (unknown key) never matches."""
    expected = stored_hash if stored_hash is not None else _UNKNOWN_KEY_HASH
    matches = hmac.compare_digest(hash_secret(secret), expected)
    return matches and stored_hash is not None

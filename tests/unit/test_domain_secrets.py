"""Keys and secrets: recognisable formats, a checksum that catches typos, SHA-256 at rest."""

import hashlib
import re

import pytest

from credentials_service.domain import secrets
from credentials_service.domain.secrets import BASE62

KEY_FORMAT = re.compile(r"s0ak_[0-9A-Za-z]{24}")
SECRET_FORMAT = re.compile(r"s0sk_[0-9A-Za-z]{49}")


@pytest.fixture
def secret() -> str:
    return secrets.generate_secret()


def test_api_keys_have_their_prefix_and_length() -> None:
    key = secrets.generate_api_key()
    assert KEY_FORMAT.fullmatch(key) and len(key) == secrets.API_KEY_LENGTH == 29
    assert secrets.is_well_formed_api_key(key)


def test_secrets_have_their_prefix_length_and_a_valid_checksum(secret: str) -> None:
    assert SECRET_FORMAT.fullmatch(secret) and len(secret) == secrets.SECRET_LENGTH == 54
    assert secrets.is_well_formed_secret(secret)


def test_keys_and_secrets_are_not_interchangeable(secret: str) -> None:
    key = secrets.generate_api_key()
    assert not secrets.is_well_formed_secret(key)
    assert not secrets.is_well_formed_api_key(secret)
    # the secret's body behind the key's prefix
    assert not secrets.is_well_formed_secret(secrets.API_KEY_PREFIX + secret[len(secrets.SECRET_PREFIX):])


def test_every_single_character_change_breaks_the_checksum(secret: str) -> None:
    # Given a well-formed secret, When any one character after the prefix becomes any other base62 one
    for position in range(len(secrets.SECRET_PREFIX), len(secret)):
        for char in BASE62:
            if char != secret[position]:
                changed = secret[:position] + char + secret[position + 1 :]
                # Then the format check refuses it
                assert not secrets.is_well_formed_secret(changed), (position, char)


def test_swapping_two_neighbouring_characters_breaks_the_checksum(secret: str) -> None:
    for position in range(len(secrets.SECRET_PREFIX), len(secret) - 1):
        a, b = secret[position], secret[position + 1]
        if a != b:
            assert not secrets.is_well_formed_secret(secret[:position] + b + a + secret[position + 2 :]), position


@pytest.mark.parametrize(
    "mangle",
    [
        lambda s: s[:-1],  # truncated
        lambda s: s[1:],
        lambda s: s + "A",  # extended
        lambda s: s + "\n",
        lambda s: " " + s[1:],
        lambda s: "S0SK_" + s[5:],  # prefix in the wrong case
        lambda s: "s0sx_" + s[5:],  # wrong prefix
        lambda s: s[:20] + "é" + s[21:],  # non-ASCII, same length
        lambda s: s[:20] + "\uff10" + s[21:],  # a full-width digit
        lambda s: s[:20] + "-" + s[21:],  # outside base62
        lambda s: "",
    ],
)
def test_malformed_secrets_are_refused(secret: str, mangle) -> None:
    assert not secrets.is_well_formed_secret(mangle(secret))


@pytest.mark.parametrize(
    "key",
    ["", "s0ak_", "s0ak_" + "A" * 23, "s0ak_" + "A" * 25, "s0sk_" + "A" * 24, "s0ak_" + "A" * 23 + "é"],
)
def test_malformed_keys_are_refused(key: str) -> None:
    assert not secrets.is_well_formed_api_key(key)


def test_the_hash_is_sha256_hex_and_reveals_nothing_of_the_secret(secret: str) -> None:
    digest = secrets.hash_secret(secret)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in digest and secret[len(secrets.SECRET_PREFIX):][:8] not in digest
    assert secrets.hash_secret(secrets.generate_secret()) != digest


def test_verify_secret_accepts_only_the_hashed_secret(secret: str) -> None:
    stored = secrets.hash_secret(secret)
    assert secrets.verify_secret(secret, stored) is True
    assert secrets.verify_secret(secrets.generate_secret(), stored) is False
    assert secrets.verify_secret(secret[:-1] + ("A" if secret[-1] != "A" else "B"), stored) is False


def test_an_unknown_key_never_verifies(secret: str) -> None:
    # None is what the authorizer passes for an unknown key: compared (for timing), never a match,
    # not even for the text whose hash stands in for it.
    assert secrets.verify_secret(secret, None) is False
    assert secrets.verify_secret("no such key", None) is False


def test_generated_values_are_unique() -> None:
    keys = {secrets.generate_api_key() for _ in range(2000)}
    generated = {secrets.generate_secret() for _ in range(2000)}
    assert len(keys) == 2000 and len(generated) == 2000
    assert all(secrets.is_well_formed_secret(value) for value in generated)

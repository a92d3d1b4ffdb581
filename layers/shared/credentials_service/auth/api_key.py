"""Authenticate X-API-Key + X-Secret-Key (or the legacy X-API-Secret) for an account."""

from collections.abc import Callable
from datetime import datetime

from credentials_service.auth import outcome
from credentials_service.auth.headers import Headers
from credentials_service.auth.outcome import Outcome
from credentials_service.domain import secrets
from credentials_service.domain.key_lookup import KeyLookup
from credentials_service.domain.principal import CREDENTIAL, Principal

API_KEY_HEADER = "X-API-Key"
SECRET_HEADERS = ("X-Secret-Key", "X-API-Secret")

KeyLookupReader = Callable[[str], KeyLookup | None]


def has_key_credentials(headers: Headers) -> bool:
    return headers.present(API_KEY_HEADER) or any(headers.present(name) for name in SECRET_HEADERS)


def _secret(headers: Headers) -> str | None:
    values = {headers.get(name) for name in SECRET_HEADERS if headers.present(name)}
    if len(values) != 1 or any(headers.conflicting(name) for name in SECRET_HEADERS):
        return None  # absent, or two different secrets: refuse to guess
    return values.pop()


def authenticate_key(headers: Headers, account_id: int, read_lookup: KeyLookupReader, now: datetime) -> Outcome:
    api_key, secret = headers.get(API_KEY_HEADER), _secret(headers)
    if api_key is None or secret is None:
        return outcome.unauthorized(outcome.MALFORMED)
    # Malformed values are refused before any database read.
    if not (secrets.is_well_formed_api_key(api_key) and secrets.is_well_formed_secret(secret)):
        return outcome.unauthorized(outcome.MALFORMED)
    lookup = read_lookup(api_key)
    # Unknown key and wrong secret cost the same and answer the same.
    if not secrets.verify_secret(secret, lookup.secret_hash if lookup else None) or lookup is None:
        return outcome.unauthorized(outcome.UNKNOWN_KEY if lookup is None else outcome.WRONG_SECRET)
    if not lookup.can_authenticate:
        return outcome.unauthorized(outcome.REVOKED)
    if lookup.account_id != account_id:
        return outcome.unauthorized(outcome.OTHER_ACCOUNT)
    if lookup.is_expired(now):
        return outcome.rejected(outcome.EXPIRED, 401, "credential expired")
    principal = Principal(CREDENTIAL, lookup.account_id, lookup.scopes, lookup.credential_id)
    return Outcome(outcome.AUTHENTICATED, principal)

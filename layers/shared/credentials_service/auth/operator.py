"""Operator Basic auth for self-hosting: `Authorization: Basic` plus `X-Peer: cmd|peer`."""

import base64
import binascii
import hmac
from collections.abc import Callable

from credentials_service.auth import outcome
from credentials_service.auth.headers import Headers
from credentials_service.auth.outcome import Outcome
from credentials_service.domain import scopes
from credentials_service.domain.principal import OPERATOR, Principal

PEER_HEADER = "X-Peer"
PEERS = ("cmd", "peer")

# Returns (username, password) from configuration, or None when none is configured.
OperatorCredentialsReader = Callable[[], tuple[str, str] | None]


def has_basic_auth(headers: Headers) -> bool:
    return (headers.get("Authorization") or "").lower().startswith("basic ")


def _basic_pair(headers: Headers) -> tuple[str, str] | None:
    value = headers.get("Authorization") or ""
    try:
        decoded = base64.b64decode(value[len("basic ") :].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    username, colon, password = decoded.partition(":")
    return (username, password) if colon else None


def parse_operator_credentials(text: str) -> tuple[str, str] | None:
    """The configured value is "username:password"; anything else configures no operator."""
    username, colon, password = text.strip().partition(":")
    return (username, password) if colon and username and password else None


def authenticate_operator(headers: Headers, account_id: int, read_configured: OperatorCredentialsReader) -> Outcome:
    if (headers.get(PEER_HEADER) or "").lower() not in PEERS:
        return outcome.unauthorized(outcome.OPERATOR_REJECTED)
    offered, configured = _basic_pair(headers), read_configured()
    if offered is None or configured is None:
        return outcome.unauthorized(outcome.OPERATOR_REJECTED)
    # Both compared, always, in constant time.
    user_ok = hmac.compare_digest(offered[0].encode(), configured[0].encode())
    password_ok = hmac.compare_digest(offered[1].encode(), configured[1].encode())
    if not (user_ok and password_ok):
        return outcome.unauthorized(outcome.OPERATOR_REJECTED)
    return Outcome(outcome.AUTHENTICATED, Principal(OPERATOR, account_id, scopes.ALL_SCOPES))

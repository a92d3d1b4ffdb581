"""Decide one request: which principal, or which rejection."""

from datetime import datetime

from credentials_service.auth import outcome
from credentials_service.auth.api_key import KeyLookupReader, authenticate_key, has_key_credentials
from credentials_service.auth.headers import Headers
from credentials_service.auth.operator import OperatorCredentialsReader, authenticate_operator, has_basic_auth
from credentials_service.auth.outcome import Outcome
from credentials_service.domain.ids import parse_id
from credentials_service.errors import DependencyUnavailable, Throttled
from credentials_service.http.errors import status_of

ACCOUNT_HEADER = "X-Account-ID"


def account_from(headers: Headers) -> int | Outcome:
    """The account the request acts on, or the contract's 400."""
    if not headers.present(ACCOUNT_HEADER):
        return outcome.rejected(outcome.ACCOUNT_HEADER, 400, "x-account-id header is required")
    account_id = parse_id(headers.get(ACCOUNT_HEADER) or "")
    if account_id is None:
        return outcome.rejected(outcome.ACCOUNT_HEADER, 400, "invalid x-account-id header")
    return account_id


def authenticate(
    headers: Headers,
    read_lookup: KeyLookupReader,
    read_operator: OperatorCredentialsReader | None,
    now: datetime,
) -> Outcome:
    """Key + secret first; if that fails and operator Basic auth is on and offered, the operator."""
    account = account_from(headers)
    if isinstance(account, Outcome):
        return account
    result = outcome.unauthorized(outcome.NO_CREDENTIALS)
    if has_key_credentials(headers):
        try:
            result = authenticate_key(headers, account, read_lookup, now)
        except (Throttled, DependencyUnavailable) as error:
            return outcome.rejected(outcome.UNAVAILABLE, status_of(error), error.message)
        if result.principal is not None:
            return result
    if read_operator is not None and has_basic_auth(headers):
        operator = authenticate_operator(headers, account, read_operator)
        if operator.principal is not None:
            return operator
        if result.reason == outcome.NO_CREDENTIALS:
            result = operator
    return result

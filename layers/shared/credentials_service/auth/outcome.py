"""The authorizer's verdict on one request."""

from dataclasses import dataclass

from credentials_service.domain.principal import Principal

# Reasons, for metrics and logs (never the header values themselves).
AUTHENTICATED = "authenticated"
NO_CREDENTIALS = "no_credentials"
MALFORMED = "malformed_credentials"
UNKNOWN_KEY = "unknown_key"
WRONG_SECRET = "wrong_secret"  # noqa: S105 - a metric reason
REVOKED = "revoked"
OTHER_ACCOUNT = "other_account"
EXPIRED = "expired"
ACCOUNT_HEADER = "account_header"
OPERATOR_REJECTED = "operator_rejected"
UNAVAILABLE = "store_unavailable"


@dataclass(frozen=True, slots=True)
class Outcome:
    reason: str
    principal: Principal | None = None
    # Set when the request must end with a status the gateway cannot produce itself (400, or a
    # 401 with its own message): the authorizer allows it and the handler glue answers.
    reject_status: int | None = None
    reject_message: str | None = None

    @property
    def is_unauthorized(self) -> bool:
        return self.principal is None and self.reject_status is None


def unauthorized(reason: str) -> Outcome:
    return Outcome(reason)


def rejected(reason: str, status: int, message: str) -> Outcome:
    return Outcome(reason, reject_status=status, reject_message=message)

"""Domain errors. Each maps to one HTTP status in credentials_service.http.errors."""

# The contract's 401 message (also the gateway's UNAUTHORIZED response in template.yaml).
UNAUTHORIZED_MESSAGE = "unauthorized request - cannot determine authentication type"


class CredentialsError(Exception):
    """Base class; `message` is safe to show to the caller."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidRequest(CredentialsError):
    """The request is malformed: bad JSON, wrong types, out-of-range values."""


class PayloadTooLarge(CredentialsError):
    """The request body is larger than any valid request."""


class RequestRejected(CredentialsError):
    """The authorizer rejected the request with a status of its own (400 or 401)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class Unauthenticated(CredentialsError):
    """No authenticated principal."""

    def __init__(self, message: str = UNAUTHORIZED_MESSAGE) -> None:
        super().__init__(message)


class MissingScope(CredentialsError):
    def __init__(self, scope: str) -> None:
        super().__init__(f"credential missing required scope: {scope}")
        self.scope = scope


class Forbidden(CredentialsError):
    """Authenticated, but not allowed to do this."""


class CredentialNotFound(CredentialsError):
    def __init__(self) -> None:
        super().__init__("credential not found")


class LastActiveCredential(CredentialsError):
    def __init__(self) -> None:
        super().__init__("an account must keep at least one active credential")


class CredentialLimitReached(CredentialsError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"an account may hold at most {limit} active credentials")


class InvalidStateChange(CredentialsError):
    """A state change the credential's current state forbids (e.g. un-archiving a deleted one)."""


class ConcurrentUpdate(CredentialsError):
    """Another request changed the same items at the same time and retries did not settle it."""

    def __init__(self) -> None:
        super().__init__("the credential was changed by another request, retry")


class Throttled(CredentialsError):
    def __init__(self) -> None:
        super().__init__("too many requests, retry later")


class DependencyUnavailable(CredentialsError):
    def __init__(self) -> None:
        super().__init__("service temporarily unavailable, retry later")


class InvalidEvent(CredentialsError):
    """An asynchronous event (signup) is malformed; nothing was written."""
